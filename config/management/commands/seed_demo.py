"""Seed a demo clinic. Safe to run again: it adds what is missing and changes nothing else."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appointments.seed import seed_appointments
from blogs.seed import seed_blog
from doctors.seed import seed_doctors
from health_records.seed import seed_health_records
from patients.seed import seed_patients
from prescriptions.seed import seed_prescriptions
from users.seed import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Create a demo clinic (staff, doctors with schedules, patients with care teams)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. The demo accounts share a published password.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password; with DEBUG off it needs "
                "--force."
            )
        with transaction.atomic():
            staff = seed_users()
            doctors = seed_doctors(staff[0])
            patients = seed_patients(staff[0], doctors)
            posts = seed_blog()
            appointments = seed_appointments(staff[0], doctors, patients)
            records = seed_health_records(patients)
            prescriptions = seed_prescriptions(patients)
        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready. Every password: {DEMO_PASSWORD}"))
        for user in staff:
            self.stdout.write(f"  {user.get_role_display():<14} {user.email}")
        for doctor in doctors:
            self.stdout.write(f"  {'Doctor':<14} {doctor.user.email:<34} {doctor.timezone}")
        for patient in patients[:4]:
            self.stdout.write(f"  {'Patient':<14} {patient.user.email:<34} {patient.user.timezone}")
        self.stdout.write(f"  ... and {len(patients) - 4} more patients (see the admin).")
        self.stdout.write(
            f"  {len(posts)} blog posts at /blog/, {appointments} appointments, "
            f"{records} health records, {prescriptions} prescriptions"
        )
