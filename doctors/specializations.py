"""The specialties a clinic offers from the start. A migration adds them to a new database; the
app adds any that are missing after every migrate (and after a test database is flushed)."""

from django.utils.text import slugify

from doctors.models import Specialization

CLINIC_SPECIALIZATIONS = [
    "Allergy and immunology",
    "Cardiology",
    "Dermatology",
    "Endocrinology",
    "Family medicine",
    "Gastroenterology",
    "General surgery",
    "Infectious diseases",
    "Internal medicine",
    "Nephrology",
    "Neurology",
    "Obstetrics and gynecology",
    "Oncology",
    "Ophthalmology",
    "Orthopedics",
    "Otolaryngology (ENT)",
    "Pediatrics",
    "Psychiatry",
    "Pulmonology",
    "Rheumatology",
    "Urology",
]


def specializations_ensure() -> None:
    for name in CLINIC_SPECIALIZATIONS:
        Specialization.objects.get_or_create(slug=slugify(name), defaults={"name": name})
