"""Thirty-two people try to book one slot at the same moment, each on its own connection."""

import threading
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client

from appointments.models import Appointment
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
SLOT = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)
CONTENDERS = 32


def book_through_the_api(client, doctor):
    return client.post(
        "/api/v1/appointments/",
        {"doctor": str(doctor.pk), "start": SLOT.isoformat()},
        format="json",
    )


def race(doctor, clients, book=book_through_the_api, expected=(201, 409)) -> list[int | str]:
    """Each client books at once; the answers are status codes, or the error a thread hit."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int | str] = []
    lock = threading.Lock()

    def attempt(client):
        try:
            barrier.wait()
            response = book(client, doctor)
            outcome: int | str = response.status_code
            if response.status_code not in expected:
                outcome = f"{response.status_code}: {response.content[:300]!r}"
        except Exception as exc:  # reported in the assertion, not lost in a thread
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            statuses.append(outcome)

    threads = [threading.Thread(target=attempt, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_32_concurrent_bookings_of_one_slot_make_exactly_one():
    """Runs on the database of the pass: SQLite (write lock first), then PostgreSQL in CI
    (exclusion constraint)."""
    with time_machine.travel(NOW, tick=False):
        doctor = make_doctor(weekly={1: (time(9), time(12))})
        clients = [client_for(make_patient().user) for _ in range(CONTENDERS)]
        statuses = race(doctor, clients)
    assert len(statuses) == CONTENDERS
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == CONTENDERS - 1, statuses
    assert Appointment.objects.filter(doctor=doctor).count() == 1


def book_in_the_admin(client, doctor):
    patient = client.booking_for
    response = client.post(
        "/admin/appointments/appointment/add/",
        {
            "doctor": str(doctor.pk),
            "patient": str(patient.pk),
            "start_0": SLOT.date().isoformat(),
            "start_1": SLOT.time().isoformat(),
            "reason": "Check-up",
        },
    )
    if response.status_code == 200:  # the form again: it must say why
        assert b"no longer free" in response.content, response.content[:3000]
    return response


@pytest.mark.django_db(transaction=True)
def test_a_clash_in_a_concurrent_admin_booking_is_a_form_error():
    """Eight receptionists book one slot for eight patients at once: one is saved (302), seven
    see the form again with the clash (200), none gets a server error."""
    with time_machine.travel(NOW, tick=False):
        doctor = make_doctor(weekly={1: (time(9), time(12))})
        clients = []
        for _ in range(8):
            client = Client()
            client.force_login(UserFactory(role=Role.STAFF, timezone="UTC"))
            client.booking_for = make_patient()
            clients.append(client)
        statuses = race(doctor, clients, book=book_in_the_admin, expected=(302, 200))
    assert sorted(statuses, key=str) == [200] * 7 + [302], statuses
    assert Appointment.objects.filter(doctor=doctor).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_exclusion_constraints_refuse_overlaps_even_without_the_service():
    assert connection.vendor == "postgresql"
    doctor = make_doctor()
    first, second = make_patient(), make_patient()
    base = {"doctor": doctor, "status": "booked", "booked_by": doctor.user}

    def insert(patient, start_minute, end_minute, **extra):
        start = SLOT.replace(minute=start_minute)
        end = SLOT.replace(hour=SLOT.hour + end_minute // 60, minute=end_minute % 60)
        with transaction.atomic():
            return Appointment.objects.create(
                patient=patient, start=start, end=end, held_start=start, held_end=end,
                **{**base, **extra},
            )  # fmt: skip

    insert(first, 0, 30)
    with pytest.raises(IntegrityError, match="appointments_no_doctor_overlap"):
        insert(second, 15, 45)
    insert(second, 30, 60)  # touching is fine
    other_doctor = make_doctor()
    with pytest.raises(IntegrityError, match="appointments_no_patient_overlap"):
        insert(first, 10, 40, doctor=other_doctor, booked_by=other_doctor.user)
    insert(first, 15, 45, doctor=other_doctor, booked_by=other_doctor.user, status="cancelled",
           cancelled_at=SLOT)  # fmt: skip
