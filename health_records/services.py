"""Every write to health records. A record is written by a doctor linked to the patient; an
edit makes a new version and keeps the old one (`amended`); a retraction keeps the row and
marks it `entered-in-error` with the reason."""

import unicodedata
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment
from core.audit import audit_record
from core.exceptions import Conflict, NotAllowed, ValidationFailed
from core.models import AuditAction
from core.notifications import notify
from health_records.models import Attachment, HealthRecord, RecordStatus, RecordType
from health_records.notifications import HealthRecordKind
from health_records.schemas import validated_data
from patients.access import may_write_clinical
from patients.models import Patient
from users.models import User

NOT_CURRENT = "This version has been replaced: edit the current one."


def _fail(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


def _check_writer(actor: User, patient: Patient) -> None:
    if not may_write_clinical(actor, patient):
        raise NotAllowed("Only a doctor linked to the patient writes their health record.")


def _checked_moment(recorded_at: datetime | None, now: datetime, patient: Patient) -> datetime:
    if recorded_at is None:
        return now
    if timezone.is_naive(recorded_at):
        raise _fail("recorded_at", "Give the time with its UTC offset.")
    if recorded_at > now + timedelta(minutes=5):  # clocks differ a little
        raise _fail("recorded_at", "A record is written about what has happened, not ahead.")
    born = patient.date_of_birth
    if born is not None and recorded_at.date() < born - timedelta(days=1):  # a day for zones
        raise _fail("recorded_at", "This is before the patient was born.")
    if recorded_at.year < 1900:
        raise _fail("recorded_at", "Give a date from 1900 on.")
    return recorded_at


def _checked_appointment(appointment: Appointment | None, patient: Patient) -> None:
    if appointment is not None and appointment.patient_id != patient.pk:
        raise _fail("appointment", "This appointment is not the patient's.")


def _audit(actor: User, action: str, record: HealthRecord, request, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        resource_type="health_record",
        resource_id=record.record_id,
        patient=record.patient.user,
        request=request,
        detail={"version": record.version, **detail},
    )


def health_record_create(
    *,
    actor: User,
    patient: Patient,
    record_type: str,
    data: Any,
    recorded_at: datetime | None = None,
    appointment: Appointment | None = None,
    request: HttpRequest | None = None,
) -> HealthRecord:
    _check_writer(actor, patient)
    if record_type not in RecordType.values:
        raise _fail("record_type", f"One of: {', '.join(RecordType.values)}.")
    now = timezone.now()
    record = HealthRecord(
        patient=patient,
        author=actor,
        record_type=record_type,
        recorded_at=_checked_moment(recorded_at, now, patient),
        data=validated_data(record_type, data),
        appointment=appointment,
    )
    _checked_appointment(appointment, patient)
    record.record_id = record.pk  # a record is named by its first version
    with transaction.atomic():
        record.save(force_insert=True)
        _audit(actor, AuditAction.CREATE, record, request, record_type=record_type)
        notify(
            user=patient.user,
            kind=HealthRecordKind.HEALTH_RECORD_ADDED,
            context={"record": record},
            link=reverse("record-page", args=[record.record_id]),
        )
    return record


def health_record_amend(
    *,
    actor: User,
    record: HealthRecord,
    data: Any,
    recorded_at: datetime | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> HealthRecord:
    """A new version; the one it replaces is kept, marked `amended`. `data` holds what
    changes: its keys replace the current ones, a null removes one, the rest is kept. The
    reason is required: the history says why a record changed."""
    _check_writer(actor, record.patient)
    reason = reason.strip()
    if not reason:
        raise _fail("reason", "Say why the record is amended.", "reason_required")
    if not isinstance(data, dict):
        raise _fail("data", "Give an object of the fields to change.")
    merged = {key: value for key, value in {**record.data, **data}.items() if value is not None}
    if record.status == RecordStatus.ENTERED_IN_ERROR:
        raise Conflict("A retracted record cannot be edited.", code="entered_in_error")
    if record.status != RecordStatus.FINAL:
        raise Conflict(NOT_CURRENT, code="not_current")
    now = timezone.now()
    new = HealthRecord(
        record_id=record.record_id,
        version=record.version + 1,
        patient=record.patient,
        author=actor,
        record_type=record.record_type,
        recorded_at=(
            _checked_moment(recorded_at, now, record.patient) if recorded_at else record.recorded_at
        ),
        data=validated_data(record.record_type, merged),
        appointment=record.appointment,
        reason=reason[:500],
    )
    try:
        with transaction.atomic():
            # Only the current version moves to `amended`; of two concurrent edits one wins.
            replaced = HealthRecord.objects.filter(pk=record.pk, status=RecordStatus.FINAL).update(
                status=RecordStatus.AMENDED, updated_at=now
            )
            if not replaced:
                raise Conflict(NOT_CURRENT, code="not_current")
            new.save(force_insert=True)
            _audit(actor, AuditAction.UPDATE, new, request, replaces=str(record.pk))
    except IntegrityError as exc:  # a concurrent edit made this version first
        raise Conflict(NOT_CURRENT, code="not_current") from exc
    return new


def health_record_retract(
    *, actor: User, record: HealthRecord, reason: str, request: HttpRequest | None = None
) -> HealthRecord:
    """Entered in error: the row stays (the history is kept), hidden from default lists."""
    _check_writer(actor, record.patient)
    reason = reason.strip()
    if not reason:
        raise _fail("reason", "Say why the record was entered in error.", "reason_required")
    if record.status == RecordStatus.ENTERED_IN_ERROR:
        raise Conflict("This record has already been retracted.", code="entered_in_error")
    if record.status != RecordStatus.FINAL:
        raise Conflict(NOT_CURRENT, code="not_current")
    with transaction.atomic():
        changed = HealthRecord.objects.filter(pk=record.pk, status=RecordStatus.FINAL).update(
            status=RecordStatus.ENTERED_IN_ERROR, reason=reason[:500], updated_at=timezone.now()
        )
        if not changed:
            raise Conflict("This record is not current.", code="not_current")
        record.refresh_from_db()
        _audit(actor, AuditAction.UPDATE, record, request, status=record.status)
    return record


# The types a chart takes, recognised by their first bytes (never by the name the file came
# with): an executable renamed ".pdf" is refused.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def sniffed_type(head: bytes) -> str | None:
    return next((kind for kind, magics in SIGNATURES.items() if head.startswith(magics)), None)


def clean_filename(name: str, content_type: str) -> str:
    """The name shown to whoever downloads the file: no path, no control or bidi characters,
    at most 100 characters, and the extension of what the file really is."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(
        char for char in unicodedata.normalize("NFC", base)
        if unicodedata.category(char)[0] not in ("C",) and char not in '<>:"|?*'
    ).strip(" .")  # fmt: skip
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{(stem or 'attachment')[:96]}{EXTENSIONS[content_type]}"


def attachment_add(
    *, actor: User, record: HealthRecord, upload: UploadedFile, request: HttpRequest | None = None
) -> Attachment:
    """Attach a PDF, PNG or JPEG to a record, by a doctor linked to the patient."""
    _check_writer(actor, record.patient)
    if record.status == RecordStatus.ENTERED_IN_ERROR:
        raise Conflict("A retracted record takes no new files.", code="entered_in_error")
    limit = settings.HEALTH_RECORD_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise _fail("file", "The file is empty.")
    if upload.size > limit:
        raise _fail("file", f"A file may be at most {limit // (1024 * 1024)} MB.", "file_too_large")
    upload.seek(0)
    content_type = sniffed_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise _fail("file", "Attach a PDF, PNG or JPEG file.", "unsupported_file_type")
    attachment = Attachment(
        record_id=record.record_id,
        patient=record.patient,
        uploaded_by=actor,
        filename=clean_filename(upload.name or "", content_type),
        content_type=content_type,
        size=upload.size,
    )
    with transaction.atomic():
        attachment.file.save("upload", upload, save=False)
        try:
            attachment.save(force_insert=True)
        except Exception:
            attachment.file.delete(save=False)  # no orphan file when the row is not written
            raise
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            resource_type="health_record_attachment",
            resource_id=attachment.pk,
            patient=record.patient.user,
            request=request,
            detail={"record": str(record.record_id), "type": content_type, "size": upload.size},
        )
    return attachment
