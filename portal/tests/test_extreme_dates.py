"""Every page that reads a date from its address or a form answers the calendar's extremes (the
first and last days Python can hold) with a clear answer, never a server error."""

import pytest
from django.core.management import call_command

from appointments.models import Appointment
from doctors.models import Doctor
from patients.models import Patient
from users.models import User

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True)
    return {
        "patient": User.objects.get(email="maria.garcia@example.com"),
        "doctor": User.objects.get(email="dr.weber@clinic.example"),
    }


def _get_pages(demo) -> dict[str, list[str]]:
    doctor = Doctor.objects.get(user=demo["doctor"])
    maria = Patient.objects.get(user=demo["patient"])
    theirs = Appointment.objects.filter(patient=maria, status="booked").first()
    chart_patient = Patient.objects.filter(appointments__doctor=doctor).first()
    return {
        "patient": [
            f"/book/{doctor.pk}/?week={{}}",
            f"/appointments/{theirs.pk}/reschedule/?week={{}}",
            "/records/?date_from={}&date_to={}",
            "/prescriptions/?date_from={}&date_to={}",
            f"/doctors/{doctor.pk}/?week={{}}",
        ],
        "doctor": [
            "/agenda/?day={}",
            "/agenda/week/?week={}",
            f"/records/?patient={chart_patient.pk}&date_from={{}}",
            f"/prescriptions/?patient={chart_patient.pk}&date_to={{}}",
        ],
    }


def test_extreme_dates_in_the_address_never_break_a_page(client, demo):
    for role, pages in _get_pages(demo).items():
        client.force_login(demo[role])
        for page in pages:
            for day in EXTREMES:
                response = client.get(page.replace("{}", day))
                assert response.status_code in (200, 400), (page, day, response.status_code)


def test_extreme_dates_in_the_doctors_forms_are_refused_next_to_the_field(client, demo):
    client.force_login(demo["doctor"])
    for day in EXTREMES:
        for path, data in [
            ("/schedule/time-off/", {"start": f"{day}T09:00", "end": f"{day}T10:00"}),
            ("/schedule/time-off/", {"start": "2030-01-01T09:00", "end": f"{day}T10:00"}),
            (
                "/schedule/availability/",
                {"weekday": "0", "start_time": "09:00", "end_time": "12:00", "slot_minutes": "30",
                 "valid_from": day, "valid_to": day},
            ),
        ]:  # fmt: skip
            response = client.post(path, data)
            assert response.status_code in (200, 302, 400), (path, data, response.status_code)
