"""Every write to doctors, their schedules and time off.

Each write to what the slot engine reads calls `schedule_changed`: the cached copies
(doctors.schedule_cache) stop being used once the write commits."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import NotAllowed, ValidationFailed
from core.services import model_clean, model_update
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff, Weekday
from doctors.permissions import can_manage_doctor
from doctors.schedule_cache import SCHEDULE_FIELDS, schedule_changed
from users.models import Role, User
from users.roles import is_clinic_staff

# The profile fields a doctor or staff may set, in the order the API shows them.
DOCTOR_FIELDS = (
    "license_number",
    "bio",
    "years_of_experience",
    "education",
    "timezone",
    "accepting_new_patients",
    "default_visit_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_booking_notice_minutes",
    "booking_horizon_days",
    "requires_confirmation",
)
WINDOW_FIELDS = ("weekday", "start_time", "end_time", "slot_minutes", "valid_from", "valid_to")


def _require_manager(actor: User, doctor: Doctor) -> None:
    if not can_manage_doctor(actor, doctor):
        raise NotAllowed("Only the doctor themself or clinic staff can change this.")


def _specializations(slugs: Iterable[str]) -> list[Specialization]:
    slugs = list(dict.fromkeys(slugs))
    found = list(Specialization.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {item.slug for item in found})
    if missing:
        message = f"Unknown specialization: {', '.join(missing)}."
        raise ValidationFailed(message, fields={"specializations": [message]})
    return found


def _license_free(license_number: str, exclude_pk=None) -> None:
    taken = Doctor.objects.filter(license_number__iexact=license_number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        message = "Another doctor has this license number."
        raise ValidationFailed(message, code="license_taken", fields={"license_number": [message]})


def doctor_create(
    *, actor: User, user: User, specializations: Iterable[str] = (), **fields: Any
) -> Doctor:
    """Give a doctor account its doctor profile (staff and administrators)."""
    if not is_clinic_staff(actor):
        raise NotAllowed("Only clinic staff can add doctors.")
    if user.role != Role.DOCTOR:
        message = "This account does not have the doctor role."
        raise ValidationFailed(message, fields={"user": [message]})
    if Doctor.objects.filter(user=user).exists():
        message = "This doctor already has a profile."
        raise ValidationFailed(message, fields={"user": [message]})
    fields.setdefault("timezone", user.timezone)
    doctor = Doctor(user=user)
    model_update(instance=doctor, fields=DOCTOR_FIELDS, data=fields, exclude=["user"])
    _license_free(doctor.license_number)
    chosen = _specializations(specializations)
    try:
        with transaction.atomic():
            doctor.save()
            doctor.specializations.set(chosen)
    except IntegrityError as exc:
        raise ValidationFailed("This doctor or license number already exists.") from exc
    return doctor


def doctor_update(*, actor: User, doctor: Doctor, data: dict[str, Any]) -> Doctor:
    _require_manager(actor, doctor)
    data = dict(data)
    slugs = data.pop("specializations", None)
    if "license_number" in data and not is_clinic_staff(actor):
        raise NotAllowed("Only clinic staff can change a license number.")
    changed = model_update(instance=doctor, fields=DOCTOR_FIELDS, data=data, exclude=["user"])
    if "license_number" in data:
        _license_free(doctor.license_number, exclude_pk=doctor.pk)
    chosen = _specializations(slugs) if slugs is not None else None
    with transaction.atomic():
        doctor.save(update_fields=[*changed, "updated_at"])
        if chosen is not None:
            doctor.specializations.set(chosen)
        if not set(changed).isdisjoint(SCHEDULE_FIELDS):
            schedule_changed(doctor.pk)
    return doctor


def _lock_doctor(doctor: Doctor) -> None:
    """Serialise schedule changes of one doctor (PostgreSQL row lock; SQLite locks on write)."""
    Doctor.objects.select_for_update().filter(pk=doctor.pk).values_list("pk").first()


def _describe(window: AvailabilityWindow) -> str:
    weekday = Weekday(window.weekday).label
    return f"{weekday} {window.start_time:%H:%M}-{window.end_time:%H:%M} window ({window.pk})"


def _check_window_rules(window: AvailabilityWindow) -> None:
    """The rules beyond the fields' own: order, valid range, no overlap with the others."""
    if window.start_time >= window.end_time:
        message = "The window must end after it starts."
        raise ValidationFailed(message, code="end_before_start", fields={"end_time": [message]})
    if window.valid_from and window.valid_to and window.valid_from > window.valid_to:
        message = "valid_to must not be before valid_from."
        raise ValidationFailed(message, fields={"valid_to": [message]})
    clashes = AvailabilityWindow.objects.filter(
        doctor_id=window.doctor_id,
        weekday=window.weekday,
        start_time__lt=window.end_time,
        end_time__gt=window.start_time,
    ).exclude(pk=window.pk)
    for other in clashes:
        if _dates_overlap(window, other):
            message = f"Overlaps the {_describe(other)}."
            raise ValidationFailed(
                message,
                code="window_overlap",
                fields={"start_time": [message], "clashing_window": [str(other.pk)]},
            )


def _dates_overlap(a: AvailabilityWindow, b: AvailabilityWindow) -> bool:
    a_from, a_to = a.valid_from, a.valid_to
    b_from, b_to = b.valid_from, b.valid_to
    return (a_to is None or b_from is None or b_from <= a_to) and (
        b_to is None or a_from is None or a_from <= b_to
    )


def availability_create(*, actor: User, doctor: Doctor, **fields: Any) -> AvailabilityWindow:
    _require_manager(actor, doctor)
    with transaction.atomic():
        _lock_doctor(doctor)
        window = AvailabilityWindow(doctor=doctor)
        model_update(instance=window, fields=WINDOW_FIELDS, data=fields, exclude=["doctor"])
        _check_window_rules(window)
        window.save()
        schedule_changed(doctor.pk)
    return window


def availability_update(
    *, actor: User, window: AvailabilityWindow, data: dict[str, Any]
) -> AvailabilityWindow:
    _require_manager(actor, window.doctor)
    with transaction.atomic():
        _lock_doctor(window.doctor)
        changed = model_update(instance=window, fields=WINDOW_FIELDS, data=data, exclude=["doctor"])
        _check_window_rules(window)
        window.save(update_fields=[*changed, "updated_at"])
        schedule_changed(window.doctor_id)
    return window


def availability_delete(*, actor: User, window: AvailabilityWindow) -> None:
    _require_manager(actor, window.doctor)
    window.delete()
    schedule_changed(window.doctor_id)


# Nothing is booked further ahead than the longest booking horizon (730 days).
TIME_OFF_AHEAD = timedelta(days=731)


def check_time_off(time_off: TimeOff) -> None:
    """The rules of a block of time off, for the API and the admin alike: aware times, end
    after start, not entirely past, and within the two years that can be booked."""
    start, end, now = time_off.start, time_off.end, timezone.now()
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationFailed("Give start and end with a time zone offset.", code="naive_datetime")
    if end <= start:
        message = "Time off must end after it starts."
        raise ValidationFailed(message, code="end_before_start", fields={"end": [message]})
    if end <= now:
        message = "This time off is entirely in the past."
        raise ValidationFailed(message, code="in_the_past", fields={"end": [message]})
    for field, moment in (("start", start), ("end", end)):
        if moment > now + TIME_OFF_AHEAD:
            message = "Time off can be entered up to two years ahead."
            raise ValidationFailed(message, code="out_of_range", fields={field: [message]})


def time_off_create(
    *, actor: User, doctor: Doctor, start: datetime, end: datetime, reason: str = ""
) -> TimeOff:
    """Block time. Booked appointments inside it are not cancelled: the appointments app lists
    them as conflicts for the clinic to resolve."""
    _require_manager(actor, doctor)
    time_off = TimeOff(doctor=doctor, start=start, end=end, reason=reason.strip())
    check_time_off(time_off)
    model_clean(time_off, exclude=["doctor"])
    time_off.save()
    schedule_changed(doctor.pk)
    return time_off


def time_off_delete(*, actor: User, time_off: TimeOff) -> None:
    _require_manager(actor, time_off.doctor)
    time_off.delete()
    schedule_changed(time_off.doctor_id)
