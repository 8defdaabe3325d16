"""Reads of doctors, their schedules and free slots.

Appointments live to the right of this app, so this app never imports them. The time that
bookings hold reaches the slot engine as an argument: callers to the right pass a `BusyLoader`
(appointments.selectors.held_spans), which is asked once for every doctor of a computation.
The bookings that new time off overlaps are still listed through one registered conflict source
(`conflict_source_register`), for the time-off screens of this app.

Each doctor's terms, windows and time off come from a cache versioned on every change
(doctors.schedule_cache); only the bookings are read from the database each time.
"""

import heapq
import zoneinfo
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property
from typing import Any, Protocol
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from core.exceptions import ValidationFailed
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
from doctors.schedule_cache import (
    SCHEDULE_FIELDS,
    DoctorSchedule,
    Timetable,
    doctor_schedules,
    timetables,
)
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


def doctors_to_search(*, specialization: str) -> list[Doctor]:
    """The doctors of a specialty that a new patient can book, for a slot search: the fields it
    shows and the slot engine reads, without their specialties."""
    return list(
        doctor_list()
        .prefetch_related(None)
        .filter(specializations__slug=specialization, accepting_new_patients=True)
        .only("user", "user__full_name", *SCHEDULE_FIELDS)
    )


def doctor_for_user(user) -> Doctor | None:
    return Doctor.objects.select_related("user").filter(user=user).first()


def availability_list(*, doctor: Doctor) -> QuerySet[AvailabilityWindow]:
    return AvailabilityWindow.objects.filter(doctor=doctor).order_by("weekday", "start_time")


def time_off_list(*, doctor: Doctor) -> QuerySet[TimeOff]:
    return TimeOff.objects.filter(doctor=doctor).order_by("start")


class ScheduleTerms(Protocol):
    """What the slot engine reads of a doctor: a Doctor, or its cached DoctorTerms
    (doctors.schedule_cache)."""

    pk: Any
    timezone: str
    min_booking_notice_minutes: int
    booking_horizon_days: int
    buffer_before_minutes: int
    buffer_after_minutes: int


def doctor_schedule_get(doctor_id: Any) -> DoctorSchedule | None:
    """An active doctor's terms and timetable by id, from the cache (one round trip): what a
    slot page reads of the doctor. None for an unknown id, a malformed one or an inactive
    account (the directory's rule, as `doctor_list`)."""
    try:
        doctor_id = UUID(str(doctor_id))
    except ValueError:
        return None
    found = doctor_schedules([doctor_id]).get(doctor_id)
    return found if found is not None and found.terms.active else None


def rules_for(doctor: ScheduleTerms) -> Rules:
    return Rules(
        timezone=zoneinfo.ZoneInfo(doctor.timezone),
        min_notice=timedelta(minutes=doctor.min_booking_notice_minutes),
        horizon=timedelta(days=doctor.booking_horizon_days),
        buffer_before=timedelta(minutes=doctor.buffer_before_minutes),
        buffer_after=timedelta(minutes=doctor.buffer_after_minutes),
    )


def span_utc(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """A UTC span that covers those local dates in every time zone (UTC-12 to UTC+14)."""
    start = datetime.combine(first_day, time.min, tzinfo=zoneinfo.ZoneInfo("UTC"))
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zoneinfo.ZoneInfo("UTC"))
    return start - timedelta(hours=15), end + timedelta(hours=15)


def local_days_span(
    zones: Iterable[tzinfo], first_day: date, last_day: date, *, margin: timedelta
) -> tuple[datetime, datetime]:
    """The UTC span of local dates [first_day, last_day] in every one of these zones, widened
    by `margin`: tighter than `span_utc` when the zones are known."""
    zones = list(zones)
    start = min(datetime.combine(first_day, time.min, tzinfo=zone) for zone in zones)
    after = last_day + timedelta(days=1)
    end = max(datetime.combine(after, time.min, tzinfo=zone) for zone in zones)
    return start - margin, end + margin


@dataclass
class Schedule:
    """Everything the slot engine needs for one doctor over a span, loaded in bulk. `doctor`
    is what the caller passed: a Doctor, or the cached DoctorTerms of a slot page."""

    doctor: Any
    windows: list[Window] = field(default_factory=list)
    time_off: list[Interval] = field(default_factory=list)
    busy: list[Interval] = field(default_factory=list)

    @cached_property
    def rules(self) -> Rules:
        return rules_for(self.doctor)

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
            rules=self.rules,
            first_day=first_day,
            last_day=last_day,
        )


def schedules_load(
    *,
    doctors: Sequence[ScheduleTerms],
    first_day: date,
    last_day: date,
    busy: BusyLoader | None,
    now: datetime | None = None,
    known: Mapping[UUID, Timetable] | None = None,
) -> dict[UUID, Schedule]:
    """Windows, time off and busy spans of many doctors: the first two from the cache (two
    queries for the doctors it misses) unless the caller read them already (`known`), the
    bookings in one query, whatever their number. `busy` supplies the time that bookings hold
    (None: nothing is booked); given the `now` the slots will be computed for, bookings that
    ended well before it are not read."""
    schedules = {doctor.pk: Schedule(doctor) for doctor in doctors}
    if not schedules:
        return schedules
    span_start, span_end = _span_of(schedules, first_day, last_day)
    found = {
        doctor_id: timetable
        for doctor_id, timetable in (known or {}).items()
        if doctor_id in schedules and timetable.time_off_from <= span_start
    }
    found.update(timetables([pk for pk in schedules if pk not in found], since=span_start))
    for doctor_id, timetable in found.items():
        schedule = schedules[doctor_id]
        schedule.windows = [
            window
            for window in timetable.windows
            if (window.valid_from is None or window.valid_from <= last_day)
            and (window.valid_to is None or window.valid_to >= first_day)
        ]
        schedule.time_off = [
            off for off in timetable.time_off if off.start < span_end and off.end > span_start
        ]
    if busy is not None:
        busy_add(schedules, busy=busy, first_day=first_day, last_day=last_day, now=now)
    return schedules


def _margin(schedules: Mapping[UUID, Schedule]) -> timedelta:
    """How far outside its local day anything can touch a slot: the longest buffer, and an
    hour for a clock change at midnight."""
    rules = [schedule.rules for schedule in schedules.values()]
    return max(max(rule.buffer_before, rule.buffer_after) for rule in rules) + timedelta(hours=1)


def _span_of(schedules: Mapping[UUID, Schedule], first_day: date, last_day: date):
    zones = {schedule.rules.timezone for schedule in schedules.values()}
    return local_days_span(zones, first_day, last_day, margin=_margin(schedules))


def busy_add(
    schedules: dict[UUID, Schedule],
    *,
    busy: BusyLoader,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
) -> None:
    """The time bookings hold over [first_day, last_day], added to the schedules (one query).
    No slot starts before `now`, nor reaches back further than its buffer: bookings that ended
    before that are left out. Spans loaded twice where two calls' spans meet are merged by the
    slot engine."""
    span_start, span_end = _span_of(schedules, first_day, last_day)
    if now is not None:
        span_start = max(span_start, now - _margin(schedules))
    if span_start >= span_end:
        return
    for doctor_id, spans in busy(list(schedules), span_start, span_end).items():
        if doctor_id in schedules:
            schedules[doctor_id].busy.extend(spans)
            schedules[doctor_id].__dict__.pop("_blocked_busy", None)  # sorted again on use


def doctors_free_slots(
    *,
    doctors: Sequence[ScheduleTerms],
    first_day: date,
    last_day: date,
    now: datetime,
    busy: BusyLoader | None,
) -> dict[UUID, list[Slot]]:
    """Free slots of many doctors over local dates [first_day, last_day], in a fixed number of
    queries whatever the number of doctors, windows, time off or appointments."""
    schedules = schedules_load(
        doctors=doctors, first_day=first_day, last_day=last_day, busy=busy, now=now
    )
    return {
        doctor_id: schedule.slots(first_day=first_day, last_day=last_day, now=now)
        for doctor_id, schedule in schedules.items()
    }


def doctor_free_slots(
    *,
    doctor: ScheduleTerms | DoctorSchedule,
    first_day: date,
    last_day: date,
    now: datetime,
    busy: BusyLoader | None,
) -> list[Slot]:
    """One doctor's free slots: a Doctor, or the DoctorSchedule a slot page read already."""
    if isinstance(doctor, DoctorSchedule):
        terms, known = doctor.terms, {doctor.terms.pk: doctor.timetable}
    else:
        terms, known = doctor, None
    schedules = schedules_load(
        doctors=[terms], first_day=first_day, last_day=last_day, busy=busy, now=now, known=known
    )
    return schedules[terms.pk].slots(first_day=first_day, last_day=last_day, now=now)


# The bookings of the first day first, then three times as many days each time the walk goes
# on: most searches read one day, and 30 days take at most four reads.
FIRST_BUSY_DAYS, BUSY_DAYS_GROWTH = 1, 3


def earliest_free_slots(
    *,
    doctors: Sequence[Doctor],
    first_day: date,
    last_day: date,
    now: datetime,
    limit: int,
    busy: BusyLoader | None,
) -> list[tuple[Doctor, Slot]]:
    """The `limit` earliest free slots across many doctors, in a fixed number of queries.

    Slots are computed a day at a time, and the walk stops at the first day that cannot give a
    slot earlier than the `limit` found so far: most searches compute a day or two. The
    bookings (the bulk of the rows) are loaded only for the days walked, a growing number of
    days at a time."""
    schedules = schedules_load(doctors=doctors, first_day=first_day, last_day=last_day, busy=None)
    if not schedules:
        return []
    zones = {schedule.rules.timezone for schedule in schedules.values()}
    found: list[tuple[Doctor, Slot]] = []
    busy_loaded_until = first_day - timedelta(days=1)
    busy_days = FIRST_BUSY_DAYS
    day = first_day
    while day <= last_day:
        if len(found) >= limit and _day_opens(zones, day) > _nth_start(found, limit):
            break
        if busy is not None and day > busy_loaded_until:
            until = min(last_day, day + timedelta(days=busy_days - 1))
            busy_add(schedules, busy=busy, first_day=day, last_day=until, now=now)
            busy_loaded_until, busy_days = until, busy_days * BUSY_DAYS_GROWTH
        for schedule in schedules.values():
            for slot in schedule.slots(first_day=day, last_day=day, now=now):
                found.append((schedule.doctor, slot))
        day += timedelta(days=1)
    found.sort(key=lambda pair: (pair[1].start, pair[0].user.full_name))
    return found[:limit]


def _day_opens(zones: Iterable[tzinfo], day: date) -> datetime:
    """No slot of local date `day` starts before this, in any of the zones (an hour early, for
    a clock change at midnight)."""
    return min(datetime.combine(day, time.min, tzinfo=zone) for zone in zones) - timedelta(hours=1)


def _nth_start(found: list[tuple[Any, Slot]], n: int) -> datetime:
    return heapq.nsmallest(n, (slot.start for _, slot in found))[-1]


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
    schedules = schedules_load(
        doctors=doctors, first_day=first_day, last_day=last_day, busy=busy, now=now
    )
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
