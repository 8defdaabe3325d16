from django.db import models
from django.db.models import Q

from appointments.models import Appointment
from core.audit import ReadAuditedQuerySet
from core.models import BaseModel
from doctors.models import Doctor
from patients.models import Patient


class PrescriptionStatus(models.TextChoices):
    """FHIR MedicationRequest statuses used by the clinic."""

    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class Route(models.TextChoices):
    ORAL = "oral", "Oral"
    SUBLINGUAL = "sublingual", "Sublingual"
    TOPICAL = "topical", "Topical"
    INHALED = "inhaled", "Inhaled"
    INTRAVENOUS = "intravenous", "Intravenous"
    INTRAMUSCULAR = "intramuscular", "Intramuscular"
    SUBCUTANEOUS = "subcutaneous", "Subcutaneous"
    RECTAL = "rectal", "Rectal"
    OPHTHALMIC = "ophthalmic", "Ophthalmic"
    OTIC = "otic", "Otic"
    NASAL = "nasal", "Nasal"


class Prescription(BaseModel):
    audit_resource_type = "prescription"
    audit_patient_user_id = "patient.user_id"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prescriptions")
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="prescriptions")
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=PrescriptionStatus.choices, default=PrescriptionStatus.ACTIVE
    )
    issued_at = models.DateTimeField()
    notes = models.TextField(blank=True, max_length=2000)
    # Why it was completed, cancelled or retracted.
    status_reason = models.CharField(max_length=500, blank=True)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PrescriptionStatus.values),
                name="prescriptions_status_valid",
            )
        ]
        indexes = [models.Index(fields=["patient", "-issued_at"])]

    def __str__(self) -> str:
        return f"Prescription for {self.patient} ({self.get_status_display()})"


class MedicationLine(BaseModel):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    drug_name = models.CharField(max_length=200)
    strength = models.CharField(max_length=64, blank=True)
    form = models.CharField(max_length=64, blank=True)
    dose = models.CharField(max_length=100)
    route = models.CharField(max_length=16, choices=Route.choices)
    frequency = models.CharField(max_length=100)
    duration_days = models.PositiveSmallIntegerField()
    quantity = models.PositiveIntegerField()
    refills = models.PositiveSmallIntegerField(default=0)
    instructions = models.TextField(blank=True, max_length=1000)
    # The allergy check as it was done when the line was written.
    allergy_checked = models.BooleanField(
        default=False, help_text="False when the drug is not in the drug-class table."
    )
    allergy_findings = models.JSONField(default=list, blank=True)
    allergy_override_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["prescription", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__gte=1, duration_days__lte=365),
                name="prescriptions_duration_1_to_365",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="prescriptions_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(refills__gte=0, refills__lte=12), name="prescriptions_refills_0_to_12"
            ),
            models.CheckConstraint(
                condition=Q(route__in=Route.values), name="prescriptions_route_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug_name} {self.strength}".strip()
