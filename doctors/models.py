from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import BaseModel
from users.models import User, validate_timezone


class Specialization(BaseModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Doctor(BaseModel):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="doctor_profile")
    specializations = models.ManyToManyField(Specialization, related_name="doctors", blank=True)
    license_number = models.CharField(max_length=50, unique=True)
    bio = models.TextField(blank=True, max_length=5000)
    years_of_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(70)]
    )
    education = models.TextField(blank=True, max_length=2000)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    accepting_new_patients = models.BooleanField(default=True)
    default_visit_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(120)]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(120)]
    )
    min_booking_notice_minutes = models.PositiveIntegerField(
        default=120, validators=[MaxValueValidator(60 * 24 * 30)]
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(730)]
    )
    requires_confirmation = models.BooleanField(
        default=False, help_text="Patients' bookings wait as pending until confirmed."
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_visit_minutes__gte=5), name="doctors_doctor_visit_min_length"
            ),
            models.CheckConstraint(
                condition=Q(booking_horizon_days__gte=1), name="doctors_doctor_horizon_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AvailabilityWindow(BaseModel):
    """A weekly window, in wall-clock time of the doctor's time zone."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start_time"]
        indexes = [models.Index(fields=["doctor", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="doctors_window_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="doctors_window_weekday"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="doctors_window_slot_min_length"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=F("valid_to")),
                name="doctors_window_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class TimeOff(BaseModel):
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["doctor", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="doctors_timeoff_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        # On the reader's clock: the admin activates the signed-in user's zone.
        if self.start is None or self.end is None:
            return "Time off"
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M} - {end:%Y-%m-%d %H:%M}"
