"""What every server-rendered page shares: a service's error lands next to the field it concerns."""

from django import forms

from core.exceptions import ServiceError


def add_service_error(
    form: forms.Form, error: ServiceError, *, field_map: dict | None = None
) -> None:
    """Put a service's error on the form: each field error next to its field (renamed through
    `field_map` where the form calls it otherwise), the rest at the top of the form."""
    field_map = field_map or {}
    placed = False
    for name, messages in error.fields.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)
