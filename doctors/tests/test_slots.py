"""The slot engine, tested without a database: DST, time off, busy spans, notice, horizon."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from doctors.slots import Interval, Rules, Window, compute_slots, local_to_utc

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)

# (zone, spring change day, autumn change day); all four days are Sundays.
DST_DAYS = [
    (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
    (BERLIN, date(2026, 3, 29), date(2026, 10, 25)),
]


def every_day(start: time, end: time, minutes: int = 30) -> list[Window]:
    return [Window(weekday=day, start=start, end=end, slot_minutes=minutes) for day in range(7)]


def slots(windows, *, zone, first, last, now=LONG_AGO, time_off=(), busy=(), **rules):
    return compute_slots(
        windows=windows,
        time_off=list(time_off),
        busy=list(busy),
        now=now,
        rules=Rules(timezone=zone, horizon=timedelta(days=3650), **rules),
        first_day=first,
        last_day=last,
    )


def local(slot_time: datetime, zone) -> datetime:
    return slot_time.astimezone(zone)


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST_DAYS)
@pytest.mark.parametrize("which", ["spring", "autumn"])
def test_morning_window_starts_at_nine_local_around_each_change(zone, spring, autumn, which):
    change = spring if which == "spring" else autumn
    found = slots(
        every_day(time(9), time(12)),
        zone=zone,
        first=change - timedelta(days=1),
        last=change + timedelta(days=1),
    )
    by_day: dict[date, list[datetime]] = {}
    for slot in found:
        by_day.setdefault(local(slot.start, zone).date(), []).append(local(slot.start, zone))
        assert slot.end - slot.start == timedelta(minutes=30)
    assert sorted(by_day) == [change - timedelta(days=1), change, change + timedelta(days=1)]
    for day, starts in by_day.items():
        assert [start.time() for start in starts] == [
            time(9),
            time(9, 30),
            time(10),
            time(10, 30),
            time(11),
            time(11, 30),
        ], day
    # The UTC offset really changes across the day.
    before = by_day[change - timedelta(days=1)][0].utcoffset()
    after = by_day[change + timedelta(days=1)][0].utcoffset()
    assert before != after


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST_DAYS)
def test_spring_window_over_the_missing_hour_skips_it(zone, spring, autumn):
    found = slots(every_day(time(1), time(4)), zone=zone, first=spring, last=spring)
    wall_clock = [local(slot.start, zone).time() for slot in found]
    assert wall_clock == [time(1), time(1, 30), time(3), time(3, 30)]
    for slot in found:
        assert slot.end - slot.start == timedelta(minutes=30)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST_DAYS)
def test_autumn_window_over_the_repeated_hour_repeats_no_slot(zone, spring, autumn):
    found = slots(every_day(time(0), time(4)), zone=zone, first=autumn, last=autumn)
    wall_clock = [local(slot.start, zone).replace(tzinfo=None) for slot in found]
    assert len(wall_clock) == len(set(wall_clock))  # no wall-clock time twice
    assert len({slot.start for slot in found}) == len(found)  # no instant twice
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))  # no overlap
    assert [t.time() for t in wall_clock] == [time(h, m) for h in range(4) for m in (0, 30)]


def test_local_to_utc_marks_missing_times_and_picks_the_first_of_repeated_ones():
    assert local_to_utc(date(2026, 3, 8), time(2, 30), NEW_YORK) is None
    first = local_to_utc(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT


def test_time_off_removes_overlapping_slots_only():
    day = date(2026, 6, 1)
    off = Interval(
        datetime(2026, 6, 1, 10, 15, tzinfo=BERLIN), datetime(2026, 6, 1, 11, 0, tzinfo=BERLIN)
    )
    found = slots(every_day(time(9), time(12)), zone=BERLIN, first=day, last=day, time_off=[off])
    assert [local(s.start, BERLIN).time() for s in found] == [
        time(9),
        time(9, 30),
        time(11),
        time(11, 30),
    ]


def test_busy_spans_and_buffers_are_respected():
    day = date(2026, 6, 1)
    held = Interval(  # an appointment 10:00-10:30 with its own buffers already included
        datetime(2026, 6, 1, 9, 50, tzinfo=BERLIN), datetime(2026, 6, 1, 10, 40, tzinfo=BERLIN)
    )
    no_buffer = slots(every_day(time(9), time(12)), zone=BERLIN, first=day, last=day, busy=[held])
    assert [local(s.start, BERLIN).time() for s in no_buffer] == [
        time(9),
        time(11),
        time(11, 30),
    ]  # 09:30-10:00 and 10:30-11:00 touch the held span
    with_buffer = slots(
        every_day(time(9), time(12)),
        zone=BERLIN,
        first=day,
        last=day,
        busy=[held],
        buffer_after=timedelta(minutes=30),
    )
    assert [local(s.start, BERLIN).time() for s in with_buffer] == [time(11), time(11, 30)]


def test_a_slot_may_end_where_a_busy_span_starts():
    day = date(2026, 6, 1)
    held = Interval(
        datetime(2026, 6, 1, 10, 0, tzinfo=BERLIN), datetime(2026, 6, 1, 10, 30, tzinfo=BERLIN)
    )
    found = slots(every_day(time(9), time(11)), zone=BERLIN, first=day, last=day, busy=[held])
    assert [local(s.start, BERLIN).time() for s in found] == [time(9), time(9, 30), time(10, 30)]


def test_past_minimum_notice_and_horizon_cut_slots():
    day = date(2026, 6, 1)
    now = datetime(2026, 6, 1, 9, 10, tzinfo=BERLIN)
    found = compute_slots(
        windows=every_day(time(9), time(12)),
        time_off=[],
        busy=[],
        now=now,
        rules=Rules(timezone=BERLIN, min_notice=timedelta(hours=1), horizon=timedelta(days=1)),
        first_day=day,
        last_day=day + timedelta(days=5),
    )
    starts = [local(s.start, BERLIN) for s in found]
    assert starts[0].time() == time(10, 30)  # 09:10 + 1 h notice -> first start at 10:30
    assert max(starts) < now + timedelta(days=1)
    assert {s.date() for s in starts} == {day, day + timedelta(days=1)}


def test_validity_dates_limit_a_window():
    monday = date(2026, 6, 1)
    window = Window(0, time(9), time(10), 30, valid_from=monday + timedelta(days=7), valid_to=None)
    found = slots([window], zone=BERLIN, first=monday, last=monday + timedelta(days=14))
    assert sorted({local(s.start, BERLIN).date() for s in found}) == [
        monday + timedelta(days=7),
        monday + timedelta(days=14),
    ]


def test_slot_length_that_does_not_divide_the_window_leaves_the_tail_free():
    day = date(2026, 6, 1)
    found = slots([Window(0, time(9), time(10), 25)], zone=BERLIN, first=day, last=day)
    assert [local(s.start, BERLIN).time() for s in found] == [time(9), time(9, 25)]


def test_two_windows_on_one_day_and_no_duplicates():
    day = date(2026, 6, 1)
    windows = [Window(0, time(9), time(10), 30), Window(0, time(14), time(15), 30)]
    found = slots(windows, zone=BERLIN, first=day, last=day)
    assert [local(s.start, BERLIN).time() for s in found] == [
        time(9),
        time(9, 30),
        time(14),
        time(14, 30),
    ]


@pytest.mark.parametrize("zone", [NEW_YORK, BERLIN, ZoneInfo("Australia/Lord_Howe")])
def test_every_slot_of_a_year_sits_on_the_local_grid(zone):
    """Whole steps from the window's start, on the clock of the place, every day of a year with
    its clock changes (Lord Howe moves by half an hour); a skipped hour gives no slot and a
    repeated one no second."""
    found = slots(
        every_day(time(0), time(4), minutes=20), zone=zone, first=date(2026, 1, 2),
        last=date(2026, 12, 31),
    )  # fmt: skip
    by_day: dict[date, list[datetime]] = {}
    for slot in found:
        start = local(slot.start, zone)
        assert (start.hour * 60 + start.minute) % 20 == 0 and start.hour < 4, start
        assert slot.end - slot.start == timedelta(minutes=20)
        by_day.setdefault(start.date(), []).append(start)
    assert len(by_day) == 364
    for starts in by_day.values():
        assert len(starts) == len({start.replace(tzinfo=None) for start in starts})
        assert len(starts) in (12, 9, 10, 11), starts  # fewer on a day whose clock jumps
