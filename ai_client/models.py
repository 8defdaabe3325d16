"""Stored AI results, for the patient's history: what was asked, what came back, and which
model or score answered. Results are kept as they were given; nothing edits them later."""

from django.db import models

from core.audit import ReadAuditedQuerySet
from core.models import BaseModel
from patients.models import Patient
from users.models import User


class Urgency(models.TextChoices):
    SELF_CARE = "self_care", "Self-care"
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Within a day or two"
    URGENT = "urgent", "Today"
    EMERGENCY = "emergency", "Emergency"


class RiskScore(models.TextChoices):
    BMI = "bmi", "Body mass index (WHO)"
    BLOOD_PRESSURE = "blood-pressure", "Blood pressure (2017 ACC/AHA)"
    FINDRISC = "findrisc", "FINDRISC type 2 diabetes risk"
    ASCVD = "ascvd", "10-year ASCVD risk (pooled cohort equations)"


class SymptomCheck(BaseModel):
    audit_resource_type = "symptom_check"
    audit_patient_user_id = "patient.user_id"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="symptom_checks")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    input = models.JSONField()
    output = models.JSONField()
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    model_version = models.CharField(max_length=64)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self) -> str:
        return f"Symptom check of {self.patient} ({self.get_urgency_display()})"


class RiskAssessment(BaseModel):
    audit_resource_type = "risk_assessment"
    audit_patient_user_id = "patient.user_id"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="risk_assessments")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    score = models.CharField(max_length=32, choices=RiskScore.choices)
    input = models.JSONField()
    output = models.JSONField()
    model_version = models.CharField(max_length=64)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["patient", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_score_display()} of {self.patient}"
