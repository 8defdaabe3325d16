"""The patient's appointment pages: booking, the list, one appointment, its moves, rescheduling,
the .ics download and the calendar links. The clock is frozen on Monday 2026-06-01 06:00 UTC
(08:00 in Berlin); `clinic_doctor` works 09:00-17:00 Berlin time every day, 30-minute slots,
60 minutes' notice, 30 days ahead."""

from datetime import time, timedelta
from html import escape
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.messages import get_messages

from appointments import services
from appointments.models import Appointment, CalendarFeed, Status
from appointments.tests.conftest import NOW, TUESDAY_9
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

LOGIN = settings.LOGIN_URL


def book(doctor, patient_user, start=TUESDAY_9, reason="Check-up"):
    return services.appointment_book(
        actor=patient_user,
        doctor=doctor,
        patient=patient_user.patient_profile,
        start=start,
        reason=reason,
    )


def nth_slot(index: int):
    """Tuesday 09:00 Berlin onwards, 16 half-hour slots a day."""
    return TUESDAY_9 + timedelta(days=index // 16, minutes=30 * (index % 16))


def confirm_url(doctor, start=None) -> str:
    url = f"/book/{doctor.pk}/confirm/"
    return f"{url}?start={quote(start.isoformat())}" if start is not None else url


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text(response) -> str:
    return response.content.decode()


def assert_sign_in_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- book-start ---------------------------------------------------------------------------


def test_book_start_offers_specialties_and_doctors(client, clinic_doctor, patient):
    client.force_login(patient)
    response = client.get("/book/")
    assert response.status_code == 200
    page = text(response)
    assert '<option value="general-practice">General practice</option>' in page
    assert escape(clinic_doctor.user.full_name) in page
    assert '<label for="id_specialty">' in page and '<label for="id_doctor">' in page


def test_book_start_by_specialty_lists_the_earliest_free_times(client, clinic_doctor, patient):
    other = make_patient()
    book(clinic_doctor, other.user, start=NOW + timedelta(hours=1))  # Monday 09:00 is taken
    client.force_login(patient)
    response = client.get("/book/", {"specialty": "general-practice"})
    assert response.status_code == 200
    page = text(response)
    assert "General practice: the earliest free times" in page
    first_free = NOW + timedelta(hours=1, minutes=30)  # Monday 09:30 Berlin
    assert confirm_url(clinic_doctor, first_free) in page
    assert confirm_url(clinic_doctor, NOW + timedelta(hours=1)) not in page
    assert "Mon 1 Jun, 09:30" in page
    assert page.count("Book this time") == 10
    assert f'/book/{clinic_doctor.pk}/"' in page  # the specialty's doctors, a week at a time


def test_book_start_search_leaves_out_doctors_not_taking_new_patients(
    client, clinic_doctor, patient
):
    closed = make_doctor(specialties=("Cardiology",), accepting_new_patients=False)
    client.force_login(patient)
    page = text(client.get("/book/", {"specialty": "cardiology"}))
    assert "No free times in the next 14 days" in page
    assert f"/book/{closed.pk}/" not in page


def test_book_start_preselects_a_doctor_and_goes_to_their_week(client, clinic_doctor, patient):
    client.force_login(patient)
    page = text(client.get("/book/", {"doctor": str(clinic_doctor.pk)}))
    assert f'<option value="{clinic_doctor.pk}" selected>' in page
    assert f'href="/book/{clinic_doctor.pk}/"' in page
    response = client.get("/book/", {"doctor": str(clinic_doctor.pk), "go": "slots"})
    assert response.status_code == 302
    assert response["Location"] == f"/book/{clinic_doctor.pk}/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"specialty": "no-such-thing"}, "No such specialty"),
        ({"specialty": "ünïcødé 🩺"}, "No such specialty"),
        ({"doctor": "not-a-uuid", "go": "slots"}, "No such doctor"),
        ({"doctor": "00000000-0000-0000-0000-000000000000"}, "No such doctor"),
    ],
)
def test_book_start_bad_choices_show_next_to_the_field(
    client, clinic_doctor, patient, query, message
):
    client.force_login(patient)
    response = client.get("/book/", query)
    assert response.status_code == 400
    assert message in text(response)


def test_book_start_refuses_other_roles(client, clinic_doctor, staff):
    assert_sign_in_redirect(client.get("/book/"))
    client.force_login(clinic_doctor.user)
    assert client.get("/book/").status_code == 404
    client.force_login(staff)
    assert client.get("/book/").status_code == 404


# --- book-slots ---------------------------------------------------------------------------


def test_book_slots_shows_a_week_of_free_times_linking_to_the_confirmation(
    client, clinic_doctor, patient, other_patient
):
    book(clinic_doctor, other_patient)  # Tuesday 09:00 taken
    client.force_login(patient)
    response = client.get(f"/book/{clinic_doctor.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert 'class="week"' in page and page.count('class="day"') == 7
    assert "Mon 1 Jun" in page and "Sun 7 Jun" in page and "Mon 8 Jun" not in page
    assert confirm_url(clinic_doctor, TUESDAY_9 + timedelta(minutes=30)) in page
    assert confirm_url(clinic_doctor, TUESDAY_9) not in page  # taken
    assert confirm_url(clinic_doctor, NOW) not in page  # inside the notice
    assert "Previous week" not in page  # never before today
    assert f"/book/{clinic_doctor.pk}/?week=2026-06-08" in page


def test_book_slots_are_shown_in_the_patient_s_time_zone(client, clinic_doctor):
    new_yorker = make_patient(timezone="America/New_York").user
    client.force_login(new_yorker)
    page = text(client.get(f"/book/{clinic_doctor.pk}/", {"week": "2026-06-02"}))
    # 09:00 in Berlin is 03:00 in New York; the link still carries the exact instant.
    assert 'aria-label="Tuesday 2 June, 03:00"' in page
    assert "America/New_York" in page
    assert confirm_url(clinic_doctor, TUESDAY_9) in page

    berliner = make_patient(timezone="Europe/Berlin").user
    client.force_login(berliner)
    page = text(client.get(f"/book/{clinic_doctor.pk}/", {"week": "2026-06-02"}))
    assert 'aria-label="Tuesday 2 June, 09:00"' in page
    assert ", 03:00" not in page


def test_book_slots_week_navigation_stops_at_today_and_at_the_horizon(
    client, clinic_doctor, patient
):
    client.force_login(patient)
    page = text(client.get(f"/book/{clinic_doctor.pk}/", {"week": "2026-06-08"}))
    assert f"/book/{clinic_doctor.pk}/?week=2026-06-01" in page  # previous
    assert f"/book/{clinic_doctor.pk}/?week=2026-06-15" in page  # next
    # A past week starts today.
    page = text(client.get(f"/book/{clinic_doctor.pk}/", {"week": "2026-05-01"}))
    assert "Mon 1 Jun" in page and "Previous week" not in page
    # 30 days ahead: the week from 29 June is the last one offered.
    page = text(client.get(f"/book/{clinic_doctor.pk}/", {"week": "2026-06-22"}))
    assert "?week=2026-06-29" in page
    page = text(client.get(f"/book/{clinic_doctor.pk}/", {"week": "2026-06-29"}))
    assert "Next week" not in page and "up to 30 days ahead" in page
    assert confirm_url(clinic_doctor, NOW + timedelta(days=29, hours=1)) in page  # 30 June
    assert confirm_url(clinic_doctor, NOW + timedelta(days=30, hours=1)) not in page


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("next tuesday", "Give the date as YYYY-MM-DD."),
        ("2026-02-30", "Give the date as YYYY-MM-DD."),
        ("2099-01-01", "Ask for dates from today up to two years ahead."),
        ("🗓️", "Give the date as YYYY-MM-DD."),
    ],
)
def test_book_slots_bad_week_is_an_error_next_to_the_field(
    client, clinic_doctor, patient, week, message
):
    client.force_login(patient)
    response = client.get(f"/book/{clinic_doctor.pk}/", {"week": week})
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert escape(week) in page  # what was typed stays in the field
    assert "Mon 1 Jun" in page  # and this week is shown meanwhile


def test_book_slots_refuses_other_roles_and_unknown_doctors(client, clinic_doctor, staff):
    url = f"/book/{clinic_doctor.pk}/"
    assert_sign_in_redirect(client.get(url))
    client.force_login(clinic_doctor.user)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 404
    client.force_login(make_patient().user)
    assert client.get("/book/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/book/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_book_slots_queries_do_not_grow_with_bookings(
    client, clinic_doctor, patient, rows, django_assert_max_num_queries
):
    others = [make_patient().user for _ in range(2)]
    for index in range(rows):
        book(clinic_doctor, others[index % 2], start=nth_slot(index))
    client.force_login(patient)
    with django_assert_max_num_queries(8):
        response = client.get(f"/book/{clinic_doctor.pk}/")
    assert response.status_code == 200
    assert confirm_url(clinic_doctor, nth_slot(rows - 1)) not in text(response)


# --- book-confirm -------------------------------------------------------------------------


def test_book_confirm_shows_the_time_in_the_patient_s_zone_and_books(
    client, clinic_doctor, patient
):
    client.force_login(patient)
    response = client.get(confirm_url(clinic_doctor, TUESDAY_9))
    assert response.status_code == 200
    page = text(response)
    assert escape(clinic_doctor.user.full_name) in page
    assert "Tuesday 2 June 2026, 09:00" in page
    assert '<label for="id_reason">Reason for the visit</label>' in page and "<textarea" in page

    reason = "Kopfschmerzen — 头痛 🤕"
    response = client.post(
        confirm_url(clinic_doctor, TUESDAY_9),
        {"start": TUESDAY_9.isoformat(), "reason": reason},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    assert appointment.start == TUESDAY_9 and appointment.status == Status.BOOKED
    assert appointment.reason == reason
    assert any("Booked" in message for message in flashes(response))
    page = text(client.get(response["Location"]))
    assert reason in page and "Booked: Tuesday 2 June 2026, 09:00" in page


def test_book_confirm_for_a_patient_in_another_zone(client, clinic_doctor):
    new_yorker = make_patient(timezone="America/New_York").user
    client.force_login(new_yorker)
    page = text(client.get(confirm_url(clinic_doctor, TUESDAY_9)))
    assert "Tuesday 2 June 2026, 03:00" in page
    assert "09:00 on the doctor's clock (Europe/Berlin)" in page


def test_book_confirm_a_taken_slot_shows_slot_taken(client, clinic_doctor, patient):
    other = make_patient().user
    book(clinic_doctor, other)
    client.force_login(patient)
    response = client.post(
        confirm_url(clinic_doctor, TUESDAY_9),
        {"start": TUESDAY_9.isoformat(), "reason": "Still want it"},
    )
    assert response.status_code == 400
    page = text(response)
    assert escape(services.SLOT_TAKEN) in page
    assert f"/book/{clinic_doctor.pk}/?week=2026-06-02" in page  # back to that week
    assert "Still want it" in page  # the reason is kept
    assert Appointment.objects.filter(patient=patient.patient_profile).count() == 0


def test_book_confirm_patient_busy(client, clinic_doctor, patient):
    elsewhere = make_doctor(weekly={1: (time(9), time(17))})
    book(elsewhere, patient)
    client.force_login(patient)
    response = client.post(confirm_url(clinic_doctor, TUESDAY_9), {"start": TUESDAY_9.isoformat()})
    assert response.status_code == 400
    assert escape(services.PATIENT_BUSY) in text(response)
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (NOW - timedelta(days=1), "This time is in the past."),
        (NOW - timedelta(minutes=30), "This time is in the past."),
        (NOW + timedelta(minutes=30), "at least 60 minutes ahead"),
        (NOW + timedelta(days=45), "up to 30 days ahead"),
        (TUESDAY_9 + timedelta(minutes=10), "The doctor has no slot starting at this time."),
    ],
)
def test_book_confirm_refused_times_show_next_to_the_time(
    client, clinic_doctor, patient, start, message
):
    client.force_login(patient)
    response = client.post(confirm_url(clinic_doctor, start), {"start": start.isoformat()})
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Choose another time" in page
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("garbage", "This is not a date and time we can read."),
        ("2026-02-30T09:00:00+01:00", "This is not a date and time we can read."),
        ("2026-06-02T09:00:00", "The time has no UTC offset."),
        ("", "Choose a time from the doctor&#x27;s free slots."),
        ("x" * 5000, "This is not a date and time we can read."),
        ("٢٠٢٦-٠٦-٠٢", "This is not a date and time we can read."),
    ],
)
def test_book_confirm_malformed_start_is_a_clear_400(client, clinic_doctor, patient, raw, message):
    client.force_login(patient)
    response = client.get(f"/book/{clinic_doctor.pk}/confirm/", {"start": raw})
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "Book this time" not in page
    assert f'href="/book/{clinic_doctor.pk}/"' in page
    response = client.post(f"/book/{clinic_doctor.pk}/confirm/", {"start": raw, "reason": "x"})
    assert response.status_code == 400 and message in text(response)
    assert not Appointment.objects.exists()


def test_book_confirm_an_unencoded_plus_still_reads(client, clinic_doctor, patient):
    client.force_login(patient)
    response = client.get(f"/book/{clinic_doctor.pk}/confirm/?start=2026-06-02T07:00:00+00:00")
    assert response.status_code == 200
    assert "Tuesday 2 June 2026, 09:00" in text(response)


def test_book_confirm_a_huge_reason_is_refused_and_kept(client, clinic_doctor, patient):
    client.force_login(patient)
    reason = "é" * 501
    response = client.post(
        confirm_url(clinic_doctor, TUESDAY_9), {"start": TUESDAY_9.isoformat(), "reason": reason}
    )
    assert response.status_code == 400
    page = text(response)
    assert "at most 500 characters" in page
    assert reason in page
    assert "Tuesday 2 June 2026, 09:00" in page
    assert not Appointment.objects.exists()


def test_book_confirm_with_a_doctor_who_confirms_requests(client, frozen, patient):
    doctor = make_doctor(
        weekly={1: (time(7), time(15))},
        timezone="UTC",
        requires_confirmation=True,
    )
    client.force_login(patient)
    page = text(client.get(confirm_url(doctor, TUESDAY_9)))
    assert "waits as pending" in page
    response = client.post(confirm_url(doctor, TUESDAY_9), {"start": TUESDAY_9.isoformat()})
    assert response.status_code == 302
    assert Appointment.objects.get().status == Status.PENDING
    assert any("request" in message for message in flashes(response))


def test_book_confirm_refuses_other_roles_and_unknown_doctors(client, clinic_doctor, staff):
    url = confirm_url(clinic_doctor, TUESDAY_9)
    assert_sign_in_redirect(client.get(url))
    assert_sign_in_redirect(client.post(url, {"start": TUESDAY_9.isoformat()}))
    client.force_login(clinic_doctor.user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"start": TUESDAY_9.isoformat()}).status_code == 404
    client.force_login(staff)
    assert client.post(url, {"start": TUESDAY_9.isoformat()}).status_code == 404
    assert not Appointment.objects.exists()
    client.force_login(make_patient().user)
    missing = "/book/00000000-0000-0000-0000-000000000000/confirm/"
    assert client.get(missing, {"start": TUESDAY_9.isoformat()}).status_code == 404


# --- appointment-list ---------------------------------------------------------------------


def test_appointment_list_has_upcoming_and_past_sections(
    client, clinic_doctor, patient, other_patient, frozen
):
    visited = book(clinic_doctor, patient, start=NOW + timedelta(hours=1), reason="Cough")
    upcoming = book(clinic_doctor, patient, start=nth_slot(3), reason="Follow-up")
    cancelled = book(clinic_doctor, patient, start=nth_slot(5), reason="Ear")
    services.appointment_cancel(actor=patient, appointment=cancelled, reason="Better")
    someone_else = book(clinic_doctor, other_patient, start=nth_slot(7), reason="Not yours")
    frozen.move_to(NOW + timedelta(hours=3))  # Monday's visit is over
    client.force_login(patient)
    response = client.get("/appointments/")
    assert response.status_code == 200
    page = text(response)
    upcoming_part, past_part = page.split("Past and cancelled")
    assert f"/appointments/{upcoming.pk}/" in upcoming_part
    assert f"/appointments/{visited.pk}/" in past_part
    assert f"/appointments/{cancelled.pk}/" in past_part
    assert "status-cancelled" in past_part
    assert f"/appointments/{someone_else.pk}/" not in page and "Not yours" not in page
    assert client.get("/appointments/", {"page": "zzz"}).status_code == 200
    assert client.get("/appointments/", {"page": "99999"}).status_code == 200


def test_appointment_list_pages_the_past(client, clinic_doctor, patient, frozen):
    for index in range(23):
        book(clinic_doctor, patient, start=nth_slot(index))
    frozen.move_to(NOW + timedelta(days=5))
    client.force_login(patient)
    first = text(client.get("/appointments/"))
    assert "Page 1 of 2" in first and first.count('<th scope="row">') == 20
    second = text(client.get("/appointments/", {"page": "2"}))
    assert second.count('<th scope="row">') == 3


def test_appointment_list_roles(client, clinic_doctor, staff):
    assert_sign_in_redirect(client.get("/appointments/"))
    client.force_login(clinic_doctor.user)
    response = client.get("/appointments/")
    assert response.status_code == 302 and response["Location"] == "/agenda/"
    client.force_login(staff)
    assert client.get("/appointments/").status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_appointment_list_queries_do_not_grow(
    client, clinic_doctor, patient, rows, django_assert_max_num_queries
):
    made = [book(clinic_doctor, patient, start=nth_slot(index)) for index in range(rows)]
    for appointment in made[::2]:
        services.appointment_cancel(actor=patient, appointment=appointment, reason="Away")
    client.force_login(patient)
    with django_assert_max_num_queries(8):
        response = client.get("/appointments/")
    assert response.status_code == 200
    assert text(response).count('<th scope="row">') == rows


# --- appointment-page ---------------------------------------------------------------------


def test_appointment_page_for_the_patient(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient, reason="Knee <b>pain</b>")
    client.force_login(patient)
    response = client.get(f"/appointments/{appointment.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Tuesday 2 June 2026" in page and "09:00" in page
    assert escape(clinic_doctor.user.full_name) in page
    assert "status-booked" in page
    assert "Knee &lt;b&gt;pain&lt;/b&gt;" in page
    assert f'action="/appointments/{appointment.pk}/cancel/"' in page
    assert 'for="id_cancel_reason"' in page
    assert f"/appointments/{appointment.pk}/reschedule/" in page
    assert f"/appointments/{appointment.pk}/calendar.ics" in page
    assert f"/appointments/{appointment.pk}/check-in/" not in page


def test_appointment_page_for_the_doctor(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    client.force_login(clinic_doctor.user)
    page = text(client.get(f"/appointments/{appointment.pk}/"))
    assert escape(patient.full_name) in page
    for action in ("check-in", "no-show", "cancel"):
        assert f'action="/appointments/{appointment.pk}/{action}/"' in page
    assert f"/appointments/{appointment.pk}/complete/" not in page
    assert f"/appointments/{appointment.pk}/reschedule/" not in page


def test_appointment_page_links_a_rescheduled_appointment(client, clinic_doctor, patient):
    old = book(clinic_doctor, patient)
    new = services.appointment_reschedule(actor=patient, appointment=old, start=nth_slot(2))
    client.force_login(patient)
    new_page = text(client.get(f"/appointments/{new.pk}/"))
    assert "Moved from" in new_page and f'href="/appointments/{old.pk}/"' in new_page
    old_page = text(client.get(f"/appointments/{old.pk}/"))
    assert "Moved to" in old_page and f'href="/appointments/{new.pk}/"' in old_page
    assert "Rescheduled" in old_page  # why it was cancelled
    assert f"/appointments/{old.pk}/reschedule/" not in old_page


def test_appointment_page_is_404_to_anyone_else(
    client, clinic_doctor, patient, other_patient, other_doctor, staff
):
    appointment = book(clinic_doctor, patient)
    url = f"/appointments/{appointment.pk}/"
    assert_sign_in_redirect(client.get(url))
    for outsider in (other_patient, other_doctor, staff):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(patient)
    assert client.get("/appointments/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/appointments/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_appointment_page_queries(
    client, clinic_doctor, patient, rows, django_assert_max_num_queries
):
    made = [book(clinic_doctor, patient, start=nth_slot(index)) for index in range(rows)]
    moved = services.appointment_reschedule(
        actor=patient, appointment=made[-1], start=nth_slot(rows + 1)
    )
    client.force_login(patient)
    with django_assert_max_num_queries(8):
        response = client.get(f"/appointments/{made[-1].pk}/")
    assert response.status_code == 200 and f"/appointments/{moved.pk}/" in text(response)
    client.force_login(clinic_doctor.user)
    with django_assert_max_num_queries(8):
        assert client.get(f"/appointments/{made[0].pk}/").status_code == 200


# --- appointment-action -------------------------------------------------------------------


def test_patient_cancels_with_a_reason(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    client.force_login(patient)
    response = client.post(f"/appointments/{appointment.pk}/cancel/", {"reason": "Feeling better"})
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.cancellation_reason == "Feeling better"
    page = text(client.get(response["Location"]))
    assert "is cancelled" in page and "status-cancelled" in page
    assert f'action="/appointments/{appointment.pk}/cancel/"' not in page


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why the appointment is cancelled."),
        ("   ", "Say why the appointment is cancelled."),
        ("x" * 501, "at most 500 characters"),
    ],
)
def test_patient_cancel_refused_shows_an_error(client, clinic_doctor, patient, reason, message):
    appointment = book(clinic_doctor, patient)
    client.force_login(patient)
    response = client.post(
        f"/appointments/{appointment.pk}/cancel/", {"reason": reason}, follow=True
    )
    assert response.status_code == 200
    assert message in text(response) and 'class="flash error"' in text(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_patient_cannot_cancel_inside_the_notice(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient, start=NOW + timedelta(hours=2))
    client.force_login(patient)
    response = client.post(
        f"/appointments/{appointment.pk}/cancel/", {"reason": "Late"}, follow=True
    )
    assert "up to 24 hours before the start" in text(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_inside_the_notice_the_page_says_to_call_instead_of_offering_a_cancel(
    client, clinic_doctor, patient, settings
):
    settings.CLINIC_PHONE = "+49 30 1234567"
    soon = book(clinic_doctor, patient, start=NOW + timedelta(hours=2))
    later = book(clinic_doctor, patient, start=TUESDAY_9 + timedelta(days=2))
    client.force_login(patient)
    page = text(client.get(f"/appointments/{soon.pk}/"))
    assert "call the clinic at +49 30 1234567" in page
    assert "Cancel the appointment" not in page and "Reschedule" not in page
    page = text(client.get(f"/appointments/{later.pk}/"))
    assert "call the clinic" not in page
    assert "Cancel the appointment" in page and "Reschedule" in page
    client.force_login(clinic_doctor.user)  # the doctor may still cancel
    assert "Cancel the appointment" in text(client.get(f"/appointments/{soon.pk}/"))


def test_a_move_the_service_refuses_is_an_error_message(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    client.force_login(patient)
    for action in ("confirm", "check-in", "complete", "no-show"):
        response = client.post(f"/appointments/{appointment.pk}/{action}/", follow=True)
        assert response.status_code == 200
        assert 'class="flash error"' in text(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_action_goes_back_to_a_local_next_only(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    url = f"/appointments/{appointment.pk}/cancel/"
    client.force_login(patient)
    for unsafe in (
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "/\\evil.example/",
        "agenda",
    ):
        response = client.post(url, {"reason": "", "next": unsafe})
        assert response["Location"] == f"/appointments/{appointment.pk}/"
    response = client.post(url, {"reason": "Away", "next": "/appointments/?page=1"})
    assert response["Location"] == "/appointments/?page=1"


def test_action_refusals(client, clinic_doctor, patient, other_patient, staff):
    appointment = book(clinic_doctor, patient)
    url = f"/appointments/{appointment.pk}/cancel/"
    assert_sign_in_redirect(client.post(url, {"reason": "x"}))
    client.force_login(patient)
    assert client.get(url).status_code == 405
    assert client.post(f"/appointments/{appointment.pk}/explode/").status_code == 404
    for outsider in (other_patient, staff):
        client.force_login(outsider)
        assert client.post(url, {"reason": "Not mine"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


# --- appointment-reschedule ---------------------------------------------------------------


def test_reschedule_page_offers_the_doctor_s_free_times(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    client.force_login(patient)
    response = client.get(f"/appointments/{appointment.pk}/reschedule/")
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="day"') == 7
    assert f'value="{nth_slot(2).isoformat()}"' in page
    assert f'value="{TUESDAY_9.isoformat()}"' not in page  # its own time is held
    page = text(client.get(f"/appointments/{appointment.pk}/reschedule/", {"week": "2026-06-08"}))
    assert "Mon 8 Jun" in page and "?week=2026-06-01" in page


def test_reschedule_moves_the_appointment(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    client.force_login(patient)
    response = client.post(
        f"/appointments/{appointment.pk}/reschedule/", {"start": nth_slot(4).isoformat()}
    )
    new = Appointment.objects.get(rescheduled_from=appointment)
    assert response.status_code == 302 and response["Location"] == f"/appointments/{new.pk}/"
    assert new.start == nth_slot(4) and new.status == Status.BOOKED
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert "Moved to" in text(client.get(response["Location"]))


def test_reschedule_to_a_taken_time_changes_nothing(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    book(clinic_doctor, make_patient().user, start=nth_slot(4))
    client.force_login(patient)
    response = client.post(
        f"/appointments/{appointment.pk}/reschedule/?week=2026-06-02",
        {"start": nth_slot(4).isoformat()},
    )
    assert response.status_code == 400
    page = text(response)
    assert escape(services.SLOT_TAKEN) in page and "Nothing changed" in page
    assert "Tue 2 Jun" in page
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("not a time", "This is not a date and time we can read."),
        ("2026-06-03T09:00:00", "The time has no UTC offset."),
        ("", "Choose one of the free times below."),
        ((NOW - timedelta(days=1)).isoformat(), "This time is in the past."),
        (TUESDAY_9.isoformat(), "The appointment is already at this time"),
    ],
)
def test_reschedule_bad_input(client, clinic_doctor, patient, start, message):
    appointment = book(clinic_doctor, patient)
    client.force_login(patient)
    response = client.post(f"/appointments/{appointment.pk}/reschedule/", {"start": start})
    assert response.status_code == 400
    assert message in text(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    assert Appointment.objects.count() == 1


def test_reschedule_refusals(client, clinic_doctor, patient, other_patient, staff):
    appointment = book(clinic_doctor, patient)
    url = f"/appointments/{appointment.pk}/reschedule/"
    assert_sign_in_redirect(client.get(url))
    for outsider in (other_patient, staff):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"start": nth_slot(4).isoformat()}).status_code == 404
    assert Appointment.objects.count() == 1


# --- appointment-ics ----------------------------------------------------------------------


def test_ics_download(client, clinic_doctor, patient, other_patient, staff):
    appointment = book(clinic_doctor, patient)
    url = f"/appointments/{appointment.pk}/calendar.ics"
    assert_sign_in_redirect(client.get(url))
    client.force_login(patient)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == (
        f'attachment; filename="appointment-{appointment.pk}.ics"'
    )
    assert f"UID:appointment-{appointment.pk}@clinic-portal".encode() in response.content
    assert b"DTSTART:20260602T070000Z" in response.content
    client.force_login(clinic_doctor.user)
    assert client.get(url).status_code == 200
    for outsider in (other_patient, staff):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


# --- calendar-links -----------------------------------------------------------------------


def test_calendar_links_shows_the_feed_and_rotates_it(client, clinic_doctor, patient):
    book(clinic_doctor, patient)
    client.force_login(patient)
    response = client.get("/calendar/")
    assert response.status_code == 200
    page = text(response)
    token = CalendarFeed.objects.get(user=patient).token
    feed_url = f"{settings.PORTAL_BASE_URL}/calendar/{token}.ics"
    assert f'id="feed-url" type="text" value="{feed_url}"' in page
    assert '<button type="button" class="small secondary" data-copy="#feed-url">' in page
    assert '<label for="feed-url">' in page
    assert client.get(f"/calendar/{token}.ics").status_code == 200

    response = client.post("/calendar/", {"rotate": "1"})
    assert response.status_code == 302 and response["Location"] == "/calendar/"
    page = text(client.get("/calendar/"))
    assert "the old one no longer works" in page
    new_token = CalendarFeed.objects.get(user=patient).token
    assert new_token != token
    assert new_token in page and token not in page
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200


def test_calendar_links_for_a_doctor_and_refusals(client, clinic_doctor, staff):
    assert_sign_in_redirect(client.get("/calendar/"))
    assert_sign_in_redirect(client.post("/calendar/"))
    client.force_login(clinic_doctor.user)
    assert client.get("/calendar/").status_code == 200
    assert CalendarFeed.objects.filter(user=clinic_doctor.user).exists()
    client.force_login(staff)
    assert client.get("/calendar/").status_code == 404
    assert client.post("/calendar/").status_code == 404
    assert not CalendarFeed.objects.filter(user=staff).exists()


def test_a_cancelled_appointment_offers_no_new_times_and_says_why(client, clinic_doctor, patient):
    appointment = book(clinic_doctor, patient)
    services.appointment_cancel(actor=patient, appointment=appointment, reason="Away")
    client.force_login(patient)
    response = client.get(f"/appointments/{appointment.pk}/reschedule/", follow=True)
    assert response.redirect_chain == [(f"/appointments/{appointment.pk}/", 302)]
    assert "it can no longer be moved" in text(response)
    posted = client.post(
        f"/appointments/{appointment.pk}/reschedule/",
        {"start": (TUESDAY_9 + timedelta(hours=1)).isoformat()},
    )
    # The service's refusal, in words (not the status it found).
    assert "Only pending or booked appointments can be rescheduled." in text(posted)


def test_the_confirm_page_warns_when_the_visit_could_not_be_changed_online(
    client, clinic_doctor, patient, settings
):
    settings.CLINIC_PHONE = "+49 30 1234567"
    client.force_login(patient)
    soon = text(client.get(confirm_url(clinic_doctor, NOW + timedelta(hours=3))))
    assert "cannot be cancelled or moved online" in soon and "+49 30 1234567" in soon
    later = text(client.get(confirm_url(clinic_doctor, TUESDAY_9 + timedelta(days=2))))
    assert "cannot be cancelled or moved online" not in later
