"""A believable chart for each demo patient, written by their care-team doctor through the
records service: vitals over time, labs, a diagnosis, an allergy, an immunization and a note.
Idempotent: does nothing once any record exists."""

from datetime import timedelta

from django.utils import timezone

from health_records.models import HealthRecord
from health_records.services import health_record_create
from patients.models import Patient

DIAGNOSES = [
    ("I10", "Essential (primary) hypertension"),
    ("E11.9", "Type 2 diabetes mellitus without complications"),
    ("J45.909", "Asthma, uncomplicated"),
    ("M54.5", "Low back pain"),
]
ALLERGIES = [
    ("Penicillin", "Hives", "moderate"),
    ("Ibuprofen", "Wheeze", "severe"),
    ("Sulfamethoxazole", "Rash", "mild"),
    ("Codeine", "Vomiting", "mild"),
]


def seed_health_records(patients: list[Patient]) -> int:
    if HealthRecord.objects.exists():
        return HealthRecord.objects.count()
    now = timezone.now()
    for index, patient in enumerate(patients):
        assignment = patient.care_assignments.select_related("doctor__user").first()
        if assignment is None:
            continue
        write = {"actor": assignment.doctor.user, "patient": patient}
        for months_ago, (systolic, diastolic, weight) in enumerate(
            [(142, 91, 84.0), (136, 88, 82.5), (129, 84, 81.0)][::-1]
        ):
            health_record_create(
                **write,
                record_type="vital_signs",
                recorded_at=now - timedelta(days=30 * months_ago + 3),
                data={
                    "systolic_mmhg": systolic - index,
                    "diastolic_mmhg": diastolic - index,
                    "heart_rate_bpm": 70 + index,
                    "weight_kg": weight + index,
                    "height_cm": 168 + index,
                },
            )
        for test, loinc, value, unit, low, high in (
            ("HbA1c", "4548-4", 6.1 + index * 0.3, "%", 4.0, 5.6),
            ("Cholesterol, total", "14647-2", 4.6 + index * 0.4, "mmol/L", 0, 5.0),
            ("HDL cholesterol", "14646-4", 1.3, "mmol/L", 1.0, 3.0),
        ):
            health_record_create(
                **write,
                record_type="lab_result",
                recorded_at=now - timedelta(days=20),
                data={
                    "test_name": test,
                    "loinc_code": loinc,
                    "value": round(value, 1),
                    "unit": unit,
                    "reference_low": low,
                    "reference_high": high,
                },
            )
        code, description = DIAGNOSES[index % len(DIAGNOSES)]
        health_record_create(
            **write,
            record_type="diagnosis",
            recorded_at=now - timedelta(days=60),
            data={"icd10_code": code, "description": description, "clinical_status": "active"},
        )
        substance, reaction, severity = ALLERGIES[index % len(ALLERGIES)]
        health_record_create(
            **write,
            record_type="allergy",
            recorded_at=now - timedelta(days=400),
            data={"substance": substance, "reaction": reaction, "severity": severity},
        )
        health_record_create(
            **write,
            record_type="immunization",
            recorded_at=now - timedelta(days=200),
            data={
                "vaccine": "Influenza (seasonal)",
                "dose_number": 1,
                "date": (now - timedelta(days=200)).date().isoformat(),
                "lot": f"FLU-{2400 + index}",
            },
        )
        health_record_create(
            **write,
            record_type="note",
            recorded_at=now - timedelta(days=20),
            data={
                "text": "Reviewed home blood pressure readings.\n\n"
                "- Continue the current plan\n- Recheck in **three months**"
            },
        )
    return HealthRecord.objects.count()
