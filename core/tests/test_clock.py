"""Times in messages: a wall time that the autumn clock change repeats shows its zone."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.utils import timezone

TEXT = engines["text"]


def shown(moment: datetime, zone: str, pattern: str = "D j M H:i") -> str:
    template = TEXT.from_string('{% load clock %}{{ moment|clock:"' + pattern + '" }}')
    with timezone.override(zone):
        return template.render({"moment": moment})


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "America/New_York", "Sun 1 Nov 01:30 EDT"),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "America/New_York", "Sun 1 Nov 01:30 EST"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/Berlin", "Sun 25 Oct 02:30 CEST"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Europe/Berlin", "Sun 25 Oct 02:30 CET"),
        # Any other hour needs no zone: the reader knows their clock.
        (datetime(2026, 11, 1, 8, 0, tzinfo=UTC), "America/New_York", "Sun 1 Nov 03:00"),
        (datetime(2026, 6, 2, 7, 0, tzinfo=UTC), "Europe/Berlin", "Tue 2 Jun 09:00"),
    ],
)
def test_a_repeated_hour_shows_its_zone(moment, zone, expected):
    assert shown(moment, zone) == expected


def test_a_date_without_a_time_is_left_alone():
    assert shown(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "America/New_York", "j F Y") == (
        "1 November 2026"
    )
