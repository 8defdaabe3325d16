"""The kinds of message this app sends, registered with core at start-up (apps.py); their
templates are in templates/notifications/<kind>/ of this app."""

from django.db import models


class PrescriptionKind(models.TextChoices):
    PRESCRIPTION_ISSUED = "prescription_issued", "New prescription"
