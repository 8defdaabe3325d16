"""What the slot engine reads of each doctor, kept in the cache under a per-doctor version.

Two entries per doctor: the timetable (weekly windows and time off), which every slot page,
search and booking reads, and the doctor row's terms (time zone, notice, horizon, buffers,
whether the account is active), which a doctor's own slot page reads with it, in the same round
trip to the cache. Both change rarely. The time that bookings hold is never cached: it
changes with every booking, and the booking's own checks and constraints must see it as it is.

The version moves on after every change that commits (core.caching):
- the doctors services call `schedule_changed` for each write they make;
- post_save / post_delete of a doctor, a window, time off or a doctor's account do too, so the
  admin, fixtures, cascades and any other save cannot miss it;
- rows written without signals (`QuerySet.update()`, `bulk_create`, COPY) must call
  `schedule_changed` themselves. Nothing in the portal writes schedules that way; the
  benchmark's generator (COPY, bench/dataset.py) does call it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core.caching import Ask, VersionedCache, Versions, cached_many
from doctors.models import AvailabilityWindow, Doctor, TimeOff
from doctors.slots import Interval, Window
from users.models import User

# The doctor fields the slot engine reads (doctors.selectors.rules_for).
SCHEDULE_FIELDS = (
    "timezone",
    "min_booking_notice_minutes",
    "booking_horizon_days",
    "buffer_before_minutes",
    "buffer_after_minutes",
)
ENTRY_SECONDS = 30 * 60  # a bound on staleness should a version move be lost (Redis away)
# An entry leaves out time off that ended this long before it was read: no slot of a page
# anyone may ask for (from yesterday on) reaches back that far.
TIME_OFF_KEPT = timedelta(days=4)


@dataclass(frozen=True, slots=True)
class DoctorTerms:
    """A doctor row as the slot engine reads it; `active` is the account's is_active."""

    pk: UUID
    active: bool
    timezone: str
    min_booking_notice_minutes: int
    booking_horizon_days: int
    buffer_before_minutes: int
    buffer_after_minutes: int


@dataclass(frozen=True, slots=True)
class Timetable:
    """A doctor's weekly windows, and the time off that ends after `time_off_from`."""

    windows: tuple[Window, ...]
    time_off: tuple[Interval, ...]
    time_off_from: datetime


@dataclass(frozen=True, slots=True)
class DoctorSchedule:
    """What a doctor's slot page reads of the doctor: terms and timetable."""

    terms: DoctorTerms
    timetable: Timetable


schedule_versions: Versions[UUID] = Versions("doctors.schedule")
_terms: VersionedCache[UUID, DoctorTerms] = VersionedCache(
    schedule_versions, "terms", timeout=ENTRY_SECONDS
)
_timetables: VersionedCache[UUID, Timetable] = VersionedCache(
    schedule_versions, "timetable", timeout=ENTRY_SECONDS
)


def schedule_changed(doctor_id: UUID) -> None:
    """The doctor's terms, windows or time off changed: cached copies stop being used once
    the transaction commits (and, for this connection, at once)."""
    schedule_versions.changed(doctor_id)


def doctor_schedules(doctor_ids: Iterable[UUID]) -> dict[UUID, DoctorSchedule]:
    """Each existing doctor's terms (active or not) and timetable, in one round trip to the
    cache; one query for the terms it misses, two for the timetables. The time off is complete
    from `TIME_OFF_KEPT` before now, enough for any slot page (from yesterday on)."""
    doctor_ids = list(doctor_ids)
    terms, tables = cached_many(
        Ask(_terms, doctor_ids, _terms_load), _timetables_ask(doctor_ids, since=_time_off_from())
    )
    return {
        doctor_id: DoctorSchedule(terms[doctor_id], tables[doctor_id])
        for doctor_id in terms
        if doctor_id in tables
    }


def timetables(doctor_ids: Iterable[UUID], *, since: datetime) -> dict[UUID, Timetable]:
    """Each doctor's windows and time off, cached; two queries for the misses. The time off
    is complete from `since` on (whatever ended before may be left out)."""
    return cached_many(_timetables_ask(doctor_ids, since=since))[0]


def _time_off_from() -> datetime:
    return timezone.now() - TIME_OFF_KEPT


def _timetables_ask(doctor_ids: Iterable[UUID], *, since: datetime) -> Ask:
    return Ask(
        _timetables,
        doctor_ids,
        lambda ids: _timetables_load(ids, since=min(since, _time_off_from())),
        usable=lambda timetable: timetable.time_off_from <= since,
    )


def _terms_load(doctor_ids: list[UUID]) -> dict[UUID, DoctorTerms]:
    rows = Doctor.objects.filter(pk__in=doctor_ids).values_list(
        "pk", "user__is_active", *SCHEDULE_FIELDS
    )
    return {row[0]: DoctorTerms(*row) for row in rows}


def _timetables_load(doctor_ids: list[UUID], *, since: datetime) -> dict[UUID, Timetable]:
    windows: dict[UUID, list[Window]] = {doctor_id: [] for doctor_id in doctor_ids}
    time_off: dict[UUID, list[Interval]] = {doctor_id: [] for doctor_id in doctor_ids}
    window_rows = AvailabilityWindow.objects.filter(doctor_id__in=doctor_ids).values_list(
        "doctor_id", "weekday", "start_time", "end_time", "slot_minutes", "valid_from", "valid_to"
    )
    for doctor_id, *fields in window_rows:
        windows[doctor_id].append(Window(*fields))
    time_off_rows = TimeOff.objects.filter(doctor_id__in=doctor_ids, end__gt=since).values_list(
        "doctor_id", "start", "end"
    )
    for doctor_id, start, end in time_off_rows:
        time_off[doctor_id].append(Interval(start, end))
    # A doctor without rows gets an empty timetable (cached too): an unknown id costs the same
    # two queries once, and nothing else reads it.
    return {
        doctor_id: Timetable(tuple(windows[doctor_id]), tuple(time_off[doctor_id]), since)
        for doctor_id in doctor_ids
    }


# --- the safety net: every save and delete, whichever door made it -------------------------


def _row_saved_or_deleted(sender: type, instance: AvailabilityWindow | TimeOff, **kwargs) -> None:
    schedule_changed(instance.doctor_id)


def _doctor_saved(
    sender: type, instance: Doctor, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if update_fields is None or not update_fields.isdisjoint(SCHEDULE_FIELDS):
        schedule_changed(instance.pk)


def _doctor_deleted(sender: type, instance: Doctor, **kwargs: Any) -> None:
    schedule_changed(instance.pk)


def _account_saved(
    sender: type,
    instance: User,
    created: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """A doctor whose account is deactivated (or reactivated) leaves (or rejoins) the slot
    pages. Saves that cannot change it (new accounts, sign-ins, passwords) read nothing."""
    if created or (update_fields is not None and "is_active" not in update_fields):
        return
    for doctor_id in Doctor.objects.filter(user_id=instance.pk).values_list("pk", flat=True):
        schedule_changed(doctor_id)


def schedule_signals_connect() -> None:
    for model in (AvailabilityWindow, TimeOff):
        post_save.connect(_row_saved_or_deleted, sender=model, dispatch_uid=f"schedule.{model}")
        post_delete.connect(
            _row_saved_or_deleted, sender=model, dispatch_uid=f"schedule.{model}.deleted"
        )
    post_save.connect(_doctor_saved, sender=Doctor, dispatch_uid="schedule.doctor")
    post_delete.connect(_doctor_deleted, sender=Doctor, dispatch_uid="schedule.doctor.deleted")
    post_save.connect(_account_saved, sender=User, dispatch_uid="schedule.account")
