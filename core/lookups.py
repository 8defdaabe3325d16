from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from core.exceptions import NotFound


def get_visible_or_404(queryset: QuerySet, message: str = "Not found.", **lookup) -> Model:
    """One object from an already scoped queryset; a malformed or foreign id is simply absent."""
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        raise NotFound(message)  # PostgreSQL text cannot hold NUL: no such row can exist
    try:
        found = queryset.filter(**lookup).first()
    except (ValidationError, ValueError, TypeError):
        found = None
    if found is None:
        raise NotFound(message)
    return found
