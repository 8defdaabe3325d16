import calendar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.audit import ReadAuditedQuerySet
from core.models import BaseModel
from doctors.models import Doctor, Specialization
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
    # A slot held for a patient while they decide on a waitlist offer (FHIR's "proposed"). It
    # is no visit: the lists leave it out, and accepting the offer books a visit in its place.
    PROPOSED = "proposed", "Held for a waitlist offer"


# Only these hold the doctor's (and the patient's) time: the exclusion constraints cover them.
HOLDING = (Status.PENDING, Status.BOOKED, Status.ARRIVED, Status.PROPOSED)
# Visits still to come or under way (a waitlist hold is not a visit).
VISITS_HOLDING = (Status.PENDING, Status.BOOKED, Status.ARRIVED)


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


class WaitlistStatus(models.TextChoices):
    ACTIVE = "active", "Waiting"
    BOOKED = "booked", "Booked from an offer"
    CANCELLED = "cancelled", "Left the waitlist"
    EXPIRED = "expired", "Window passed"


class WaitlistEntry(BaseModel):
    """A patient waiting for a freed slot with one doctor, or with any doctor of a specialty,
    between two dates (the doctor's local dates), on some weekdays and at some times of day."""

    audit_resource_type = "waitlist_entry"
    audit_patient_user_id = "patient.user_id"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="waitlist_entries")
    doctor = models.ForeignKey(
        Doctor, null=True, blank=True, on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    specialization = models.ForeignKey(
        Specialization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    earliest_date = models.DateField()
    latest_date = models.DateField()
    # Weekdays that suit (0 = Monday); empty: any day.
    weekdays = models.JSONField(default=list, blank=True)
    earliest_time = models.TimeField(null=True, blank=True)
    latest_time = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=WaitlistStatus.choices, default=WaitlistStatus.ACTIVE
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(doctor__isnull=True, specialization__isnull=False)
                | Q(doctor__isnull=False, specialization__isnull=True),
                name="waitlist_doctor_or_specialty",
            ),
            models.CheckConstraint(
                condition=Q(earliest_date__lte=F("latest_date")), name="waitlist_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WaitlistStatus.values), name="waitlist_status_valid"
            ),
        ]

    def __str__(self) -> str:
        wanted = self.doctor or self.specialization
        return f"{self.patient} waiting for {wanted}"

    @property
    def weekday_names(self) -> str:
        return ", ".join(calendar.day_abbr[day] for day in self.weekdays)


class OfferState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


class WaitlistOffer(BaseModel):
    """A freed slot offered to one waitlist entry. While open, the slot is held by an
    appointment row in status `proposed` (`hold`), which the exclusion constraints count like
    any booking; it goes when the offer is decided."""

    audit_resource_type = "waitlist_offer"
    audit_patient_user_id = "patient.user_id"

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.PROTECT, related_name="offers")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    hold = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=OfferState.choices, default=OfferState.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [
            # An entry is offered one slot at a time, and each slot once.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(state="open"), name="waitlist_one_open_offer"
            ),
            models.UniqueConstraint(
                fields=["entry", "doctor", "start"], name="waitlist_slot_offered_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=OfferState.values), name="waitlist_offer_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer to {self.patient} of {self.start:%Y-%m-%d %H:%M} UTC ({self.state})"
