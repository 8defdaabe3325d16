from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.audit import ReadAuditedQuerySet
from core.models import BaseModel
from doctors.models import Doctor
from patients.models import Patient
from users.models import User


class Status(models.TextChoices):
    """FHIR appointment statuses used by the clinic."""

    PENDING = "pending", "Pending confirmation"
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Checked in"
    FULFILLED = "fulfilled", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NOSHOW = "noshow", "No-show"


# Only these hold the doctor's (and the patient's) time.
HOLDING = (Status.PENDING, Status.BOOKED, Status.ARRIVED)


class AppointmentSeries(BaseModel):
    """A recurrence: the same weekday and local time every N weeks."""

    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="series")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="series")
    every_weeks = models.PositiveSmallIntegerField()
    occurrences = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "appointment series"


class Appointment(BaseModel):
    audit_resource_type = "appointment"
    audit_patient_user_id = "patient.user_id"

    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="appointments")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The span the booking holds in the doctor's day: start and end widened by the doctor's
    # buffers at booking time. The PostgreSQL exclusion constraint is over this span.
    held_start = models.DateTimeField(editable=False)
    held_end = models.DateTimeField(editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    booked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    off_grid_reason = models.CharField(
        max_length=500, blank=True, help_text="Why staff booked outside the computed slots."
    )
    cancelled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rescheduled_to"
    )
    series = models.ForeignKey(
        AppointmentSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["doctor", "start"]),
            models.Index(fields=["patient", "start"]),
            models.Index(fields=["status", "start"]),
            # Staff's lists and the front desk read every doctor's visits in time order.
            models.Index(fields=["start", "id"], name="appointment_start_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="appointments_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(held_start__lte=F("start")) & Q(held_end__gte=F("end")),
                name="appointments_held_covers_visit",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="appointments_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        # On the reader's clock: the admin activates the signed-in user's zone.
        return (
            f"{self.patient} with {self.doctor} at {timezone.localtime(self.start):%Y-%m-%d %H:%M}"
        )

    @property
    def holds_time(self) -> bool:
        return self.status in HOLDING


class CalendarFeed(BaseModel):
    """A user's secret calendar address; rotating the token retires the old address."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
