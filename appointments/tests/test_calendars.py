from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from appointments import services
from appointments.models import CalendarFeed
from appointments.tests.conftest import TUESDAY_9
from core.models import AuditAction, AuditEvent
from core.testing import assert_error
from patients.tests.factories import make_patient
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.fixture
def appointment(clinic_doctor, patient):
    return services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )


def test_an_appointment_as_ics_with_a_stable_uid_and_utc_times(appointment, patient):
    client = client_for(patient)
    response = client.get(f"/api/v1/appointments/{appointment.pk}/ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = events(response.content)
    assert str(event["uid"]) == f"appointment-{appointment.pk}@clinic-portal"
    assert event.decoded("dtstart") == TUESDAY_9
    assert event.decoded("dtstart").tzinfo is not None and event.decoded(
        "dtstart"
    ).utcoffset() == timedelta(0)
    assert b"DTSTART:20260602T070000Z" in response.content
    assert str(event["status"]) == "CONFIRMED"

    services.appointment_cancel(actor=patient, appointment=appointment, reason="Away")
    [again] = events(client.get(f"/api/v1/appointments/{appointment.pk}/ics/").content)
    assert str(again["uid"]) == str(event["uid"])
    assert str(again["status"]) == "CANCELLED"


def test_someone_else_s_ics_is_404(appointment, other_patient):
    assert_error(client_for(other_patient).get(f"/api/v1/appointments/{appointment.pk}/ics/"), 404)


def test_the_secret_feed_lists_my_appointments_and_rotates(
    appointment, patient, client, api_client
):
    api = client_for(patient)
    url = api.get("/api/v1/calendar/feed/").json()["url"]
    assert api.get("/api/v1/calendar/feed/").json()["url"] == url  # stable until rotated
    path = url[url.index("/calendar/") :]
    response = client.get(path)
    assert response.status_code == 200
    [event] = events(response.content)
    assert str(event["uid"]) == f"appointment-{appointment.pk}@clinic-portal"
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, resource_type="appointment", actor=patient
    ).exists()

    new_url = api.post("/api/v1/calendar/feed/rotate/").json()["url"]
    assert new_url != url
    assert client.get(path).status_code == 404
    assert client.get(new_url[new_url.index("/calendar/") :]).status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert_error(api_client.get("/api/v1/calendar/feed/"), 401)


def test_calendar_clients_may_ask_with_head(appointment, patient, client):
    url = client_for(patient).get("/api/v1/calendar/feed/").json()["url"]
    path = url[url.index("/calendar/") :]
    answer = client.head(path)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar") and answer.content == b""
    assert client.head("/calendar/not-a-valid-token-at-all.ics").status_code == 404
    assert client.post(path).status_code == 405


def test_the_doctor_s_feed_shows_their_appointments(appointment, clinic_doctor, client):
    url = client_for(clinic_doctor.user).get("/api/v1/calendar/feed/").json()["url"]
    assert len(events(client.get(url[url.index("/calendar/") :]).content)) == 1


def test_a_deactivated_user_s_feed_stops(appointment, patient, client):
    url = client_for(patient).get("/api/v1/calendar/feed/").json()["url"]
    patient.is_active = False
    patient.save()
    assert client.get(url[url.index("/calendar/") :]).status_code == 404
    assert CalendarFeed.objects.filter(user=patient).exists()


def test_feed_reads_take_constant_queries(
    clinic_doctor, staff, client, django_assert_max_num_queries
):
    for hour in range(6):
        services.appointment_book(
            actor=staff, doctor=clinic_doctor, patient=make_patient(),
            start=datetime(2026, 6, 2, 7, 0, tzinfo=UTC) + timedelta(hours=hour),
        )  # fmt: skip
    url = client_for(clinic_doctor.user).get("/api/v1/calendar/feed/").json()["url"]
    with django_assert_max_num_queries(4):
        response = client.get(url[url.index("/calendar/") :])
    assert len(events(response.content)) == 6


@pytest.mark.parametrize(
    "path", ["/calendar/%00.ics", "/calendar/short.ics", "/calendar/" + "a" * 80 + ".ics"]
)
def test_malformed_feed_tokens_are_404(client, path):
    assert client.get(path).status_code == 404
