"""One active prescription per demo patient, fitting their seeded diagnosis, written by their
care-team doctor through the prescriptions service (so the allergy check runs). Idempotent."""

from health_records.seed import DIAGNOSES
from patients.models import Patient
from prescriptions.models import Prescription
from prescriptions.services import prescription_create

# For each seeded diagnosis, in the same order (health_records.seed.DIAGNOSES).
TREATMENTS = [
    {"drug_name": "Lisinopril", "strength": "10 mg", "form": "tablet", "dose": "1 tablet",
     "route": "oral", "frequency": "once a day", "duration_days": 90, "quantity": 90,
     "refills": 3},
    {"drug_name": "Metformin", "strength": "500 mg", "form": "tablet", "dose": "1 tablet",
     "route": "oral", "frequency": "twice a day with meals", "duration_days": 90,
     "quantity": 180, "refills": 3},
    {"drug_name": "Salbutamol", "strength": "100 micrograms per dose", "form": "inhaler",
     "dose": "2 puffs", "route": "inhaled", "frequency": "when needed, up to 4 times a day",
     "duration_days": 60, "quantity": 1, "refills": 2},
    {"drug_name": "Paracetamol", "strength": "500 mg", "form": "tablet", "dose": "2 tablets",
     "route": "oral", "frequency": "up to 4 times a day", "duration_days": 7, "quantity": 56,
     "refills": 0, "instructions": "No more than 8 tablets in 24 hours."},
]  # fmt: skip


def seed_prescriptions(patients: list[Patient]) -> int:
    if Prescription.objects.exists():
        return Prescription.objects.count()
    assert len(TREATMENTS) == len(DIAGNOSES)
    for index, patient in enumerate(patients):
        assignment = patient.care_assignments.select_related("doctor__user").first()
        if assignment is None:
            continue
        prescription_create(
            actor=assignment.doctor.user,
            patient=patient,
            lines=[TREATMENTS[index % len(TREATMENTS)]],
            notes=f"For {DIAGNOSES[index % len(DIAGNOSES)][1].lower()}.",
        )
    return Prescription.objects.count()
