from datetime import UTC, datetime, time

import pytest
import time_machine

from doctors.tests.factories import make_doctor

# A Monday morning; the doctor works every day 09:00-17:00 Berlin time (07:00-15:00 UTC in June).
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
TUESDAY_9 = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic_doctor(db, frozen):
    return make_doctor(
        timezone="Europe/Berlin",
        weekly={day: (time(9), time(17)) for day in range(7)},
        slot_minutes=30,
        min_booking_notice_minutes=60,
        booking_horizon_days=30,
    )
