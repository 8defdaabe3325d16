"""Typed health records. An edit never overwrites: each change is a new version (a new row
with the same `record_id`), and the version it replaces is marked `amended`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from appointments.models import Appointment
from core.audit import ReadAuditedQuerySet
from core.models import BaseModel
from core.storage import private_storage
from patients.models import Patient


class RecordType(models.TextChoices):
    VITAL_SIGNS = "vital_signs", "Vital signs"
    LAB_RESULT = "lab_result", "Lab result"
    DIAGNOSIS = "diagnosis", "Diagnosis"
    ALLERGY = "allergy", "Allergy"
    IMMUNIZATION = "immunization", "Immunization"
    NOTE = "note", "Note"


class RecordStatus(models.TextChoices):
    """FHIR's observation statuses that a portal record takes."""

    FINAL = "final", "Final"
    AMENDED = "amended", "Amended (replaced by a newer version)"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class HealthRecord(BaseModel):
    audit_resource_type = "health_record"
    audit_patient_user_id = "patient.user_id"
    audit_resource_id = "record_id"

    # The record's identity across versions: the API names a record by it.
    record_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="health_records")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    recorded_at = models.DateTimeField()
    data = models.JSONField()
    status = models.CharField(
        max_length=16, choices=RecordStatus.choices, default=RecordStatus.FINAL
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why this version exists (an amendment) or why it was retracted.
    reason = models.CharField(max_length=500, blank=True)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_id", "version"], name="health_records_one_row_per_version"
            ),
            # Exactly one version of a record is current (final, or retracted).
            models.UniqueConstraint(
                fields=["record_id"],
                condition=~Q(status="amended"),
                name="health_records_one_current_version",
            ),
            models.CheckConstraint(
                condition=Q(record_type__in=RecordType.values),
                name="health_records_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values), name="health_records_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["patient", "record_type", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} of {self.patient} (v{self.version})"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Stored under a random name: the patient's file name is kept in the row, not on disk."""
    return f"health_records/{instance.record_id}/{uuid.uuid4().hex}"


class Attachment(BaseModel):
    """A file attached to a health record (all its versions): PDF, PNG or JPEG, encrypted at
    rest in the private storage and served only through a view that checks access."""

    audit_resource_type = "health_record_attachment"
    audit_patient_user_id = "patient.user_id"

    record_id = models.UUIDField(db_index=True)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=200)
    filename = models.CharField(max_length=150)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename
