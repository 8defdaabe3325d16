from django.db import migrations
from django.utils.text import slugify

SPECIALIZATIONS = [
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


def add_specializations(apps, schema_editor):
    Specialization = apps.get_model("doctors", "Specialization")
    for name in SPECIALIZATIONS:
        Specialization.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("doctors", "0001_initial")]

    operations = [migrations.RunPython(add_specializations, migrations.RunPython.noop)]
