"""The slot engine: a pure function from a doctor's schedule to free slots. No database.

Windows are wall-clock times in the doctor's time zone; every slot is computed from the local
date and time of day and converted to UTC one slot at a time, so slots stay at 09:00 local across
daylight-saving changes, a window over the missing spring hour skips the times that do not exist,
and a window over the repeated autumn hour gives each wall-clock slot once.
"""

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, slots=True)
class Window:
    """A weekly availability window (weekday 0 = Monday), local to the doctor."""

    weekday: int
    start: time
    end: time
    slot_minutes: int
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or day >= self.valid_from)
            and (self.valid_to is None or day <= self.valid_to)
        )


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of aware time [start, end)."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Rules:
    timezone: tzinfo
    min_notice: timedelta = timedelta(0)
    horizon: timedelta = timedelta(days=90)
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # UTC
    end: datetime  # UTC


def local_to_utc(day: date, at: time, zone: tzinfo) -> datetime | None:
    """The UTC instant of a wall-clock time, or None when that time does not exist (spring gap).

    An ambiguous time (autumn) resolves to its first occurrence."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    as_utc = aware.astimezone(UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return as_utc


class Blocked:
    """Sorted, merged intervals with a fast overlap test."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        merged: list[list[datetime]] = []
        for item in sorted(intervals, key=lambda i: i.start):
            if item.end <= item.start:
                continue
            if merged and item.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], item.end)
            else:
                merged.append([item.start, item.end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def overlaps(self, start: datetime, end: datetime) -> bool:
        # The first merged interval that ends after `start` is the only candidate.
        index = bisect_left(self._ends, start)
        if index < len(self._ends) and self._ends[index] == start:
            index += 1
        return index < len(self._starts) and self._starts[index] < end


def compute_slots(
    *,
    windows: Sequence[Window],
    time_off: "Iterable[Interval] | Blocked",
    busy: "Iterable[Interval] | Blocked",
    now: datetime,
    rules: Rules,
    first_day: date,
    last_day: date,
) -> list[Slot]:
    """Free slots whose local date lies in [first_day, last_day], in time order.

    `busy` are the spans other appointments hold, their buffers already included; a candidate
    slot holds its own span widened by the buffers, and may not touch theirs. Time off blocks the
    slot itself. Slots must start after `now` + minimum notice and before `now` + horizon.
    """
    zone = rules.timezone
    # Sorted and merged once by a caller that asks for many days (Schedule), else here.
    off = time_off if isinstance(time_off, Blocked) else Blocked(time_off)
    held = busy if isinstance(busy, Blocked) else Blocked(busy)
    earliest = now + rules.min_notice
    latest = now + rules.horizon
    slots: set[Slot] = set()

    day = first_day
    while day <= last_day:
        for window in windows:
            if not window.applies_on(day):
                continue
            window_end = _window_end_utc(day, window.end, zone)
            if window_end is None:
                continue
            step = timedelta(minutes=window.slot_minutes)
            cursor = datetime.combine(day, window.start)
            last_start = datetime.combine(day, window.end) - step
            window_start = local_to_utc(day, window.start, zone)
            # No clock change inside the window (the usual day): the local times are the
            # window's start plus whole steps, with no conversion each.
            steady = window_start is not None and (
                window_end - window_start == datetime.combine(day, window.end) - cursor
            )
            while cursor <= last_start:
                start = (
                    window_start + (cursor - datetime.combine(day, window.start))
                    if steady
                    else local_to_utc(day, cursor.time(), zone)
                )
                cursor += step
                if start is None:
                    continue  # this wall-clock time is skipped by the clock change
                end = start + step
                if end > window_end or start < earliest or start >= latest:
                    continue
                if off.overlaps(start, end):
                    continue
                if held.overlaps(start - rules.buffer_before, end + rules.buffer_after):
                    continue
                slots.add(Slot(start, end))
        day += timedelta(days=1)
    return sorted(slots, key=lambda slot: slot.start)


def _window_end_utc(day: date, end: time, zone: tzinfo) -> datetime | None:
    """The window's end as an instant; an end inside the spring gap moves to the gap's end."""
    instant = local_to_utc(day, end, zone)
    probe = datetime.combine(day, end)
    while instant is None and probe.date() == day:
        probe += timedelta(minutes=15)
        instant = local_to_utc(day, probe.time(), zone)
    return instant
