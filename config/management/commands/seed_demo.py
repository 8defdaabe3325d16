"""Seed a demo clinic. Safe to run again: it adds what is missing and changes nothing else."""

from django.core.management.base import BaseCommand
from django.db import transaction

from users.seed import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Create a demo clinic (accounts for every role) and print the demo logins."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            users = seed_users()
        self.stdout.write(self.style.SUCCESS("Demo clinic ready. Sign in with:"))
        for user in users:
            self.stdout.write(f"  {user.get_role_display():<14} {user.email:<32} {DEMO_PASSWORD}")
