"""Reads of prescriptions and of the patient's chart summary, through the door
(patients.access): the patient and the doctors linked to them; every row shown is audited."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet, Subquery

from appointments.models import VISITS_HOLDING, Appointment
from core.audit import audit_record
from core.lookups import get_visible_or_404
from core.models import AuditAction
from health_records.models import HealthRecord, RecordStatus, RecordType
from patients.access import Access, chart_patient_for_actor, clinical_rows_visible_to
from prescriptions.models import MedicationLine, Prescription, PrescriptionStatus
from users.models import User


def prescription_list(*, actor: User, access: Access = Access.VIEW) -> QuerySet[Prescription]:
    rows = Prescription.objects.select_related("patient__user", "doctor__user").prefetch_related(
        Prefetch("lines", queryset=MedicationLine.objects.order_by("position"))
    )
    return clinical_rows_visible_to(rows, actor, access=access).order_by("-issued_at", "id")


def prescription_get(*, actor: User, prescription_id, access: Access = Access.VIEW):
    return get_visible_or_404(
        prescription_list(actor=actor, access=access), "No such prescription.", pk=prescription_id
    )


ACTIVE_DIAGNOSIS = ("active", "recurrence", "relapse")


def chart_summary(*, actor: User, patient_id, now: datetime, upcoming: int = 10) -> dict:
    """What a doctor opens a chart for, in a fixed number of queries whatever the history:
    active prescriptions with their lines, allergies, the latest vitals, active diagnoses and
    the next appointments. Through the door (the patient or a linked doctor; anyone else 404),
    and audited as one read of the patient's summary."""
    patient = chart_patient_for_actor(actor=actor, patient_id=patient_id)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        resource_type="patient_summary",
        resource_id=patient.pk,
        patient=patient.user,
    )
    prescriptions = list(
        Prescription.objects.filter(patient=patient, status=PrescriptionStatus.ACTIVE)
        .select_related("doctor__user", "patient__user")
        .prefetch_related(Prefetch("lines", queryset=MedicationLine.objects.order_by("position")))
        .order_by("-issued_at")
    )
    latest_vitals_id = (
        HealthRecord.objects.filter(
            patient=patient, status=RecordStatus.FINAL, record_type=RecordType.VITAL_SIGNS
        )
        .order_by("-recorded_at", "-version")
        .values("pk")[:1]
    )
    # Allergies, diagnoses and the latest vitals in one query.
    records = list(
        HealthRecord.objects.filter(patient=patient, status=RecordStatus.FINAL)
        .filter(
            Q(record_type__in=[RecordType.ALLERGY, RecordType.DIAGNOSIS])
            | Q(pk=Subquery(latest_vitals_id))
        )
        .select_related("author", "patient__user")
        .order_by("-recorded_at")
    )
    latest_vitals = next(
        (row for row in records if row.record_type == RecordType.VITAL_SIGNS), None
    )
    appointments = list(
        Appointment.objects.filter(patient=patient, status__in=VISITS_HOLDING, end__gt=now)
        .select_related("doctor__user", "patient__user")
        .order_by("start")[:upcoming]
    )
    return {
        "patient": patient,
        "active_prescriptions": prescriptions,
        "allergies": [row for row in records if row.record_type == RecordType.ALLERGY],
        "profile_allergies": patient.allergies,
        "latest_vitals": latest_vitals,
        "active_diagnoses": [
            row
            for row in records
            if row.record_type == RecordType.DIAGNOSIS
            and row.data.get("clinical_status") in ACTIVE_DIAGNOSIS
        ],
        "upcoming_appointments": appointments,
    }
