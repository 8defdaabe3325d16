"""The doctor's availability and time-off editors, in the browser's shape: plain form posts."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.utils.html import escape

from doctors import services
from doctors.models import AvailabilityWindow, TimeOff
from doctors.tests.factories import make_doctor
from users.models import Role
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A Monday morning (08:00 in Berlin); the clinic doctor works every day 09:00-17:00 Berlin time.
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
TUESDAY_9_BERLIN = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)

AVAILABILITY = "/schedule/availability/"
TIME_OFF = "/schedule/time-off/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic_doctor(frozen):
    return make_doctor(
        timezone="Europe/Berlin",
        weekly={day: (time(9), time(17)) for day in range(7)},
        slot_minutes=30,
        min_booking_notice_minutes=60,
        booking_horizon_days=30,
    )


def window_form(**fields) -> dict:
    form = {
        "weekday": "0",
        "start_time": "09:00",
        "end_time": "12:00",
        "slot_minutes": "30",
        "valid_from": "",
        "valid_to": "",
    }
    form.update(fields)
    return form


def add_window(doctor_user, weekday=0, start=time(9), end=time(12), **fields):
    return services.availability_create(
        actor=doctor_user,
        doctor=doctor_user.doctor_profile,
        weekday=weekday,
        start_time=start,
        end_time=end,
        slot_minutes=fields.pop("slot_minutes", 30),
        **fields,
    )


def add_time_off(doctor, start, end, reason=""):
    return services.time_off_create(
        actor=doctor.user, doctor=doctor, start=start, end=end, reason=reason
    )


def book(as_user, patient, doctor, start):
    """A booking made by the patient through the API, the way the SPA books."""
    response = as_user(patient).post(
        "/api/v1/appointments/",
        {"doctor": str(doctor.pk), "start": start.isoformat(), "reason": "Check-up"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def field_errors(response, name) -> list[str]:
    return response.context["form"].errors.get(name, [])


# --- who may open the editors ---------------------------------------------------------------


def _urls(window_id, time_off_id):
    return [
        ("get", AVAILABILITY),
        ("post", AVAILABILITY),
        ("get", f"{AVAILABILITY}{window_id}/edit/"),
        ("post", f"{AVAILABILITY}{window_id}/delete/"),
        ("get", TIME_OFF),
        ("post", TIME_OFF),
        ("post", f"{TIME_OFF}{time_off_id}/delete/"),
    ]


@pytest.fixture
def doctor_rows(doctor):
    window = add_window(doctor)
    time_off = add_time_off(
        doctor.doctor_profile,
        datetime.now(UTC) + timedelta(days=2),
        datetime.now(UTC) + timedelta(days=3),
    )
    return window, time_off


def test_anonymous_visitors_are_sent_to_sign_in(client, doctor_rows):
    window, time_off = doctor_rows
    for method, url in _urls(window.pk, time_off.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert AvailabilityWindow.objects.count() == 1 and TimeOff.objects.count() == 1


@pytest.mark.parametrize("role", ["patient", "staff", "admin"])
def test_other_roles_get_404(client, doctor_rows, role, patient, staff, admin_user):
    window, time_off = doctor_rows
    client.force_login({"patient": patient, "staff": staff, "admin": admin_user}[role])
    for method, url in _urls(window.pk, time_off.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert AvailabilityWindow.objects.count() == 1 and TimeOff.objects.count() == 1


def test_a_doctor_account_without_profile_gets_404(client):
    client.force_login(UserFactory(role=Role.DOCTOR))
    assert client.get(AVAILABILITY).status_code == 404
    assert client.get(TIME_OFF).status_code == 404


def test_another_doctors_window_and_time_off_are_404(client, doctor_rows, other_doctor):
    window, time_off = doctor_rows
    client.force_login(other_doctor)
    assert client.get(f"{AVAILABILITY}{window.pk}/edit/").status_code == 404
    assert client.post(f"{AVAILABILITY}{window.pk}/edit/", window_form()).status_code == 404
    assert client.post(f"{AVAILABILITY}{window.pk}/delete/").status_code == 404
    assert client.post(f"{TIME_OFF}{time_off.pk}/delete/").status_code == 404
    page = client.get(AVAILABILITY).content.decode()
    assert str(window.pk) not in page
    assert str(time_off.pk) not in client.get(TIME_OFF).content.decode()
    assert AvailabilityWindow.objects.count() == 1 and TimeOff.objects.count() == 1


def test_malformed_and_unknown_ids_are_404(client, doctor):
    client.force_login(doctor)
    for url in (
        f"{AVAILABILITY}not-a-uuid/edit/",
        f"{AVAILABILITY}12345/delete/",
        f"{AVAILABILITY}00000000-0000-0000-0000-000000000000/edit/",
        f"{TIME_OFF}00000000-0000-0000-0000-000000000000/delete/",
        f"{TIME_OFF}%00/delete/",
    ):
        response = client.post(url) if "delete" in url else client.get(url)
        assert response.status_code == 404, url


def test_deleting_takes_a_post(client, doctor_rows, doctor):
    window, time_off = doctor_rows
    client.force_login(doctor)
    assert client.get(f"{AVAILABILITY}{window.pk}/delete/").status_code == 405
    assert client.get(f"{TIME_OFF}{time_off.pk}/delete/").status_code == 405
    assert AvailabilityWindow.objects.count() == 1 and TimeOff.objects.count() == 1


# --- weekly availability --------------------------------------------------------------------


def test_the_editor_lists_the_windows_by_weekday(client, doctor):
    add_window(doctor, weekday=4, start=time(14), end=time(18), slot_minutes=20)
    add_window(doctor, weekday=0, start=time(9), end=time(12))
    add_window(doctor, weekday=2, start=time(8), valid_from=datetime(2026, 7, 1).date())
    client.force_login(doctor)
    response = client.get(AVAILABILITY)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Monday") < page.index("Wednesday") < page.index("Friday")
    assert "14:00" in page and "18:00" in page and "20 min" in page
    assert "from 1 Jul 2026" in page
    assert "Europe/Berlin" in page  # the clock the times are on
    assert 'for="id_start_time"' in page and 'type="time"' in page


def test_adding_a_window(client, doctor):
    client.force_login(doctor)
    response = client.post(
        AVAILABILITY,
        window_form(weekday="3", start_time="13:30", end_time="17:00", slot_minutes="15"),
        follow=True,
    )
    assert response.redirect_chain == [(AVAILABILITY, 302)]
    window = AvailabilityWindow.objects.get()
    assert (window.doctor, window.weekday, window.start_time, window.end_time) == (
        doctor.doctor_profile,
        3,
        time(13, 30),
        time(17),
    )
    assert window.slot_minutes == 15
    page = response.content.decode()
    assert "Added the Thursday 13:30-17:00 window." in page
    assert "Thursday" in page and "15 min" in page


def test_a_window_that_ends_before_it_starts_is_refused_next_to_the_end(client, doctor):
    client.force_login(doctor)
    response = client.post(AVAILABILITY, window_form(start_time="12:00", end_time="09:00"))
    assert response.status_code == 400
    assert field_errors(response, "end_time") == ["The window must end after it starts."]
    page = response.content.decode()
    assert 'value="12:00"' in page and 'value="09:00"' in page  # nothing the doctor typed is lost
    assert not AvailabilityWindow.objects.exists()


def test_an_overlapping_window_is_refused_and_the_clash_is_pointed_at(client, doctor):
    existing = add_window(doctor, weekday=0, start=time(9), end=time(12))
    client.force_login(doctor)
    response = client.post(AVAILABILITY, window_form(start_time="11:00", end_time="13:00"))
    assert response.status_code == 400
    (message,) = field_errors(response, "start_time")
    assert message.startswith("Overlaps the Monday 09:00-12:00 window")
    assert not response.context["form"].non_field_errors()  # the clash's id is not an error
    page = response.content.decode()
    assert "The new window overlaps this one." in page
    assert f'id="window-{existing.pk}"' in page
    assert AvailabilityWindow.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slot_minutes": "3"}, "slot_minutes"),
        ({"slot_minutes": "481"}, "slot_minutes"),
        ({"slot_minutes": "-30"}, "slot_minutes"),
        ({"slot_minutes": "9" * 30}, "slot_minutes"),
        ({"slot_minutes": "half an hour"}, "slot_minutes"),
        ({"slot_minutes": ""}, "slot_minutes"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "nine"}, "start_time"),
        ({"end_time": ""}, "end_time"),
        ({"weekday": "7"}, "weekday"),
        ({"weekday": "monday"}, "weekday"),
        ({"valid_from": "2026-02-30"}, "valid_from"),
        ({"valid_to": "tomorrow"}, "valid_to"),
        ({"valid_from": "2026-08-01", "valid_to": "2026-07-01"}, "valid_to"),
    ],
)
def test_bad_window_input_is_shown_next_to_its_field(client, doctor, fields, field):
    client.force_login(doctor)
    response = client.post(AVAILABILITY, window_form(**fields))
    assert response.status_code == 400
    assert field_errors(response, field), response.context["form"].errors
    assert not AvailabilityWindow.objects.exists()


def test_editing_a_window(client, doctor):
    window = add_window(doctor, weekday=0, start=time(9), end=time(12))
    client.force_login(doctor)
    url = f"{AVAILABILITY}{window.pk}/edit/"
    page = client.get(url).content.decode()
    assert "Change the Monday 09:00-12:00 window" in page
    assert 'value="09:00"' in page and 'value="12:00"' in page
    assert '<option value="0" selected>Monday</option>' in page

    response = client.post(
        url,
        window_form(weekday="1", start_time="10:00", end_time="14:00", valid_to="2026-12-31"),
        follow=True,
    )
    assert response.redirect_chain == [(AVAILABILITY, 302)]
    window.refresh_from_db()
    assert (window.weekday, window.start_time, window.end_time) == (1, time(10), time(14))
    assert window.valid_to.isoformat() == "2026-12-31"
    assert "Saved the Tuesday 10:00-14:00 window." in response.content.decode()


def test_an_edit_that_would_overlap_another_window_is_refused(client, doctor):
    add_window(doctor, weekday=0, start=time(9), end=time(12))
    later = add_window(doctor, weekday=0, start=time(13), end=time(17))
    client.force_login(doctor)
    url = f"{AVAILABILITY}{later.pk}/edit/"
    response = client.post(url, window_form(start_time="11:00", end_time="17:00"))
    assert response.status_code == 400
    assert field_errors(response, "start_time")[0].startswith("Overlaps the Monday 09:00-12:00")
    assert "Change the Monday 13:00-17:00 window" in response.content.decode()
    later.refresh_from_db()
    assert later.start_time == time(13)

    bad = client.post(url, window_form(start_time="17:00", end_time="13:00"))
    assert bad.status_code == 400 and field_errors(bad, "end_time")


def test_deleting_a_window(client, doctor):
    window = add_window(doctor)
    keep = add_window(doctor, weekday=1)
    client.force_login(doctor)
    response = client.post(f"{AVAILABILITY}{window.pk}/delete/", follow=True)
    assert response.redirect_chain == [(AVAILABILITY, 302)]
    assert list(AvailabilityWindow.objects.all()) == [keep]
    assert "Removed the Monday 09:00-12:00 window." in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_availability_editor_takes_few_queries(
    client, doctor, other_doctor, rows, django_assert_max_num_queries
):
    for index in range(rows):
        add_window(
            doctor,
            weekday=index % 7,
            start=time(6 + 3 * (index // 7)),
            end=time(8 + 3 * (index // 7)),
        )
        add_window(
            other_doctor,
            weekday=index % 7,
            start=time(6 + 3 * (index // 7)),
            end=time(8 + 3 * (index // 7)),
        )
    client.force_login(doctor)
    with django_assert_max_num_queries(8):
        response = client.get(AVAILABILITY)
    assert response.status_code == 200
    assert response.content.decode().count('aria-label="Edit the ') == rows


# --- time off -------------------------------------------------------------------------------


def test_adding_time_off_on_the_doctors_clock(client, clinic_doctor):
    client.force_login(clinic_doctor.user)
    response = client.post(
        TIME_OFF,
        {"start": "2026-06-10T08:00", "end": "2026-06-12T18:00", "reason": "Congrès à Lyon"},
        follow=True,
    )
    time_off = TimeOff.objects.get()
    assert response.redirect_chain == [(f"{TIME_OFF}?added={time_off.pk}", 302)]
    # Berlin is UTC+2 in June.
    assert time_off.start == datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
    assert time_off.end == datetime(2026, 6, 12, 16, 0, tzinfo=UTC)
    assert time_off.reason == "Congrès à Lyon"
    page = response.content.decode()
    assert "Time off added." in page
    assert "Wed 10 Jun 2026, 08:00" in page and "Fri 12 Jun 2026, 18:00" in page
    assert escape("Congrès à Lyon") in page
    assert "Bookings inside your new time off" not in page  # nothing was booked
    for added in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00"):
        assert client.get(f"{TIME_OFF}?added={added}").status_code == 200


def test_time_off_is_read_on_the_doctors_clock_even_if_the_account_says_otherwise(client, frozen):
    user = UserFactory(role=Role.DOCTOR, timezone="UTC")
    doctor = make_doctor(user=user, timezone="Asia/Tokyo")
    client.force_login(user)
    response = client.post(TIME_OFF, {"start": "2026-06-10T09:00", "end": "2026-06-10T17:00"})
    assert response.status_code == 302
    time_off = TimeOff.objects.get(doctor=doctor)
    assert time_off.start == datetime(2026, 6, 10, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
    assert "Wed 10 Jun 2026, 09:00" in client.get(TIME_OFF).content.decode()


def test_time_off_over_a_booking_lists_it_and_leaves_it_booked(
    client, clinic_doctor, patient, as_user
):
    appointment_id = book(as_user, patient, clinic_doctor, TUESDAY_9_BERLIN)
    client.force_login(clinic_doctor.user)
    response = client.post(
        TIME_OFF,
        {"start": "2026-06-02T08:00", "end": "2026-06-02T12:00", "reason": "Sick"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bookings inside your new time off" in page
    assert "overlaps 1 booking" in page and "not cancelled" in page and "resolved" in page
    assert escape(patient.full_name) in page
    assert "Tue 2 Jun 2026, 09:00\u201309:30" in page  # on the doctor's clock
    (appointment,) = clinic_doctor.appointments.all()
    assert str(appointment.pk) == appointment_id
    assert appointment.status == "booked"  # listed, never cancelled silently
    # The booking still shows on the page's own list without the "added" notice.
    again = client.get(TIME_OFF).content.decode()
    assert "Bookings inside your new time off" not in again
    assert "1 to resolve" in again and escape(patient.full_name) in again


def test_each_time_off_shows_only_its_own_bookings(
    client, clinic_doctor, patient, as_user, other_patient
):
    book(as_user, patient, clinic_doctor, TUESDAY_9_BERLIN)
    book(as_user, other_patient, clinic_doctor, TUESDAY_9_BERLIN + timedelta(days=2))
    first = add_time_off(
        clinic_doctor, TUESDAY_9_BERLIN - timedelta(hours=1), TUESDAY_9_BERLIN + timedelta(hours=2)
    )
    free = add_time_off(
        clinic_doctor,
        TUESDAY_9_BERLIN + timedelta(days=1),
        TUESDAY_9_BERLIN + timedelta(days=1, hours=2),
    )
    third = add_time_off(
        clinic_doctor,
        TUESDAY_9_BERLIN + timedelta(days=2),
        TUESDAY_9_BERLIN + timedelta(days=2, hours=1),
    )
    client.force_login(clinic_doctor.user)
    response = client.get(TIME_OFF)
    rows = {row.pk: row for row in response.context["upcoming"]}
    assert [c.patient_name for c in rows[first.pk].conflicts] == [patient.full_name]
    assert rows[free.pk].conflicts == []
    assert [c.patient_name for c in rows[third.pk].conflicts] == [other_patient.full_name]
    assert [row.pk for row in response.context["upcoming"]] == [first.pk, free.pk, third.pk]


def test_upcoming_time_off_comes_before_the_past(client, clinic_doctor, frozen):
    old = add_time_off(clinic_doctor, NOW + timedelta(hours=1), NOW + timedelta(hours=2), "Dentist")
    soon = add_time_off(clinic_doctor, NOW + timedelta(days=5), NOW + timedelta(days=6), "Holiday")
    frozen.move_to(NOW + timedelta(days=1))
    client.force_login(clinic_doctor.user)
    response = client.get(TIME_OFF)
    assert [row.pk for row in response.context["upcoming"]] == [soon.pk]
    assert [row.pk for row in response.context["past"]] == [old.pk]
    page = response.content.decode()
    assert page.index("Holiday") < page.index("Dentist")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": "2026-06-10T10:00", "end": "2026-06-10T09:00"}, "end", "end after it starts"),
        ({"start": "2026-06-10T10:00", "end": "2026-06-10T10:00"}, "end", "end after it starts"),
        ({"start": "2026-05-01T10:00", "end": "2026-05-02T10:00"}, "end", "entirely in the past"),
        ({"start": "2026-06-10T10:00", "end": "2029-06-10T10:00"}, "end", "two years ahead"),
        ({"start": "2026-13-01T10:00", "end": "2026-06-10T10:00"}, "start", "valid date/time"),
        ({"start": "next monday", "end": "2026-06-10T10:00"}, "start", "valid date/time"),
        ({"start": "2026-06-10T10:00", "end": ""}, "end", "required"),
        ({"start": "", "end": ""}, "start", "required"),
        # 02:30 does not exist in Berlin on the night clocks go forward.
        ({"start": "2027-03-28T02:30", "end": "2027-03-28T05:00"}, "start", "may not exist"),
        (
            {"start": "2026-06-10T10:00", "end": "2026-06-11T10:00", "reason": "x" * 201},
            "reason",
            "200",
        ),
    ],
)
def test_bad_time_off_is_shown_next_to_its_field(client, clinic_doctor, fields, field, message):
    client.force_login(clinic_doctor.user)
    fields = {"reason": "Holiday", **fields}
    response = client.post(TIME_OFF, fields)
    assert response.status_code == 400
    errors = field_errors(response, field)
    assert errors and message in " ".join(errors), response.context["form"].errors
    page = response.content.decode()
    for value in fields.values():
        if value and len(value) < 100:
            assert f'value="{escape(value)}"' in page  # what was typed stays in the form
    assert not TimeOff.objects.exists()


def test_deleting_time_off(client, clinic_doctor):
    gone = add_time_off(clinic_doctor, NOW + timedelta(days=1), NOW + timedelta(days=2))
    keep = add_time_off(clinic_doctor, NOW + timedelta(days=3), NOW + timedelta(days=4))
    client.force_login(clinic_doctor.user)
    response = client.post(f"{TIME_OFF}{gone.pk}/delete/", follow=True)
    assert response.redirect_chain == [(TIME_OFF, 302)]
    assert list(TimeOff.objects.all()) == [keep]
    assert "Removed the time off 2026-06-02 08:00 - 2026-06-03 08:00." in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_time_off_editor_takes_few_queries_with_conflicts(
    client, clinic_doctor, patient, other_patient, as_user, rows, django_assert_max_num_queries
):
    book(as_user, patient, clinic_doctor, TUESDAY_9_BERLIN)
    book(as_user, other_patient, clinic_doctor, TUESDAY_9_BERLIN + timedelta(days=1))
    for index in range(rows):
        start = TUESDAY_9_BERLIN + timedelta(days=index)
        add_time_off(clinic_doctor, start - timedelta(hours=1), start + timedelta(hours=1))
    for index in range(3):  # past ones too
        add_time_off(
            clinic_doctor,
            NOW + timedelta(minutes=index * 10 + 1),
            NOW + timedelta(minutes=index * 10 + 5),
        )
    client.force_login(clinic_doctor.user)
    with (
        time_machine.travel(NOW + timedelta(hours=1), tick=False),
        django_assert_max_num_queries(8),
    ):
        response = client.get(TIME_OFF)
    assert response.status_code == 200
    assert len(response.context["upcoming"]) == rows and len(response.context["past"]) == 3
    page = response.content.decode()
    assert page.count("1 to resolve") == 2
    assert escape(patient.full_name) in page and escape(other_patient.full_name) in page
