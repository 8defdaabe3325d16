"""Patient.insurance encrypted at rest: the column becomes text, then each row's JSON becomes the
Fernet token of that JSON (under the first key of FIELD_ENCRYPTION_KEYS). Reversible."""

import json

from django.db import migrations

import core.crypto
import patients.models
from core.crypto import (
    DecryptionError,
    decrypt_text,
    encrypt_text,
    stored_value_replace,
    stored_values,
)

BATCH_SIZE = 500


def _rewrite(apps, schema_editor, convert) -> None:
    Patient = apps.get_model("patients", "Patient")
    field = Patient._meta.get_field("insurance")
    using = schema_editor.connection.alias
    for batch in stored_values(Patient, field, batch_size=BATCH_SIZE, using=using):
        for pk, stored in batch:
            new = convert(stored)
            if new is not None:
                stored_value_replace(Patient, field, pk=pk, old=stored, new=new, using=using)


def _encrypt(stored: str) -> str | None:
    try:
        value = json.loads(stored)
    except json.JSONDecodeError:
        return None  # already a token
    return encrypt_text(json.dumps(value))


def _decrypt(stored: str) -> str | None:
    try:
        return decrypt_text(stored)
    except DecryptionError:
        json.loads(stored)  # plain JSON already, or a token no key opens: then stop here
        return None


def encrypt_insurance(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _encrypt)


def decrypt_insurance(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="patient",
            name="insurance",
            field=core.crypto.EncryptedJSONField(
                blank=True, default=dict, validators=[patients.models.validate_insurance]
            ),
        ),
        migrations.RunPython(encrypt_insurance, decrypt_insurance, elidable=False),
    ]
