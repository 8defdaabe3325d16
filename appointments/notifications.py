"""The kinds of message this app sends. They are registered with core at start-up (apps.py);
their templates are in templates/notifications/<kind>/ of this app."""

from django.db import models


class AppointmentKind(models.TextChoices):
    APPOINTMENT_BOOKED = "appointment_booked", "Appointment booked"
    APPOINTMENT_CONFIRMED = "appointment_confirmed", "Appointment confirmed"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled", "Appointment rescheduled"
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
    # What the person did themselves (booked, moved, cancelled, confirmed), as a receipt.
    APPOINTMENT_OWN_ACTION = "appointment_own_action", "Confirmation of what you did"


class WaitlistKind(models.TextChoices):
    # A freed slot offered to a waiting patient, held for them for a while.
    WAITLIST_OFFER = "waitlist_offer", "A freed slot offered from the waitlist"
