"""Helpers the apps' services share when they validate and change model instances."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model

from core.exceptions import ValidationFailed

FieldErrors = Mapping[str, list[str]]


def model_clean(
    instance: Model,
    *,
    exclude: Iterable[str] = (),
    errors: FieldErrors | None = None,
    prefix_field: bool = True,
) -> None:
    """Validate the instance's fields and raise ValidationFailed with every field's messages.

    Uniqueness and constraints are left to the services, which name the clash, and to the
    database. `errors` are the caller's own findings, reported together with full_clean's.
    The summary message is the first one, after its field's name ("phone: Enter a valid...")
    unless `prefix_field` is false."""
    fields: dict[str, list[str]] = {}
    cause: DjangoValidationError | None = None
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except DjangoValidationError as exc:
        fields, cause = exc.message_dict, exc
    for name, messages in (errors or {}).items():
        fields.setdefault(name, []).extend(messages)
    if fields:
        name, messages = next(iter(fields.items()))
        message = f"{name}: {messages[0]}" if prefix_field else messages[0]
        raise ValidationFailed(message, fields=fields) from cause


def model_update(
    *,
    instance: Model,
    fields: Iterable[str],
    data: Mapping[str, Any],
    exclude: Iterable[str] = (),
    errors: FieldErrors | None = None,
    prefix_field: bool = True,
) -> list[str]:
    """Set `data` on the instance (strings stripped), check it with model_clean and return the
    names of the fields whose value changed, for save(update_fields=...). Nothing is saved.

    Only the names in `fields` may be set; any other key is refused before anything is set."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    before = {name: getattr(instance, name) for name in data}
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    model_clean(instance, exclude=exclude, errors=errors, prefix_field=prefix_field)
    # Compared after full_clean, which turns "5" into 5: only real changes count.
    return [name for name in data if getattr(instance, name) != before[name]]
