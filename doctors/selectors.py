"""Reads of doctors, their schedules and free slots.

Appointments live to the right of this app, so this app never imports them. The time that
bookings hold reaches the slot engine as an argument: callers to the right pass a `BusyLoader`
(appointments.selectors.held_spans), which is asked once for every doctor of a computation.
The bookings that new time off overlaps are still listed through one registered conflict source
(`conflict_source_register`), for the time-off screens of this app.
"""

import zoneinfo
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from core.exceptions import ValidationFailed
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
from doctors.slots import Blocked, Interval, Rules, Slot, Window, compute_slots

# doctor ids, span start, span end -> each doctor's busy intervals (buffers included)
BusyLoader = Callable[[Collection[UUID], datetime, datetime], Mapping[UUID, list[Interval]]]
ConflictSource = Callable[[UUID, datetime, datetime], list[dict]]
_conflict_sources: list[ConflictSource] = []


def conflict_source_register(source: ConflictSource) -> None:
    """Called by an app whose bookings time off may overlap; they are listed, not cancelled."""
    if source not in _conflict_sources:
        _conflict_sources.append(source)


def schedule_conflicts(doctor_id: UUID, start: datetime, end: datetime) -> list[dict]:
    """Bookings inside [start, end) that time off would clash with."""
    return [item for source in _conflict_sources for item in source(doctor_id, start, end)]


def specialization_list() -> QuerySet[Specialization]:
    return Specialization.objects.order_by("name")


def doctor_list() -> QuerySet[Doctor]:
    """The directory: doctors whose accounts are active."""
    return (
        Doctor.objects.filter(user__is_active=True)
        .select_related("user")
        .prefetch_related(Prefetch("specializations", queryset=specialization_list()))
        .order_by("user__full_name", "id")
    )


def doctor_for_user(user) -> Doctor | None:
    return Doctor.objects.select_related("user").filter(user=user).first()


def availability_list(*, doctor: Doctor) -> QuerySet[AvailabilityWindow]:
    return AvailabilityWindow.objects.filter(doctor=doctor).order_by("weekday", "start_time")


def time_off_list(*, doctor: Doctor) -> QuerySet[TimeOff]:
    return TimeOff.objects.filter(doctor=doctor).order_by("start")


def rules_for(doctor: Doctor) -> Rules:
    return Rules(
        timezone=zoneinfo.ZoneInfo(doctor.timezone),
        min_notice=timedelta(minutes=doctor.min_booking_notice_minutes),
        horizon=timedelta(days=doctor.booking_horizon_days),
        buffer_before=timedelta(minutes=doctor.buffer_before_minutes),
        buffer_after=timedelta(minutes=doctor.buffer_after_minutes),
    )


def _as_window(row: AvailabilityWindow) -> Window:
    return Window(
        weekday=row.weekday,
        start=row.start_time,
        end=row.end_time,
        slot_minutes=row.slot_minutes,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )


def span_utc(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """A UTC span that covers those local dates in every time zone (UTC-12 to UTC+14)."""
    start = datetime.combine(first_day, time.min, tzinfo=zoneinfo.ZoneInfo("UTC"))
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zoneinfo.ZoneInfo("UTC"))
    return start - timedelta(hours=15), end + timedelta(hours=15)


@dataclass
class Schedule:
    """Everything the slot engine needs for one doctor over a span, loaded in bulk."""

    doctor: Doctor
    windows: list[Window] = field(default_factory=list)
    time_off: list[Interval] = field(default_factory=list)
    busy: list[Interval] = field(default_factory=list)

    # The searches ask for one day at a time: the spans are sorted and merged once, after
    # schedules_load has filled them.
    @cached_property
    def _blocked_off(self) -> Blocked:
        return Blocked(self.time_off)

    @cached_property
    def _blocked_busy(self) -> Blocked:
        return Blocked(self.busy)

    def slots(
        self, *, first_day: date, last_day: date, now: datetime, include_busy: bool = True
    ) -> list[Slot]:
        """Free slots; without `include_busy`, the doctor's grid: what would be free if
        nothing were booked."""
        return compute_slots(
            windows=self.windows,
            time_off=self._blocked_off,
            busy=self._blocked_busy if include_busy else [],
            now=now,
            rules=rules_for(self.doctor),
            first_day=first_day,
            last_day=last_day,
        )


def schedules_load(
    *, doctors: Sequence[Doctor], first_day: date, last_day: date, busy: BusyLoader | None
) -> dict[UUID, Schedule]:
    """Windows, time off and busy spans of many doctors in three queries, whatever their
    number. `busy` supplies the time that bookings hold (None: nothing is booked)."""
    schedules = {doctor.pk: Schedule(doctor) for doctor in doctors}
    if not schedules:
        return schedules
    ids = list(schedules)
    span_start, span_end = span_utc(first_day, last_day)
    window_rows = AvailabilityWindow.objects.filter(doctor_id__in=ids).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=last_day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=first_day),
    )
    for row in window_rows:
        schedules[row.doctor_id].windows.append(_as_window(row))
    for row in TimeOff.objects.filter(doctor_id__in=ids, start__lt=span_end, end__gt=span_start):
        schedules[row.doctor_id].time_off.append(Interval(row.start, row.end))
    if busy is not None:
        busy_add(schedules, busy=busy, first_day=first_day, last_day=last_day)
    return schedules


def busy_add(
    schedules: dict[UUID, Schedule], *, busy: BusyLoader, first_day: date, last_day: date
) -> None:
    """The time bookings hold over [first_day, last_day], added to the schedules (one query).
    Spans loaded twice where two calls' padded spans meet are merged by the slot engine."""
    span_start, span_end = span_utc(first_day, last_day)
    for doctor_id, spans in busy(list(schedules), span_start, span_end).items():
        if doctor_id in schedules:
            schedules[doctor_id].busy.extend(spans)
            schedules[doctor_id].__dict__.pop("_blocked_busy", None)  # sorted again on use


def doctors_free_slots(
    *,
    doctors: Sequence[Doctor],
    first_day: date,
    last_day: date,
    now: datetime,
    busy: BusyLoader | None,
) -> dict[UUID, list[Slot]]:
    """Free slots of many doctors over local dates [first_day, last_day], in a fixed number of
    queries whatever the number of doctors, windows, time off or appointments."""
    schedules = schedules_load(doctors=doctors, first_day=first_day, last_day=last_day, busy=busy)
    return {
        doctor_id: schedule.slots(first_day=first_day, last_day=last_day, now=now)
        for doctor_id, schedule in schedules.items()
    }


def doctor_free_slots(
    *, doctor: Doctor, first_day: date, last_day: date, now: datetime, busy: BusyLoader | None
) -> list[Slot]:
    return doctors_free_slots(
        doctors=[doctor], first_day=first_day, last_day=last_day, now=now, busy=busy
    )[doctor.pk]


FIRST_BUSY_LOAD = timedelta(days=6)  # the first load covers a week of bookings


def earliest_free_slots(
    *,
    doctors: Sequence[Doctor],
    first_day: date,
    last_day: date,
    now: datetime,
    limit: int,
    busy: BusyLoader | None,
) -> list[tuple[Doctor, Slot]]:
    """The `limit` earliest free slots across many doctors, in a fixed number of queries;
    slots are computed a day at a time and the search stops as soon as later days cannot give
    an earlier slot. Most searches stop within days, so the bookings (the bulk of the rows) are
    loaded for the first week and only then, if the search goes on, for the rest."""
    schedules = schedules_load(doctors=doctors, first_day=first_day, last_day=last_day, busy=None)
    busy_loaded_until = first_day - timedelta(days=1)
    found: list[tuple[Doctor, Slot]] = []
    day = first_day
    # Local dates of different zones overlap by up to 26 hours: one extra day settles the order.
    stop_after: date | None = None
    while day <= last_day and (stop_after is None or day <= stop_after):
        if busy is not None and day > busy_loaded_until:
            until = last_day if day > first_day else min(last_day, day + FIRST_BUSY_LOAD)
            busy_add(schedules, busy=busy, first_day=day, last_day=until)
            busy_loaded_until = until
        for schedule in schedules.values():
            for slot in schedule.slots(first_day=day, last_day=day, now=now):
                found.append((schedule.doctor, slot))
        if stop_after is None and len(found) >= limit:
            stop_after = day + timedelta(days=2)
        day += timedelta(days=1)
    found.sort(key=lambda pair: (pair[1].start, pair[0].user.full_name))
    return found[:limit]


def next_free_slots(
    *,
    doctors: Sequence[Doctor],
    first_day: date,
    last_day: date,
    now: datetime,
    busy: BusyLoader | None,
) -> list[tuple[Doctor, Slot]]:
    """Each doctor's next free slot (doctors with none in the range are left out), soonest
    first. Inputs load once; the walk stops as soon as every doctor has a slot."""
    schedules = schedules_load(doctors=doctors, first_day=first_day, last_day=last_day, busy=busy)
    found: dict[UUID, tuple[Doctor, Slot]] = {}
    day = first_day
    while day <= last_day and len(found) < len(schedules):
        for doctor_id, schedule in schedules.items():
            if doctor_id in found:
                continue
            slots = schedule.slots(first_day=day, last_day=day, now=now)
            if slots:
                found[doctor_id] = (schedule.doctor, min(slots, key=lambda slot: slot.start))
        day += timedelta(days=1)
    return sorted(found.values(), key=lambda pair: (pair[1].start, pair[0].user.full_name))


MAX_SLOT_RANGE_DAYS = 62
# No doctor books further ahead than the longest horizon a profile may have (730 days).
SLOT_DATES_AHEAD = timedelta(days=731)


def slot_range_check(
    first_day: date, last_day: date, *, start_field: str = "start", end_field: str = "end"
) -> None:
    """A slot query covers 1 to 62 local dates, from yesterday up to two years ahead."""
    if last_day < first_day:
        message = "end must not be before start."
        raise ValidationFailed(message, code="end_before_start", fields={end_field: [message]})
    if (last_day - first_day).days + 1 > MAX_SLOT_RANGE_DAYS:
        message = f"Ask for at most {MAX_SLOT_RANGE_DAYS} days at a time."
        raise ValidationFailed(message, code="range_too_long", fields={end_field: [message]})
    today = date.today()
    if first_day < today - timedelta(days=1) or last_day > today + SLOT_DATES_AHEAD:
        message = "Ask for dates from today up to two years ahead."
        raise ValidationFailed(message, code="out_of_range", fields={start_field: [message]})


def slot_view(slot: Slot, *, doctor_zone: tzinfo, viewer_zone: tzinfo | None) -> dict[str, str]:
    """A slot as the API shows it: UTC, the doctor's wall clock and, if asked, the viewer's."""
    shown = {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "doctor_local_start": slot.start.astimezone(doctor_zone).isoformat(),
        "doctor_local_end": slot.end.astimezone(doctor_zone).isoformat(),
    }
    if viewer_zone is not None:
        shown["viewer_local_start"] = slot.start.astimezone(viewer_zone).isoformat()
        shown["viewer_local_end"] = slot.end.astimezone(viewer_zone).isoformat()
    return shown


def doctor_ids_available_on(
    *, doctors: Sequence[Doctor], day: date, now: datetime, busy: BusyLoader | None
) -> set[UUID]:
    slot_range_check(day, day, start_field="available_on", end_field="available_on")
    slots = doctors_free_slots(
        doctors=list(doctors), first_day=day, last_day=day, now=now, busy=busy
    )
    return {doctor_id for doctor_id, free in slots.items() if free}
