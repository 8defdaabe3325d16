"""The kinds of message this app sends, registered with core at start-up (apps.py); their
templates are in templates/notifications/<kind>/ of this app."""

from django.db import models


class HealthRecordKind(models.TextChoices):
    HEALTH_RECORD_ADDED = "health_record_added", "New entry in your health record"
