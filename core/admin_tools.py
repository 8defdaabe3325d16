"""Helpers that let admin forms show service errors as form errors."""

from django import forms

from core.exceptions import ServiceError


def add_service_errors(form: forms.BaseForm, exc: ServiceError) -> None:
    for field, errors in exc.fields.items():
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(field if field in form.fields else None, str(error))
    if not exc.fields:
        form.add_error(None, exc.message)
