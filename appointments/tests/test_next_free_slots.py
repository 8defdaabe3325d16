"""doctors.selectors.next_free_slots with real bookings: each doctor's own next free slot."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import services
from appointments.selectors import held_spans
from appointments.tests.conftest import NOW, TUESDAY_9
from doctors.selectors import next_free_slots
from doctors.tests.factories import make_doctor

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 6, 1)


def doctors_with(weekday: int, count: int = 1):
    return [
        make_doctor(timezone="Europe/Berlin", weekly={weekday: (time(9), time(11))})
        for _ in range(count)
    ]


def test_each_doctor_gets_their_own_next_free_slot_soonest_first(frozen, patient):
    [wednesday] = doctors_with(2)
    [tuesday] = doctors_with(1)
    nobody_free = make_doctor(timezone="Europe/Berlin")  # no windows at all
    services.appointment_book(
        actor=patient,
        doctor=tuesday,
        patient=patient.patient_profile,
        start=TUESDAY_9,
        reason="Cough",
    )
    found = next_free_slots(
        doctors=[wednesday, tuesday, nobody_free],
        first_day=FIRST_DAY,
        last_day=FIRST_DAY + timedelta(days=13),
        now=NOW,
        busy=held_spans,
    )
    assert [(doctor, slot.start) for doctor, slot in found] == [
        (tuesday, TUESDAY_9 + timedelta(minutes=30)),  # 09:00 is taken
        (wednesday, TUESDAY_9 + timedelta(days=1)),
    ]


def test_the_number_of_queries_does_not_grow_with_the_doctors(frozen):
    def queries(doctors) -> int:
        with CaptureQueriesContext(connection) as captured:
            next_free_slots(
                doctors=doctors,
                first_day=FIRST_DAY,
                last_day=FIRST_DAY + timedelta(7),
                now=NOW,
                busy=held_spans,
            )
        return len(captured)

    assert queries(doctors_with(1, 2)) == queries(doctors_with(3, 8))
