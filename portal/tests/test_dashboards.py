"""Each role lands on its own start page, which shows its own data in a fixed number of queries."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.services import appointment_book
from doctors.tests.factories import make_doctor
from prescriptions.services import prescription_create

pytestmark = pytest.mark.django_db

LINE = {
    "drug_name": "Metformin",
    "dose": "500 mg",
    "route": "oral",
    "frequency": "twice a day",
    "duration_days": 90,
    "quantity": 180,
}


@pytest.fixture
def busy_doctor(db):
    return make_doctor(weekly={day: (time(0), time(23, 30)) for day in range(7)}, slot_minutes=30)


def _book(staff, doctor, patient, count: int, *, start=None) -> None:
    """`count` visits at the doctor's next half hours (off the grid, as staff may)."""
    start = start or (timezone.now() + timedelta(hours=2)).replace(
        minute=0, second=0, microsecond=0
    )
    for index in range(count):
        appointment_book(
            actor=staff,
            doctor=doctor,
            patient=patient,
            start=start + timedelta(minutes=30 * index),
            off_grid_reason="front desk",
        )


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("patient", "/patient/"),
        ("doctor", "/doctor/"),
        ("staff", "/admin/"),
        ("admin_user", "/admin/"),
    ],
)
def test_each_role_lands_on_its_own_dashboard(client, request, role, landing):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/dashboard/")["Location"] == landing


def test_signing_in_from_the_page_lands_on_the_dashboard(client, doctor, user_password):
    response = client.post(
        "/accounts/login/", {"username": doctor.email, "password": user_password}, follow=True
    )
    assert response.redirect_chain == [("/dashboard/", 302), ("/doctor/", 302)]
    assert b"Good day" in response.content


@pytest.mark.parametrize("path", ["/patient/", "/doctor/", "/dashboard/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("patient", "/doctor/"),
        ("doctor", "/patient/"),
        ("staff", "/patient/"),
        ("staff", "/doctor/"),
        ("admin_user", "/patient/"),
    ],
)
def test_another_roles_dashboard_is_not_found(client, request, role, path):
    client.force_login(request.getfixturevalue(role))
    assert client.get(path).status_code == 404


def test_patient_home_shows_my_visits_and_prescriptions_only(
    client, busy_doctor, patient, other_patient, staff
):
    _book(staff, busy_doctor, patient.patient_profile, 2)
    _book(
        staff,
        busy_doctor,
        other_patient.patient_profile,
        1,
        start=timezone.now() + timedelta(days=3),
    )
    prescription_create(
        actor=busy_doctor.user,
        patient=patient.patient_profile,
        lines=[{**LINE, "drug_name": "Ramipril"}],
    )
    prescription_create(
        actor=busy_doctor.user,
        patient=other_patient.patient_profile,
        lines=[{**LINE, "drug_name": "Warfarin"}],
    )
    client.force_login(patient)
    page = client.get("/patient/").content.decode()
    assert page.count(busy_doctor.user.full_name) >= 2
    assert "Ramipril" in page
    assert "Warfarin" not in page
    assert other_patient.full_name not in page


def test_patient_home_costs_the_same_queries_for_2_or_20_rows(
    client, busy_doctor, patient, staff, django_assert_max_num_queries
):
    client.force_login(patient)
    _book(staff, busy_doctor, patient.patient_profile, 2)
    prescription_create(actor=busy_doctor.user, patient=patient.patient_profile, lines=[LINE, LINE])
    few = _queries(client, "/patient/")
    _book(staff, busy_doctor, patient.patient_profile, 18, start=timezone.now() + timedelta(days=2))
    for _ in range(18):
        prescription_create(
            actor=busy_doctor.user, patient=patient.patient_profile, lines=[LINE, LINE]
        )
    assert _queries(client, "/patient/") == few
    with django_assert_max_num_queries(8):
        client.get("/patient/")


NOON_BERLIN = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@time_machine.travel(NOON_BERLIN, tick=False)
def test_doctor_home_shows_today_and_the_requests(
    client, busy_doctor, patient, other_patient, staff, django_assert_max_num_queries
):
    client.force_login(busy_doctor.user)
    _book(staff, busy_doctor, patient.patient_profile, 1, start=NOON_BERLIN + timedelta(hours=2))
    few = _queries(client, "/doctor/")
    page = client.get("/doctor/").content.decode()
    assert patient.full_name in page
    assert other_patient.full_name not in page
    _book(
        staff,
        busy_doctor,
        other_patient.patient_profile,
        1,
        start=timezone.now() + timedelta(days=3),
    )
    assert _queries(client, "/doctor/") == few
    with django_assert_max_num_queries(8):
        client.get("/doctor/")


def test_the_home_page_lists_specialties_and_the_ways_in(client, busy_doctor):
    page = client.get("/").content.decode()
    assert "General practice" in page
    assert 'href="/accounts/login/"' in page
