"""The front desk in the admin: a titled site, the day's list with its buttons, the waiting room,
and booking on a patient's behalf with every clash shown on the form."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import NOW, TUESDAY_9
from core.models import AuditAction, AuditEvent
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY_URL = "/admin/appointments/appointment/today/"
WAITING_URL = "/admin/appointments/appointment/waiting-room/"
CHANGELIST = "/admin/appointments/appointment/"
ADD = "/admin/appointments/appointment/add/"
# NOW is Monday 1 June 2026, 08:00 in Berlin; the clinic's doctors work 09:00-17:00 Berlin.
MONDAY_9 = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 Berlin


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def second_doctor(frozen):
    return make_doctor(
        timezone="Europe/Berlin",
        weekly={day: (time(9), time(17)) for day in range(7)},
        slot_minutes=30,
        min_booking_notice_minutes=60,
    )


def book(doctor, start, patient=None, actor=None):
    patient = patient or make_patient()
    return services.appointment_book(
        actor=actor or patient.user, doctor=doctor, patient=patient, start=start
    )


def move_url(appointment, move: str) -> str:
    return reverse("admin:appointments_appointment_desk_move", args=[appointment.pk, move])


def desk_rows(response) -> list:
    return list(response.context["rows"])


# --- the site -------------------------------------------------------------------------------


def test_the_admin_is_the_titled_front_desk_with_a_link_to_the_site(staff_client):
    assert admin.site.site_header == "Clinic front desk"
    assert admin.site.site_title == "Clinic front desk"
    assert admin.site.index_title == "Front desk"
    page = staff_client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Front desk | Clinic front desk</title>" in html
    assert '<a href="/admin/">Clinic front desk</a>' in html
    assert '<a href="/">View site</a>' in html


def test_the_index_and_the_list_lead_to_today_and_the_waiting_room(staff_client):
    for url in ("/admin/", CHANGELIST):
        html = staff_client.get(url).content.decode()
        assert f'href="{TODAY_URL}"' in html, url
        assert f'href="{WAITING_URL}"' in html, url
    assert f'href="{ADD}"' in staff_client.get("/admin/").content.decode()


def test_the_index_shows_the_front_desk_to_administrators_too(client, admin_user):
    client.force_login(admin_user)
    assert f'href="{TODAY_URL}"' in client.get("/admin/").content.decode()


# --- today ----------------------------------------------------------------------------------


def test_today_lists_every_doctors_appointments_of_the_day_grouped_by_doctor(
    staff_client, staff, clinic_doctor, second_doctor
):
    clinic_doctor.user.full_name = "Dr. Zoe Zimmer"
    clinic_doctor.user.save(update_fields=["full_name"])
    second_doctor.user.full_name = "Dr. Anna Adler"
    second_doctor.user.save(update_fields=["full_name"])
    late = book(clinic_doctor, MONDAY_9 + timedelta(hours=5))
    early = book(clinic_doctor, MONDAY_9)
    other = book(second_doctor, MONDAY_9 + timedelta(hours=2))
    tomorrow = book(clinic_doctor, TUESDAY_9)
    cancelled = book(second_doctor, MONDAY_9 + timedelta(hours=1))
    services.appointment_cancel(actor=staff, appointment=cancelled, reason="Called in ill")

    page = staff_client.get(TODAY_URL)

    assert page.status_code == 200
    rows = desk_rows(page)
    assert [row.pk for row in rows] == [cancelled.pk, other.pk, early.pk, late.pk]  # by doctor
    assert tomorrow.pk not in {row.pk for row in rows}
    html = page.content.decode()
    assert "Dr. Anna Adler (2)" in html and "Dr. Zoe Zimmer (2)" in html
    assert html.index("Dr. Anna Adler (2)") < html.index("Dr. Zoe Zimmer (2)")
    assert "09:00\u201309:30" in html  # on the receptionist's (Berlin) clock
    assert "Cancelled" in html and "Booked" in html
    assert "3 booked, 1 cancelled" in html

    by_time = desk_rows(staff_client.get(TODAY_URL, {"order": "time"}))
    assert [row.pk for row in by_time] == [early.pk, cancelled.pk, other.pk, late.pk]
    assert desk_rows(staff_client.get(TODAY_URL, {"order": "nonsense"})) == rows


def test_today_is_the_readers_day(client, clinic_doctor):
    """At 06:00 UTC it is Monday in Berlin and still Sunday in Los Angeles."""
    book(clinic_doctor, MONDAY_9)
    west = UserFactory(role=Role.STAFF, timezone="America/Los_Angeles")
    client.force_login(west)
    page = client.get(TODAY_URL)
    assert desk_rows(page) == []
    assert "No appointments today." in page.content.decode()
    assert "Sunday 31 May 2026" in page.content.decode()


def test_each_row_offers_only_the_moves_its_status_allows(staff_client, clinic_doctor):
    booked = book(clinic_doctor, MONDAY_9)
    clinic_doctor.requires_confirmation = True
    clinic_doctor.save(update_fields=["requires_confirmation"])
    pending = book(clinic_doctor, MONDAY_9 + timedelta(hours=1))
    assert pending.status == Status.PENDING
    arrived = book(clinic_doctor, MONDAY_9 + timedelta(hours=2), actor=UserFactory(role=Role.STAFF))
    Appointment.objects.filter(pk=arrived.pk).update(status=Status.ARRIVED)

    moves = {
        row.pk: [m.slug for m in row.desk_moves] for row in desk_rows(staff_client.get(TODAY_URL))
    }

    assert moves[booked.pk] == ["check-in", "no-show", "cancel"]
    assert moves[pending.pk] == ["confirm", "cancel"]
    assert moves[arrived.pk] == []


def test_the_buttons_check_in_mark_no_show_and_cancel_through_the_services(
    staff_client, staff, clinic_doctor, frozen
):
    first = book(clinic_doctor, MONDAY_9)
    second = book(clinic_doctor, MONDAY_9 + timedelta(hours=1))
    third = book(clinic_doctor, MONDAY_9 + timedelta(hours=2))

    checked_in = staff_client.post(move_url(first, "check-in"), {"next": TODAY_URL})
    assert checked_in.status_code == 302 and checked_in["Location"] == TODAY_URL
    first.refresh_from_db()
    assert first.status == Status.ARRIVED
    assert AuditEvent.objects.filter(
        actor=staff, action=AuditAction.UPDATE, resource_id=str(first.pk)
    ).exists()
    shown = staff_client.get(TODAY_URL)
    assert ": checked in." in shown.content.decode()  # the message after the redirect

    # The service's own rule: a no-show only after the start. Told, nothing changed.
    refused = staff_client.post(move_url(second, "no-show"), follow=True)
    second.refresh_from_db()
    assert second.status == Status.BOOKED
    assert "A no-show can be recorded only after the start." in refused.content.decode()
    frozen.move_to(MONDAY_9 + timedelta(hours=1, minutes=20))
    staff_client.post(move_url(second, "no-show"))
    second.refresh_from_db()
    assert second.status == Status.NOSHOW

    staff_client.post(move_url(third, "cancel"))
    third.refresh_from_db()
    assert third.status == Status.CANCELLED
    assert third.cancelled_by == staff
    assert third.cancellation_reason.startswith("Cancelled by the clinic")

    again = staff_client.post(move_url(third, "cancel"), follow=True)
    assert "cannot become cancelled" in again.content.decode()


def test_a_button_keeps_the_order_it_came_from_and_never_leaves_the_site(
    staff_client, clinic_doctor
):
    first = book(clinic_doctor, MONDAY_9)
    second = book(clinic_doctor, MONDAY_9 + timedelta(hours=1))
    kept = staff_client.post(move_url(first, "cancel"), {"next": f"{TODAY_URL}?order=time"})
    assert kept["Location"] == f"{TODAY_URL}?order=time"
    away = staff_client.post(move_url(second, "cancel"), {"next": "https://evil.example/"})
    assert away["Location"] == TODAY_URL


def test_the_buttons_refuse_what_they_should(staff_client, clinic_doctor, client):
    appointment = book(clinic_doctor, MONDAY_9)
    assert staff_client.get(move_url(appointment, "cancel")).status_code == 405
    assert staff_client.post(move_url(appointment, "complete")).status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    missing = f"{TODAY_URL}{unknown}/cancel/"
    assert staff_client.post(missing).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED

    for user in (appointment.patient.user, clinic_doctor.user):
        client.force_login(user)
        for url in (TODAY_URL, WAITING_URL):
            answer = client.get(url)
            assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
        answer = client.post(move_url(appointment, "cancel"))
        assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    client.logout()
    assert "/admin/login/" in client.get(TODAY_URL)["Location"]
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_a_view_only_account_sees_the_day_without_buttons(client, clinic_doctor):
    book(clinic_doctor, MONDAY_9)
    viewer = UserFactory(role=Role.STAFF)
    viewer.groups.clear()
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_appointment", content_type__app_label="appointments")
    )
    client.force_login(viewer)
    page = client.get(TODAY_URL)
    assert page.status_code == 200
    rows = desk_rows(page)
    assert len(rows) == 1 and rows[0].desk_moves == []
    assert client.post(move_url(rows[0], "cancel")).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_today_costs_the_same_few_queries_for_few_or_many_rows(
    staff_client, frozen, count, django_assert_max_num_queries
):
    doctors = [make_doctor(weekly={day: (time(9), time(17)) for day in range(7)}) for _ in range(4)]
    for index in range(count):
        book(doctors[index % 4], MONDAY_9 + timedelta(minutes=30 * (index // 4)))
    # The user, whether their second sign-in step still holds, their permissions (two), the
    # day's counts per status (the total is their sum), the page's rows, the audit of those rows.
    with django_assert_max_num_queries(7):
        page = staff_client.get(TODAY_URL)
    assert len(desk_rows(page)) == count


# --- waiting room ---------------------------------------------------------------------------


def test_the_waiting_room_lists_who_checked_in_longest_ago_first(
    staff_client, staff, clinic_doctor, second_doctor, frozen
):
    first = book(clinic_doctor, MONDAY_9)
    second = book(second_doctor, MONDAY_9)
    later = book(clinic_doctor, MONDAY_9 + timedelta(hours=1))
    not_here = book(clinic_doctor, MONDAY_9 + timedelta(hours=2))
    frozen.move_to(NOW + timedelta(minutes=10))  # 08:10 Berlin
    services.appointment_check_in(actor=staff, appointment=second)
    frozen.move_to(NOW + timedelta(minutes=25))
    services.appointment_check_in(actor=staff, appointment=first)
    frozen.move_to(NOW + timedelta(minutes=40))
    services.appointment_check_in(actor=staff, appointment=later)
    frozen.move_to(NOW + timedelta(minutes=55))  # 08:55 Berlin

    page = staff_client.get(WAITING_URL)

    assert page.status_code == 200
    rows = desk_rows(page)
    assert [row.pk for row in rows] == [second.pk, first.pk, later.pk]
    assert not_here.pk not in {row.pk for row in rows}
    assert [row.waited_minutes for row in rows] == [45, 30, 15]
    html = page.content.decode()
    assert "08:10" in html and "45 min" in html  # checked in at, on the Berlin clock
    assert str(second_doctor) in html  # the doctor they wait for
    assert html.index(str(second.patient)) < html.index(str(first.patient))


def test_the_waiting_room_says_when_no_check_in_time_was_recorded(
    staff_client, staff, clinic_doctor, frozen
):
    recorded = book(clinic_doctor, MONDAY_9 + timedelta(hours=1))
    unrecorded = book(clinic_doctor, MONDAY_9)
    yesterday = book(clinic_doctor, TUESDAY_9)  # moved to yesterday below
    frozen.move_to(NOW + timedelta(minutes=5))
    services.appointment_check_in(actor=staff, appointment=recorded)
    # Set outside the check-in service (as an import might): no audit event gives its time.
    Appointment.objects.filter(pk=unrecorded.pk).update(status=Status.ARRIVED)
    Appointment.objects.filter(pk=yesterday.pk).update(
        status=Status.ARRIVED,
        start=MONDAY_9 - timedelta(days=1),
        end=MONDAY_9 - timedelta(days=1, minutes=-30),
        held_start=MONDAY_9 - timedelta(days=1),
        held_end=MONDAY_9 - timedelta(days=1, minutes=-30),
    )

    page = staff_client.get(WAITING_URL)

    rows = desk_rows(page)
    assert [row.pk for row in rows] == [recorded.pk, unrecorded.pk]  # 08:05, then start 09:00
    assert rows[1].checked_in_at is None
    assert "Check-in time not recorded" in page.content.decode()


def test_an_empty_waiting_room_says_so(staff_client, clinic_doctor):
    page = staff_client.get(WAITING_URL)
    assert page.status_code == 200
    assert "Nobody is waiting" in page.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_waiting_room_costs_the_same_few_queries_for_few_or_many_rows(
    staff_client, staff, frozen, count, django_assert_max_num_queries
):
    doctors = [make_doctor(weekly={day: (time(9), time(17)) for day in range(7)}) for _ in range(4)]
    booked = [
        book(doctors[index % 4], MONDAY_9 + timedelta(minutes=30 * (index // 4)))
        for index in range(count)
    ]
    frozen.move_to(MONDAY_9)  # check-in is open for every one of them
    for appointment in booked:
        services.appointment_check_in(actor=staff, appointment=appointment)
    with django_assert_max_num_queries(8):
        page = staff_client.get(WAITING_URL)
    assert len(desk_rows(page)) == count
    assert all(row.checked_in_at == MONDAY_9 for row in desk_rows(page))


# --- booking on a patient's behalf ------------------------------------------------------------


def booking_form(doctor, patient, day: str, at: str, **fields) -> dict:
    return {
        "doctor": str(doctor.pk),
        "patient": str(patient.pk),
        "start_0": day,
        "start_1": at,
        "reason": "Check-up",
        **fields,
    }


def refused(response, field: str) -> list[str]:
    assert response.status_code == 200, response.content[:2000]
    form = response.context["adminform"].form
    return form.errors.get(field, [])


def test_a_booking_in_a_taken_slot_is_a_form_error(staff_client, clinic_doctor):
    book(clinic_doctor, TUESDAY_9)
    someone = make_patient()
    answer = staff_client.post(ADD, booking_form(clinic_doctor, someone, "2026-06-02", "09:00"))
    assert refused(answer, "__all__") == ["This time is no longer free with this doctor."]
    assert Appointment.objects.count() == 1
    html = answer.content.decode()
    assert 'class="errornote"' in html  # at the top of the form, not a message after the fact
    assert 'value="2026-06-02"' in html and 'value="Check-up"' in html  # the input stays


def test_a_patient_already_busy_at_that_time_is_a_form_error(
    staff_client, clinic_doctor, second_doctor
):
    taken = book(second_doctor, TUESDAY_9)
    answer = staff_client.post(
        ADD, booking_form(clinic_doctor, taken.patient, "2026-06-02", "09:00")
    )
    assert refused(answer, "__all__") == ["The patient already has an appointment at this time."]
    assert Appointment.objects.count() == 1


def test_a_time_outside_the_doctors_hours_is_a_form_error_on_the_start(staff_client, clinic_doctor):
    someone = make_patient()
    answer = staff_client.post(ADD, booking_form(clinic_doctor, someone, "2026-06-02", "20:00"))
    assert refused(answer, "start") == ["The doctor has no slot starting at this time."]
    off_grid = staff_client.post(
        ADD,
        booking_form(clinic_doctor, someone, "2026-06-02", "09:10", off_grid_reason="Squeezed in"),
    )  # the desk may book off the grid, saying why
    assert off_grid.status_code == 302
    assert Appointment.objects.get().off_grid_reason == "Squeezed in"


def test_a_time_in_the_past_is_a_form_error_on_the_start(staff_client, clinic_doctor):
    someone = make_patient()
    answer = staff_client.post(ADD, booking_form(clinic_doctor, someone, "2026-06-01", "07:30"))
    assert refused(answer, "start") == ["This time is in the past."]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"start_0": "not a day"}, "start"),
        ({"start_1": "25:99"}, "start"),
        ({"start_0": "", "start_1": ""}, "start"),
        ({"doctor": "not-a-uuid"}, "doctor"),
        ({"patient": "00000000-0000-0000-0000-000000000000"}, "patient"),
        ({"reason": "é" * 501}, "reason"),
    ],
)
def test_malformed_booking_input_is_a_form_error(staff_client, clinic_doctor, fields, field):
    someone = make_patient()
    answer = staff_client.post(
        ADD, {**booking_form(clinic_doctor, someone, "2026-06-02", "09:00"), **fields}
    )
    assert refused(answer, field)
    assert not Appointment.objects.exists()


def test_today_shows_a_page_at_a_time_and_counts_the_whole_day(staff_client, frozen):
    doctors = [make_doctor(weekly={day: (time(9), time(17)) for day in range(7)}) for _ in range(4)]
    booked = [
        book(doctors[index % 4], MONDAY_9 + timedelta(minutes=30 * (index // 4)))
        for index in range(53)
    ]
    first = staff_client.get(TODAY_URL, {"order": "time"})
    html = first.content.decode()
    summary = html[html.index("desk-summary") :][:120]
    assert "53 appointments:" in summary and "53 booked." in summary, summary
    assert "Page 1 of 2" in html
    second = staff_client.get(TODAY_URL, {"order": "time", "page": 2})
    shown = [row.pk for row in desk_rows(first)] + [row.pk for row in desk_rows(second)]
    assert len(desk_rows(first)) == 50
    assert sorted(shown) == sorted(item.pk for item in booked)  # each once, none left out
    assert 'href="?order=time&amp;page=1"' in second.content.decode()
