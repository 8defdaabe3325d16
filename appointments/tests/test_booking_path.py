"""The booking path, once through: the schedule and the time both parties hold are read once,
checked in named steps, and written in a fixed, small number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import services
from appointments.models import Status
from appointments.tests.conftest import TUESDAY_9
from appointments.tests.queries import counted_queries, listed
from core.exceptions import Conflict, NotFound
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

# A booking's queries once the doctor's schedule and both parties' message choices are cached,
# as after any earlier booking or slot page (BEGIN and COMMIT not counted): the lock (PostgreSQL
# only), what both parties hold, the access grant (not for a doctor's own patient), and the
# writes. PostgreSQL takes the visit, its audit event and both messages in one statement;
# SQLite, which has no statement that writes several tables, one per table.
BOOKING_QUERY_BUDGET = {"postgresql": 4, "sqlite": 6}


@pytest.mark.django_db(transaction=True)  # committed, so that the caches are used as in production
@pytest.mark.parametrize("who", ["patient", "doctor", "staff"])
def test_a_booking_takes_a_few_queries_once_the_schedule_is_cached(
    who, clinic_doctor, patient, staff, frozen, monkeypatch
):
    from patients.services import care_assignment_create

    # The broker's part: queued after the commit, sent by a worker (no query in the request).
    monkeypatch.setattr("core.notifications.queue_deliveries", lambda deliveries: None)
    actor = {"patient": patient, "doctor": clinic_doctor.user, "staff": staff}[who]
    care_assignment_create(actor=staff, doctor=clinic_doctor, patient=patient.patient_profile)
    # The first booking of a process reads the permission row once; measure the next one.
    services.appointment_book(
        actor=actor, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    with counted_queries() as queries:
        booked = services.appointment_book(
            actor=actor,
            doctor=clinic_doctor,
            patient=patient.patient_profile,
            start=TUESDAY_9 + timedelta(hours=2),
        )
    assert booked.status == Status.BOOKED
    assert len(queries) <= BOOKING_QUERY_BUDGET[connection.vendor], listed(queries)
    assert not any(
        "doctors_availabilitywindow" in sql or "doctors_timeoff" in sql for sql in queries
    )


def test_the_booking_reads_windows_time_off_and_appointments_once(clinic_doctor, patient, frozen):
    with CaptureQueriesContext(connection) as queries:
        services.appointment_book(
            actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
        )
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert sum("doctors_availabilitywindow" in sql for sql in reads) == 1
    assert sum("doctors_timeoff" in sql for sql in reads) == 1
    assert sum('FROM "appointments_appointment"' in sql for sql in reads) == 1


def test_the_same_answers_as_before_for_a_taken_slot_and_a_busy_patient(
    clinic_doctor, other_doctor, patient, other_patient, staff, frozen
):
    services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    with pytest.raises(Conflict) as taken:
        services.appointment_book(
            actor=other_patient,
            doctor=clinic_doctor,
            patient=other_patient.patient_profile,
            start=TUESDAY_9,
        )
    assert taken.value.code == "slot_taken"
    with pytest.raises(Conflict) as busy:  # staff book the same patient elsewhere, off-grid
        services.appointment_book(
            actor=staff,
            doctor=other_doctor.doctor_profile,
            patient=patient.patient_profile,
            start=TUESDAY_9 + timedelta(minutes=10),
            off_grid_reason="Squeezed in",
        )
    assert busy.value.code == "patient_busy"


def test_someone_elses_patient_is_refused_before_any_lock_or_read(
    clinic_doctor, frozen, django_assert_num_queries
):
    stranger = make_patient()
    with django_assert_num_queries(2), pytest.raises(NotFound):  # the two link checks only
        services.appointment_book(
            actor=clinic_doctor.user, doctor=clinic_doctor, patient=stranger, start=TUESDAY_9
        )


def test_a_reschedule_cancels_through_the_status_machine(clinic_doctor, patient, staff, frozen):
    appointment = services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    frozen.move_to(TUESDAY_9 - timedelta(minutes=10))
    services.appointment_check_in(actor=staff, appointment=appointment)
    with pytest.raises(Conflict) as refused:
        services.appointment_reschedule(
            actor=staff, appointment=appointment, start=TUESDAY_9 + timedelta(hours=3)
        )
    assert refused.value.code == "invalid_transition"
    assert refused.value.message == "Only pending or booked appointments can be rescheduled."
    assert refused.value.fields == {"status": ["arrived"]}
