"""Encryption at rest: Fernet tokens under the keys in settings.FIELD_ENCRYPTION_KEYS.

The first key encrypts; every key decrypts. Keys rotate without downtime: put the new key first,
run `manage.py rotate_encryption_keys` (it re-encrypts every value and private file under the
new key), then drop the old key.
"""

import functools
import json
from collections.abc import Iterator
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import exceptions
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import ExpressionWrapper, F, Value
from django.db.models.fields.mixins import CheckFieldDefaultMixin
from django.dispatch import receiver

Token = TypeVar("Token", bytes, str)


class DecryptionError(Exception):
    """No configured key opens the token: it was written under a key since removed from
    FIELD_ENCRYPTION_KEYS, or it is no token at all."""


@functools.cache
def _fernets() -> tuple[Fernet, MultiFernet]:
    """The current key alone, and all keys together. Built once: key parsing is not free."""
    keys = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(keys, str):
        keys = keys.split(",")
    keys = [key.strip() for key in keys if key and key.strip()]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: give at least one Fernet key.")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (TypeError, ValueError):
            # The key itself is never repeated in the message: it would end up in logs.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from None
    return fernets[0], MultiFernet(fernets)


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    # Tests that override the keys see them at once.
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernets.cache_clear()


def encrypt_bytes(data: bytes) -> bytes:
    """A Fernet token of `data` under the current (first) key."""
    return _fernets()[1].encrypt(data)


def decrypt_bytes(token: bytes | str) -> bytes:
    """The data of a token written under any configured key."""
    try:
        return _fernets()[1].decrypt(token)
    except InvalidToken:
        raise DecryptionError(
            "No key in FIELD_ENCRYPTION_KEYS opens this value: was the key it was written "
            "with removed before `manage.py rotate_encryption_keys` ran?"
        ) from None


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token).decode()


def rotate_token(token: Token) -> Token:
    """The same data under the current key (the token's timestamp is kept)."""
    try:
        rotated = _fernets()[1].rotate(token)
    except InvalidToken:
        raise DecryptionError(
            "No key in FIELD_ENCRYPTION_KEYS opens this value, so it cannot be re-encrypted."
        ) from None
    return rotated.decode("ascii") if isinstance(token, str) else rotated


def is_current(token: bytes | str) -> bool:
    """Whether the current key already opens the token (rotating it would change nothing)."""
    try:
        _fernets()[0].decrypt(token)
    except InvalidToken:
        return False
    return True


class EncryptedJSONField(CheckFieldDefaultMixin, models.Field):
    """A JSON value stored as the Fernet token of its JSON text (a text column).

    Python code sees the value, as with JSONField; the database holds only the token. So it
    cannot be searched: every lookup but `isnull` raises FieldError."""

    empty_strings_allowed = False
    description = "A JSON value, encrypted at rest"
    default_error_messages = {"invalid": "Value must be valid JSON."}
    _default_hint = ("dict", "{}")

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        encoder: type[json.JSONEncoder] | None = None,
        decoder: type[json.JSONDecoder] | None = None,
        **kwargs: Any,
    ) -> None:
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list, dict]:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        if self.decoder is not None:
            kwargs["decoder"] = self.decoder
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt_text(value), cls=self.decoder)

    def to_python(self, value: Any) -> Any:
        return value  # already the Python value, as with JSONField

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None:
            return None  # SQL NULL, refused by the column unless null=True
        return encrypt_text(json.dumps(value, cls=self.encoder))

    def _not_searchable(self, lookup_name: str) -> FieldError:
        label = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name
        return FieldError(
            f"{label} is encrypted, so it cannot be filtered or ordered on "
            f"(tried '{lookup_name}'); only 'isnull' works. Filter in Python after loading."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._not_searchable(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise self._not_searchable(lookup_name)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(
            **{
                "form_class": forms.JSONField,
                "encoder": self.encoder,
                "decoder": self.decoder,
                **kwargs,
            }
        )


# --- The stored values themselves, for migrations and key rotation ---------------------------


def _stored(field: models.Field) -> ExpressionWrapper:
    # Read as plain text, so that from_db_value (decryption) is not applied.
    return ExpressionWrapper(F(field.attname), output_field=models.TextField())


def stored_values(
    model: type[models.Model],
    field: models.Field,
    *,
    batch_size: int,
    using: str = DEFAULT_DB_ALIAS,
) -> Iterator[list[tuple[Any, str]]]:
    """(primary key, value as the database holds it) of the rows where `field` is not NULL,
    in batches ordered by primary key: one batch in memory at a time."""
    rows = (
        model._base_manager.db_manager(using)
        .annotate(encryption_stored=_stored(field))
        .filter(**{f"{field.attname}__isnull": False})
        .order_by("pk")
    )
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = list(page.values_list("pk", "encryption_stored")[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def stored_value_replace(
    model: type[models.Model],
    field: models.Field,
    *,
    pk: Any,
    old: str,
    new: str,
    using: str = DEFAULT_DB_ALIAS,
) -> bool:
    """Write `new` as the stored value, unless the row changed since `old` was read (a write in
    between wins, and it was made under the current key anyway). Whether it was written."""
    updated = (
        model._base_manager.db_manager(using)
        .alias(encryption_stored=_stored(field))
        .filter(pk=pk, encryption_stored=old)
        .update(**{field.attname: Value(new, output_field=models.TextField())})
    )
    return updated > 0
