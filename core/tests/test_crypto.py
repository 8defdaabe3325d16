"""Encryption at rest: tokens, the encrypted JSON field, the private file storage, key rotation."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test.utils import isolate_apps

from core import crypto
from core.management.commands import rotate_encryption_keys
from core.storage import EncryptedFileSystemStorage, private_storage

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
MEMBER_ID = "MEMBER-4711-XYZ"
INSURANCE = {"provider": "AOK", "member_id": MEMBER_ID, "group_number": "G-9"}


def patient_model() -> type[models.Model]:
    return apps.get_model("patients", "Patient")


def stored_insurance(patient) -> str:
    """The insurance column as the database holds it, read past the ORM."""
    table = connection.ops.quote_name(patient._meta.db_table)
    pk = patient._meta.pk.get_db_prep_value(patient.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT insurance FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def insured(user, insurance: dict | None = None):
    record = user.patient_profile
    record.insurance = dict(insurance or INSURANCE)
    record.save(update_fields=["insurance"])
    return record


def rotate(*arguments: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rotate_encryption_keys", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- Tokens ----------------------------------------------------------------------------------


def test_bytes_and_text_round_trip_through_tokens_that_hide_them():
    token = crypto.encrypt_bytes(b"secret \x00 bytes")
    assert b"secret" not in token
    assert crypto.decrypt_bytes(token) == b"secret \x00 bytes"
    text_token = crypto.encrypt_text("Grüße, Mitglied 4711")
    assert isinstance(text_token, str) and "4711" not in text_token
    assert crypto.decrypt_text(text_token) == "Grüße, Mitglied 4711"
    assert crypto.encrypt_text("same") != crypto.encrypt_text("same")  # fresh IV each time


def test_a_token_under_a_key_no_longer_configured_is_refused_clearly(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token = crypto.encrypt_text("written under A")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # the cached keys follow the setting
    with pytest.raises(crypto.DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        crypto.decrypt_text(token)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text("not a token at all")


def test_the_first_key_encrypts_and_every_key_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    old = crypto.encrypt_text("hello")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert crypto.decrypt_text(old) == "hello"
    assert not crypto.is_current(old)
    new = crypto.encrypt_text("hello")
    assert crypto.is_current(new)
    rotated = crypto.rotate_token(old)
    assert isinstance(rotated, str) and rotated != old and crypto.is_current(rotated)
    assert isinstance(crypto.rotate_token(old.encode()), bytes)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert crypto.decrypt_text(rotated) == crypto.decrypt_text(new) == "hello"


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"], [KEY_A, "short"]])
def test_missing_or_malformed_keys_are_a_configuration_error(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS") as caught:
        crypto.encrypt_text("x")
    assert "short" not in str(caught.value)  # a key is never echoed


# --- The encrypted JSON field ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_row_holds_no_plaintext_insurance(patient):
    record = insured(patient)
    raw = stored_insurance(record)
    assert MEMBER_ID not in raw and "AOK" not in raw
    assert crypto.decrypt_text(raw).count(MEMBER_ID) == 1
    fresh = patient_model().objects.get(pk=record.pk)
    assert fresh.insurance == INSURANCE
    values = patient_model().objects.filter(pk=record.pk).values_list("insurance", flat=True)
    assert list(values) == [INSURANCE]


@pytest.mark.django_db
def test_an_empty_insurance_is_an_encrypted_empty_object(patient):
    record = patient.patient_profile
    assert record.insurance == {}
    raw = stored_insurance(record)
    assert raw != "{}" and crypto.decrypt_text(raw) == "{}"
    assert patient_model().objects.get(pk=record.pk).insurance == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup",
    [
        {"insurance": INSURANCE},
        {"insurance__provider": "AOK"},
        {"insurance__member_id__icontains": "4711"},
        {"insurance__contains": {"provider": "AOK"}},
    ],
)
def test_filtering_on_the_encrypted_field_is_refused_clearly(patient, lookup):
    insured(patient)
    with pytest.raises(FieldError, match=r"patients\.Patient\.insurance is encrypted"):
        patient_model().objects.filter(**lookup).count()


@pytest.mark.django_db
def test_ordering_on_a_key_is_refused_but_isnull_works(patient):
    insured(patient)
    with pytest.raises(FieldError):
        list(patient_model().objects.order_by("insurance__provider"))
    assert patient_model().objects.filter(insurance__isnull=False).count() == 1
    assert patient_model().objects.filter(insurance__isnull=True).count() == 0


# --- The private file storage ----------------------------------------------------------------


@pytest.fixture
def private_root(settings, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def test_a_saved_file_holds_no_plaintext_on_disk_and_reads_back(private_root):
    storage = EncryptedFileSystemStorage()
    content = b"Lab result: HbA1c 6.1 % for " + MEMBER_ID.encode()
    name = storage.save(storage.generate_filename("labs/result 1?.pdf"), ContentFile(content))
    assert name == "labs/result_1.pdf"  # sanitized by get_valid_name, as FileFields do
    on_disk = (private_root / name).read_bytes()
    assert MEMBER_ID.encode() not in on_disk and b"HbA1c" not in on_disk
    with storage.open(name) as opened:
        assert opened.read() == content
    assert storage.size(name) == len(content)
    assert storage.exists(name)
    with storage.open(name, "r") as opened:
        assert opened.read() == content.decode()
    assert oct((private_root / name).stat().st_mode & 0o777) == oct(0o600)


def test_private_files_have_no_url_and_are_not_written_through_open(private_root):
    storage = EncryptedFileSystemStorage()
    name = storage.save("note.txt", ContentFile("text content"))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url(name)
    with pytest.raises(ValueError, match="save"):
        storage.open(name, "wb")
    assert storage.open(name).read() == b"text content"


def test_the_private_storage_lies_in_private_media_root_and_follows_the_setting(
    settings, tmp_path: Path
):
    assert isinstance(private_storage(), EncryptedFileSystemStorage)
    assert Path(private_storage().location) == Path(django_settings.PRIVATE_MEDIA_ROOT)
    storage = EncryptedFileSystemStorage()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    assert Path(storage.location) == tmp_path / "elsewhere"
    root = Path(django_settings.PRIVATE_MEDIA_ROOT).resolve()
    for served in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT):
        assert not root.is_relative_to(Path(served).resolve())


def test_a_private_media_root_inside_a_served_directory_is_refused():
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PRIVATE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PRIVATE_MEDIA_ROOT": str(Path(django_settings.STATIC_ROOT) / "private"),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT" in result.stderr and "served" in result.stderr


# --- Key rotation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rotation_moves_every_value_to_the_new_key(settings, patient, other_patient):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    first, second = insured(patient), insured(other_patient, {"provider": "TK"})
    before = {record.pk: stored_insurance(record) for record in (first, second)}

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out, err = rotate()
    assert "Values: 2 re-encrypted" in out
    assert "patients.Patient.insurance: [####################] 2/2" in err

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # the old key is gone
    for record in (first, second):
        assert stored_insurance(record) != before[record.pk]
        assert crypto.is_current(stored_insurance(record))
    assert patient_model().objects.get(pk=first.pk).insurance == INSURANCE
    assert patient_model().objects.get(pk=second.pk).insurance == {"provider": "TK"}


@pytest.fixture
def three_patients(patient, other_patient, make_user):
    third = make_user(role="patient")
    patient_model().objects.get_or_create(user=third)
    third.refresh_from_db()
    return [
        insured(user, {"member_id": f"M-{n}"})
        for n, user in enumerate([patient, other_patient, third])
    ]


@pytest.mark.django_db
def test_rotation_goes_in_batches_and_a_rerun_finishes_an_interrupted_job(
    settings, monkeypatch, three_patients
):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    for record in three_patients:
        record.save()  # written under A
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    writes = []
    real_replace = rotate_encryption_keys.stored_value_replace

    def interrupted(*args, **kwargs):
        if len(writes) == 1:
            raise KeyboardInterrupt  # the operator stops it during the second batch
        writes.append(kwargs["pk"])
        return real_replace(*args, **kwargs)

    monkeypatch.setattr(rotate_encryption_keys, "stored_value_replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rotate("--batch-size", "1")
    current = [crypto.is_current(stored_insurance(record)) for record in three_patients]
    assert current.count(True) == 1  # the first batch was committed on its own

    monkeypatch.setattr(rotate_encryption_keys, "stored_value_replace", real_replace)
    out, err = rotate("--batch-size", "1")
    assert "Values: 2 re-encrypted under the current key, 1 already were" in out
    progress = [line for line in err.splitlines() if line.startswith("patients.Patient")]
    assert [line.rsplit(" ", 1)[1] for line in progress] == ["0/3", "1/3", "2/3", "3/3"]

    stored = [stored_insurance(record) for record in three_patients]
    out, _ = rotate("--batch-size", "2")  # nothing left to do: nothing is rewritten
    assert "Values: 0 re-encrypted under the current key, 3 already were" in out
    assert [stored_insurance(record) for record in three_patients] == stored
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert sorted(record.insurance["member_id"] for record in patient_model().objects.all()) == [
        "M-0",
        "M-1",
        "M-2",
    ]


@pytest.mark.django_db
def test_rotation_reports_values_that_no_key_opens(settings, patient):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    insured(patient)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(CommandError, match="opened by no configured key"):
        rotate()


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        rotate("--batch-size", "0")


@pytest.fixture
def document_model(private_root):
    """A model with a private FileField, in a registry of its own, its table made for the test
    (inside the test's transaction, so it goes away with it)."""
    with isolate_apps("core") as registry:

        class Document(models.Model):
            title = models.CharField(max_length=50)
            file = models.FileField(storage=EncryptedFileSystemStorage(), blank=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_private_document"

            def __str__(self) -> str:
                return self.title

        sql, params = connection.schema_editor().table_sql(Document)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        yield registry, Document


@pytest.mark.django_db
def test_rotation_reencrypts_private_files_of_every_encrypted_file_field(
    settings, monkeypatch, document_model, private_root
):
    registry, document = document_model
    monkeypatch.setattr(rotate_encryption_keys, "apps", registry)  # only this model's fields
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    kept = document(title="scan")
    kept.file.save("scan.txt", ContentFile(b"scan of " + MEMBER_ID.encode()))
    gone = document(title="lost")
    gone.file.save("lost.txt", ContentFile(b"lost"))
    document.objects.create(title="no file")
    before = (private_root / kept.file.name).read_bytes()
    (private_root / gone.file.name).unlink()

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out, err = rotate("--batch-size", "2")
    assert "Files: 1 re-encrypted, 0 already were, 1 missing." in out
    assert "the file lost.txt is missing" in err
    assert "core.Document.file: [####################] 3/3" in err

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    after = (private_root / kept.file.name).read_bytes()
    assert after != before and MEMBER_ID.encode() not in after
    assert document.objects.get(pk=kept.pk).file.read() == b"scan of " + MEMBER_ID.encode()
    out, _ = rotate()
    assert "Files: 0 re-encrypted, 1 already were, 1 missing." in out
