"""The doctor's agenda pages: the day, the week and the requests to confirm, and the status
moves made from them. The clock is frozen on Monday 2026-06-01 06:00 UTC (08:00 in Berlin)."""

from datetime import time, timedelta
from html import escape

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import NOW, TUESDAY_9
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

MONDAY_9 = NOW + timedelta(hours=1)  # 09:00 Berlin, today


def book(doctor, patient_user, start=MONDAY_9, reason="Check-up"):
    return services.appointment_book(
        actor=patient_user,
        doctor=doctor,
        patient=patient_user.patient_profile,
        start=start,
        reason=reason,
    )


def text(response) -> str:
    return response.content.decode()


def assert_sign_in_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)


@pytest.fixture
def busy_doctor(db, frozen):
    """Works 09:00-17:00 Berlin every day in 15-minute slots: room for 20 visits in a day."""
    return make_doctor(
        timezone="Europe/Berlin",
        weekly={day: (time(9), time(17)) for day in range(7)},
        slot_minutes=15,
        booking_horizon_days=30,
    )


@pytest.fixture
def confirming_doctor(db, frozen):
    """Patients' bookings wait as pending until this doctor confirms them."""
    return make_doctor(
        timezone="Europe/Berlin",
        weekly={day: (time(9), time(17)) for day in range(7)},
        slot_minutes=15,
        booking_horizon_days=30,
        requires_confirmation=True,
    )


def fill(doctor, rows: int, *, first=MONDAY_9, spread_days: bool = False) -> list[Appointment]:
    """`rows` visits, four patients taking turns: 15 minutes apart, or over the seven days of
    the week (15 minutes later each round)."""
    patients = [make_patient().user for _ in range(4)]
    made = []
    for index in range(rows):
        if spread_days:
            start = first + timedelta(days=index % 7, minutes=15 * (index // 7))
        else:
            start = first + timedelta(minutes=15 * index)
        made.append(book(doctor, patients[index % 4], start=start))
    return made


# --- agenda (the day) ---------------------------------------------------------------------


def test_agenda_shows_today_s_visits_with_their_moves(client, clinic_doctor, patient):
    visit = book(clinic_doctor, patient, reason="Sore throat")
    cancelled = book(clinic_doctor, make_patient().user, start=MONDAY_9 + timedelta(hours=2))
    services.appointment_cancel(actor=clinic_doctor.user, appointment=cancelled, reason="Ill")
    tomorrow = book(clinic_doctor, make_patient().user, start=TUESDAY_9, reason="Tomorrow")
    client.force_login(clinic_doctor.user)
    response = client.get("/agenda/")
    assert response.status_code == 200
    page = text(response)
    assert "Today, Monday 1 June 2026" in page
    assert escape(patient.full_name) in page and "Sore throat" in page
    assert "09:00" in page and "status-booked" in page
    for action in ("check-in", "no-show", "cancel"):
        assert f'action="/appointments/{visit.pk}/{action}/"' in page
    assert '<input type="hidden" name="next" value="/agenda/">' in page
    assert f'<label for="cancel-reason-{visit.pk}">' in page
    # The cancelled visit is listed apart, muted, at the end; tomorrow's is not here.
    visits_part, cancelled_part = page.split("1 cancelled visit")
    assert f"/appointments/{cancelled.pk}/" in cancelled_part
    assert f"/appointments/{cancelled.pk}/" not in visits_part
    assert f"/appointments/{tomorrow.pk}/" not in page and "Tomorrow" not in page
    assert "/agenda/?day=2026-05-31" in page and "/agenda/?day=2026-06-02" in page


def test_agenda_links_the_patient_chart_when_it_exists(client, clinic_doctor, patient):
    book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    page = text(client.get("/agenda/"))
    try:
        chart_url = reverse("patient-chart", args=[patient.patient_profile.pk])
    except NoReverseMatch:
        assert escape(patient.full_name) in page
    else:
        assert f'<a href="{chart_url}">{escape(patient.full_name)}</a>' in page


def test_agenda_of_another_day(client, clinic_doctor, patient):
    tuesday = book(clinic_doctor, patient, start=TUESDAY_9)
    client.force_login(clinic_doctor.user)
    page = text(client.get("/agenda/", {"day": "2026-06-02"}))
    assert "Tuesday 2 June 2026" in page and "Today," not in page
    assert f"/appointments/{tuesday.pk}/" in page
    assert '<input type="hidden" name="next" value="/agenda/?day=2026-06-02">' in page


@pytest.mark.parametrize("day", ["yesterday", "2026-13-01", "2026-06-01'; --", "日曜日"])
def test_agenda_bad_day_is_an_error_next_to_the_field(client, clinic_doctor, patient, day):
    visit = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    response = client.get("/agenda/", {"day": day})
    assert response.status_code == 400
    page = text(response)
    assert "Give the date as YYYY-MM-DD." in page
    assert escape(day) in page
    assert f"/appointments/{visit.pk}/" in page  # today is shown meanwhile


def test_doctor_checks_in_and_completes_from_the_agenda(client, clinic_doctor, patient):
    visit = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    response = client.post(f"/appointments/{visit.pk}/check-in/", {"next": "/agenda/"})
    assert response.status_code == 302 and response["Location"] == "/agenda/"
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED
    page = text(client.get("/agenda/"))
    assert f"{escape(patient.full_name)} is checked in." in page
    assert "status-arrived" in page
    assert f'action="/appointments/{visit.pk}/complete/"' in page
    assert f'action="/appointments/{visit.pk}/check-in/"' not in page

    response = client.post(f"/appointments/{visit.pk}/complete/", {"next": "/agenda/"})
    assert response["Location"] == "/agenda/"
    visit.refresh_from_db()
    assert visit.status == Status.FULFILLED
    assert "is completed" in text(client.get("/agenda/"))


def test_no_show_is_refused_before_the_start_and_taken_after(
    client, clinic_doctor, patient, frozen
):
    visit = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    response = client.post(f"/appointments/{visit.pk}/no-show/", {"next": "/agenda/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/agenda/"
    assert "A no-show can be recorded only after the start." in text(response)
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED

    frozen.move_to(MONDAY_9 + timedelta(minutes=20))
    response = client.post(f"/appointments/{visit.pk}/no-show/", {"next": "/agenda/"})
    assert response["Location"] == "/agenda/"
    visit.refresh_from_db()
    assert visit.status == Status.NOSHOW


def test_doctor_cancels_from_the_agenda(client, clinic_doctor, patient):
    visit = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    response = client.post(
        f"/appointments/{visit.pk}/cancel/", {"next": "/agenda/", "reason": ""}, follow=True
    )
    assert "Say why the appointment is cancelled." in text(response)
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED
    response = client.post(
        f"/appointments/{visit.pk}/cancel/", {"next": "/agenda/", "reason": "Doctor is ill"}
    )
    assert response["Location"] == "/agenda/"
    visit.refresh_from_db()
    assert visit.status == Status.CANCELLED and visit.cancellation_reason == "Doctor is ill"


def test_a_move_the_status_does_not_allow_is_an_error(client, clinic_doctor, patient):
    visit = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    response = client.post(f"/appointments/{visit.pk}/complete/", {"next": "/agenda/"}, follow=True)
    assert "A booked appointment cannot become completed." in text(response)
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED


def test_agenda_refusals(client, clinic_doctor, patient, other_doctor, staff):
    visit = book(clinic_doctor, patient, reason="Private matter")
    assert_sign_in_redirect(client.get("/agenda/"))
    for wrong_role in (patient, staff):
        client.force_login(wrong_role)
        assert client.get("/agenda/").status_code == 404
    client.force_login(other_doctor)
    page = text(client.get("/agenda/"))
    assert "Private matter" not in page and f"/appointments/{visit.pk}/" not in page
    # Another doctor's visit cannot be moved either.
    response = client.post(f"/appointments/{visit.pk}/check-in/", {"next": "/agenda/"})
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED


@pytest.mark.parametrize("rows", [2, 20])
def test_agenda_queries_do_not_grow(client, busy_doctor, rows, django_assert_max_num_queries):
    visits = fill(busy_doctor, rows)
    services.appointment_cancel(actor=busy_doctor.user, appointment=visits[0], reason="Away")
    client.force_login(busy_doctor.user)
    with django_assert_max_num_queries(8):
        response = client.get("/agenda/")
    assert response.status_code == 200
    assert text(response).count('<th scope="row">') == rows - 1


# --- agenda-week --------------------------------------------------------------------------


def test_agenda_week_shows_seven_days_of_visits(client, clinic_doctor, patient):
    monday = book(clinic_doctor, patient)
    tuesday = book(clinic_doctor, make_patient().user, start=TUESDAY_9)
    sunday = book(clinic_doctor, make_patient().user, start=MONDAY_9 + timedelta(days=6))
    next_monday = book(clinic_doctor, make_patient().user, start=MONDAY_9 + timedelta(days=7))
    dropped = book(clinic_doctor, make_patient().user, start=TUESDAY_9 + timedelta(hours=1))
    services.appointment_cancel(actor=clinic_doctor.user, appointment=dropped, reason="Ill")
    client.force_login(clinic_doctor.user)
    response = client.get("/agenda/week/", {"week": "2026-06-03"})  # a Wednesday
    assert response.status_code == 200
    page = text(response)
    assert 'class="week"' in page and page.count('class="day card"') == 7
    assert "Week of 1 June 2026" in page
    for visit in (monday, tuesday, sunday):
        assert f'href="/appointments/{visit.pk}/"' in page
    assert f"/appointments/{next_monday.pk}/" not in page
    assert f"/appointments/{dropped.pk}/" not in page
    days = page.split('class="day card"')[1:]
    assert f"/appointments/{tuesday.pk}/" in days[1]
    assert f"/appointments/{sunday.pk}/" in days[6]
    assert "/agenda/week/?week=2026-05-25" in page and "/agenda/week/?week=2026-06-08" in page
    assert '/agenda/?day=2026-06-02"' in page


def test_agenda_week_default_is_this_week_and_bad_input_is_an_error(client, clinic_doctor, patient):
    visit = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    page = text(client.get("/agenda/week/"))
    assert "Week of 1 June 2026" in page and f"/appointments/{visit.pk}/" in page
    response = client.get("/agenda/week/", {"week": "soon"})
    assert response.status_code == 400
    assert "Give the date as YYYY-MM-DD." in text(response) and 'value="soon"' in text(response)


def test_agenda_week_refusals(client, clinic_doctor, patient, other_doctor, staff):
    visit = book(clinic_doctor, patient)
    assert_sign_in_redirect(client.get("/agenda/week/"))
    for wrong_role in (patient, staff):
        client.force_login(wrong_role)
        assert client.get("/agenda/week/").status_code == 404
    client.force_login(other_doctor)
    assert f"/appointments/{visit.pk}/" not in text(client.get("/agenda/week/"))


@pytest.mark.parametrize("rows", [2, 20])
def test_agenda_week_queries_do_not_grow(client, busy_doctor, rows, django_assert_max_num_queries):
    fill(busy_doctor, rows, spread_days=True)
    client.force_login(busy_doctor.user)
    with django_assert_max_num_queries(8):
        response = client.get("/agenda/week/")
    assert response.status_code == 200
    assert text(response).count('<li><a href="/appointments/') == rows


# --- agenda-requests ----------------------------------------------------------------------


def test_requests_list_pending_visits_to_confirm_or_decline(client, confirming_doctor, patient):
    request = book(confirming_doctor, patient, start=TUESDAY_9, reason="New patient")
    assert request.status == Status.PENDING
    client.force_login(confirming_doctor.user)
    response = client.get("/agenda/requests/")
    assert response.status_code == 200
    page = text(response)
    assert "New patient" in page and escape(patient.full_name) in page
    assert f'action="/appointments/{request.pk}/confirm/"' in page
    assert f'action="/appointments/{request.pk}/cancel/"' in page and "Reason to decline" in page
    assert '<input type="hidden" name="next" value="/agenda/requests/">' in page

    response = client.post(f"/appointments/{request.pk}/confirm/", {"next": "/agenda/requests/"})
    assert response["Location"] == "/agenda/requests/"
    request.refresh_from_db()
    assert request.status == Status.BOOKED
    page = text(client.get("/agenda/requests/"))
    assert "is confirmed" in page and "No requests waiting." in page


def test_declining_a_request_needs_a_reason(client, confirming_doctor, patient):
    request = book(confirming_doctor, patient, start=TUESDAY_9)
    client.force_login(confirming_doctor.user)
    response = client.post(
        f"/appointments/{request.pk}/cancel/",
        {"next": "/agenda/requests/", "reason": ""},
        follow=True,
    )
    assert "Say why the appointment is cancelled." in text(response)
    request.refresh_from_db()
    assert request.status == Status.PENDING
    response = client.post(
        f"/appointments/{request.pk}/cancel/",
        {"next": "/agenda/requests/", "reason": "Fully booked — sorry"},
    )
    assert response["Location"] == "/agenda/requests/"
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    assert request.cancellation_reason == "Fully booked — sorry"


def test_requests_refusals(client, confirming_doctor, patient, other_doctor, staff):
    request = book(confirming_doctor, patient, start=TUESDAY_9)
    assert_sign_in_redirect(client.get("/agenda/requests/"))
    for wrong_role in (patient, staff):
        client.force_login(wrong_role)
        assert client.get("/agenda/requests/").status_code == 404
    client.force_login(other_doctor)
    assert f"/appointments/{request.pk}/" not in text(client.get("/agenda/requests/"))
    response = client.post(f"/appointments/{request.pk}/confirm/")
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.PENDING
    client.force_login(confirming_doctor.user)
    assert client.get("/agenda/requests/", {"page": "nope"}).status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_requests_queries_do_not_grow(
    client, confirming_doctor, rows, django_assert_max_num_queries
):
    fill(confirming_doctor, rows, first=TUESDAY_9)
    client.force_login(confirming_doctor.user)
    with django_assert_max_num_queries(8):
        response = client.get("/agenda/requests/")
    assert response.status_code == 200
    assert text(response).count('<th scope="row">') == rows
