"""Booking reads the doctor's windows and time off from the schedule cache (doctors.
schedule_cache) and the parties' message choices from theirs: through the API, with a real JWT,
a booking costs at most eight queries on PostgreSQL, and every change to a schedule is seen by
the next booking and the next slot page.

These tests commit (transactional database), as requests in production do."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection

from appointments import services
from appointments.models import Appointment
from appointments.tests.conftest import TUESDAY_9
from appointments.tests.queries import counted_queries, listed
from core.exceptions import Conflict
from doctors import services as doctor_services
from doctors.models import Doctor
from users.tests.factories import system_admin

pytestmark = pytest.mark.django_db(transaction=True)

APPOINTMENTS = "/api/v1/appointments/"
# The benchmark's target (bench/README.md), on PostgreSQL: the signed-in user (JWT), the doctor,
# the patient, the lock, what both parties hold, the new patient's message choices, the access
# grant, and one statement for the visit, its audit event and both messages. SQLite writes
# those four with one insert each and takes no lock.
API_BOOKING_BUDGET = {"postgresql": 8, "sqlite": 10}


@pytest.fixture(autouse=True)
def broker(monkeypatch) -> list:
    """What the request queues for the worker after the commit (no query in the request)."""
    queued: list = []
    monkeypatch.setattr("core.notifications.queue_deliveries", queued.extend)
    return queued


def book(client, doctor: Doctor, start: datetime):
    return client.post(
        APPOINTMENTS, {"doctor": str(doctor.pk), "start": start.isoformat()}, format="json"
    )


def free_starts(api_client, doctor: Doctor, day: str = "2026-06-02") -> list[str]:
    response = api_client.get(f"/api/v1/doctors/{doctor.pk}/slots/", {"start": day, "end": day})
    assert response.status_code == 200
    return [row["start"][11:16] for row in response.json()]


def test_a_booking_through_the_api_takes_at_most_eight_queries(
    clinic_doctor, patient, other_patient, client_for, broker
):
    # Another patient's booking warms what a worker has warm after its first requests (the
    # doctor's schedule, the permission row); this patient's message choices stay cold.
    assert book(client_for(patient), clinic_doctor, TUESDAY_9).status_code == 201
    client = client_for(other_patient)  # a real JWT in the Authorization header
    with counted_queries() as queries:
        response = book(client, clinic_doctor, TUESDAY_9 + timedelta(hours=2))
    assert response.status_code == 201, response.content
    assert len(queries) <= API_BOOKING_BUDGET[connection.vendor], listed(queries)
    assert not any(
        "doctors_availabilitywindow" in sql or "doctors_timeoff" in sql for sql in queries
    )
    assert 'FROM "users_user"' in queries[0]  # the JWT's user was read, and counted
    assert len(broker) == 4  # two messages, one e-mail each way, for each booking


def test_time_off_added_after_the_schedule_was_cached_refuses_the_booking(
    clinic_doctor, patient, other_patient, client_for, api_client
):
    assert book(client_for(patient), clinic_doctor, TUESDAY_9).status_code == 201  # warm
    eleven = TUESDAY_9 + timedelta(hours=2)
    doctor_services.time_off_create(
        actor=system_admin(), doctor=clinic_doctor, start=eleven, end=eleven + timedelta(hours=1)
    )
    refused = book(client_for(other_patient), clinic_doctor, eleven)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "off_grid"
    assert "09:00" not in free_starts(api_client, clinic_doctor)


def test_a_window_changed_after_the_schedule_was_cached_is_booked_as_changed(
    clinic_doctor, patient, other_patient, client_for
):
    assert book(client_for(patient), clinic_doctor, TUESDAY_9).status_code == 201  # warm
    tuesday = clinic_doctor.availability.get(weekday=1)
    doctor_services.availability_update(
        actor=system_admin(), window=tuesday, data={"slot_minutes": 20}
    )
    # 10:40 Berlin exists only on the new 20-minute grid.
    twenty_to_eleven = TUESDAY_9 + timedelta(minutes=100)
    response = book(client_for(other_patient), clinic_doctor, twenty_to_eleven)
    assert response.status_code == 201, response.content
    booked = Appointment.objects.get(pk=response.json()["id"])
    assert booked.end - booked.start == timedelta(minutes=20)


def test_buffers_changed_after_the_schedule_was_cached_hold_the_neighbouring_slot(
    clinic_doctor, patient, other_patient, client_for, api_client
):
    assert book(client_for(patient), clinic_doctor, TUESDAY_9).status_code == 201
    assert "07:30" in free_starts(api_client, clinic_doctor)  # cached, right after the visit
    doctor_services.doctor_update(
        actor=system_admin(), doctor=clinic_doctor, data={"buffer_before_minutes": 15}
    )
    assert "07:30" not in free_starts(api_client, clinic_doctor)
    doctor = Doctor.objects.select_related("user").get(pk=clinic_doctor.pk)
    with pytest.raises(Conflict) as refused:
        services.appointment_book(
            actor=other_patient,
            doctor=doctor,
            patient=other_patient.patient_profile,
            start=TUESDAY_9 + timedelta(minutes=30),
        )
    assert refused.value.code == "slot_taken"


def test_a_doctor_whose_hours_end_is_not_offered_afterwards(
    clinic_doctor, api_client, patient, client_for
):
    assert free_starts(api_client, clinic_doctor)[:2] == ["07:00", "07:30"]
    tuesday = clinic_doctor.availability.get(weekday=1)
    doctor_services.availability_update(
        actor=system_admin(),
        window=tuesday,
        data={"valid_to": datetime(2026, 6, 1, tzinfo=UTC).date(), "end_time": time(17)},
    )
    assert free_starts(api_client, clinic_doctor) == []
    refused = book(client_for(patient), clinic_doctor, TUESDAY_9)
    assert refused.status_code == 400
