"""Helpers that let admin forms show service errors as form errors."""

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower

from core.db import Unaccent, strip_accents
from core.exceptions import ServiceError


def add_service_errors(form: forms.BaseForm, exc: ServiceError) -> None:
    for field, errors in exc.fields.items():
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(field if field in form.fields else None, str(error))
    if not exc.fields:
        form.add_error(None, exc.message)


def accent_insensitive_search(queryset, term: str, name_fields: list[str], text_fields=()):
    """Admin search where "maria" finds "María" and "MUNOZ" finds "Muñoz": every word of the
    term must be in one of the name fields (compared without accents or case) or the text
    fields (case-insensitive)."""
    annotations = {
        f"_plain_{index}": Unaccent(Lower(field)) for index, field in enumerate(name_fields)
    }
    found = queryset.annotate(**annotations)
    for word in term.split():
        plain = strip_accents(word.lower())
        matches = Q()
        for name in annotations:
            matches |= Q(**{f"{name}__contains": plain})
        for field in text_fields:
            matches |= Q(**{f"{field}__icontains": word})
        found = found.filter(matches)
    return found
