from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from core.testing import assert_error
from doctors.models import AvailabilityWindow, Doctor, TimeOff
from doctors.tests.factories import make_doctor
from users.models import Role, User
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

DOCTORS = "/api/v1/doctors/"
WEEKDAYS_9_TO_12 = {day: (time(9), time(12)) for day in range(5)}


def url(doctor: Doctor, tail: str = "") -> str:
    return f"{DOCTORS}{doctor.pk}/{tail}"


# --- directory ----------------------------------------------------------------------------


def test_about_twenty_real_specializations_are_there_for_anyone(api_client):
    response = api_client.get("/api/v1/specializations/")
    assert response.status_code == 200
    names = [row["name"] for row in response.json()]
    assert len(names) >= 20 and names == sorted(names)
    assert {"Cardiology", "Pediatrics", "Dermatology", "Psychiatry"} <= set(names)


def test_directory_is_public_and_shows_no_private_fields(api_client):
    doctor = make_doctor(specialties=("Cardiology",))
    response = api_client.get(DOCTORS)
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["full_name"] == doctor.user.full_name
    assert row["specializations"][0]["slug"] == "cardiology"
    assert "email" not in row and "phone" not in row and "user" not in row


def test_directory_filters(api_client):
    heart = make_doctor(specialties=("Cardiology",))
    skin = make_doctor(specialties=("Dermatology",), accepting_new_patients=False)
    # Names the random factory cannot give the other doctor, so the search has one answer.
    User.objects.filter(pk=heart.user_id).update(full_name="Ada Okonkwo-Lindqvist")
    User.objects.filter(pk=skin.user_id).update(full_name="Bea Quillonvarga")
    skin.user.refresh_from_db()
    ids = lambda **q: [row["id"] for row in api_client.get(DOCTORS, q).json()["results"]]  # noqa: E731
    assert ids(specialization="cardiology") == [str(heart.pk)]
    assert ids(accepting_new_patients="false") == [str(skin.pk)]
    assert ids(search=skin.user.full_name.split()[-1]) == [str(skin.pk)]
    assert ids(search="dermato") == [str(skin.pk)]
    assert ids(specialization="no-such-thing") == []


def test_directory_available_on_a_date(api_client):
    with time_machine.travel(datetime(2026, 6, 1, 6, 0, tzinfo=UTC), tick=False):
        monday_doctor = make_doctor(weekly={0: (time(9), time(12))})
        make_doctor(weekly={1: (time(9), time(12))})
        response = api_client.get(DOCTORS, {"available_on": "2026-06-08"})
    assert [row["id"] for row in response.json()["results"]] == [str(monday_doctor.pk)]


def test_directory_hides_deactivated_doctors(api_client):
    doctor = make_doctor()
    doctor.user.is_active = False
    doctor.user.save()
    assert api_client.get(DOCTORS).json()["results"] == []
    assert_error(api_client.get(url(doctor)), 404)


def test_directory_queries_do_not_grow_with_page_size(api_client, django_assert_max_num_queries):
    for index in range(12):
        make_doctor(specialties=("Cardiology", f"Extra {index % 3}"))
    with django_assert_max_num_queries(3):
        small = api_client.get(DOCTORS, {"page_size": 2})
    with django_assert_max_num_queries(3):
        large = api_client.get(DOCTORS, {"page_size": 100})
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 12


@pytest.mark.parametrize(
    "params", [{"available_on": "someday"}, {"accepting_new_patients": "maybe"}]
)
def test_directory_bad_filters_are_400(api_client, params):
    assert_error(api_client.get(DOCTORS, params), 400)


@pytest.mark.parametrize("doctor_id", ["00000000-0000-0000-0000-000000000000", "nope"])
def test_unknown_doctor_is_404(api_client, doctor_id):
    assert_error(api_client.get(f"{DOCTORS}{doctor_id}/"), 404)
    assert_error(
        api_client.get(
            f"{DOCTORS}{doctor_id}/slots/", {"start": "2026-06-01", "end": "2026-06-02"}
        ),
        404,
    )


# --- creating and changing profiles -------------------------------------------------------


def test_staff_give_a_doctor_account_its_profile(staff):
    account = UserFactory(role=Role.DOCTOR, timezone="America/New_York")
    response = client_for(staff).post(
        DOCTORS,
        {"user": str(account.pk), "license_number": "NY-123", "specializations": ["neurology"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["timezone"] == "America/New_York"
    assert [s["slug"] for s in body["specializations"]] == ["neurology"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"license_number": "X-1", "specializations": ["astrology"]}, "specializations"),
        ({"license_number": "", "specializations": []}, "license_number"),
        ({"license_number": "X-1", "timezone": "Moon/Base"}, "timezone"),
        ({"license_number": "X-1", "years_of_experience": -3}, "years_of_experience"),
        ({"license_number": "X-1", "default_visit_minutes": "long"}, "default_visit_minutes"),
    ],
)
def test_doctor_create_bad_input(staff, body, field):
    account = UserFactory(role=Role.DOCTOR)
    response = client_for(staff).post(DOCTORS, {"user": str(account.pk), **body})
    assert field in assert_error(response, 400)["fields"]
    assert not Doctor.objects.filter(user=account).exists()


def test_doctor_create_refuses_taken_license_wrong_role_and_unknown_user(staff, doctor, patient):
    taken = doctor.doctor_profile.license_number
    account = UserFactory(role=Role.DOCTOR)
    client = client_for(staff)
    assert_error(
        client.post(DOCTORS, {"user": str(account.pk), "license_number": taken.lower()}),
        400,
        "license_taken",
    )
    assert (
        "user"
        in assert_error(
            client.post(DOCTORS, {"user": str(patient.pk), "license_number": "A-9"}), 400
        )["fields"]
    )
    assert (
        "user"
        in assert_error(
            client.post(DOCTORS, {"user": str(doctor.pk), "license_number": "A-9"}), 400
        )["fields"]
    )
    unknown = client.post(
        DOCTORS, {"user": "00000000-0000-0000-0000-000000000000", "license_number": "A-9"}
    )
    assert "user" in assert_error(unknown, 400)["fields"]


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_only_staff_create_doctor_profiles(role):
    account = UserFactory(role=Role.DOCTOR)
    response = client_for(UserFactory(role=role)).post(
        DOCTORS, {"user": str(account.pk), "license_number": "Z"}
    )
    assert_error(response, 403)


def test_a_doctor_edits_their_own_profile_but_not_their_license(doctor):
    client = client_for(doctor)
    response = client.patch(
        url(doctor.doctor_profile),
        {"bio": "Family medicine, 12 years.", "accepting_new_patients": False},
    )
    assert response.status_code == 200
    assert response.json()["bio"] == "Family medicine, 12 years."
    assert_error(client.patch(url(doctor.doctor_profile), {"license_number": "FAKE"}), 403)


def test_other_doctors_and_patients_cannot_edit_a_profile(
    doctor, other_doctor, patient, api_client
):
    target = url(doctor.doctor_profile)
    assert_error(client_for(other_doctor).patch(target, {"bio": "hacked"}), 403)
    assert_error(client_for(patient).patch(target, {"bio": "hacked"}), 403)
    assert_error(api_client.patch(target, {"bio": "hacked"}), 401)
    doctor.doctor_profile.refresh_from_db()
    assert doctor.doctor_profile.bio == ""


def test_staff_edit_a_profile_and_bad_values_are_400(staff, doctor):
    client = client_for(staff)
    target = url(doctor.doctor_profile)
    assert (
        client.patch(target, {"license_number": "NEW-1", "specializations": []}).status_code == 200
    )
    assert "timezone" in assert_error(client.patch(target, {"timezone": "Nowhere"}), 400)["fields"]
    assert_error(client.put(target, {"bio": "x"}), 405)
    assert_error(client.delete(target), 405)


# --- availability -------------------------------------------------------------------------


def test_doctor_publishes_weekly_windows_that_anyone_can_read(doctor, api_client):
    client = client_for(doctor)
    target = url(doctor.doctor_profile, "availability/")
    created = client.post(
        target, {"weekday": 0, "start_time": "09:00", "end_time": "12:00", "slot_minutes": 20}
    )
    assert created.status_code == 201, created.content
    listed = api_client.get(target).json()
    assert listed == [created.json()]


def test_overlapping_windows_are_refused_naming_the_clash(doctor):
    client = client_for(doctor)
    target = url(doctor.doctor_profile, "availability/")
    first = client.post(target, {"weekday": 2, "start_time": "09:00", "end_time": "12:00"}).json()
    error = assert_error(
        client.post(target, {"weekday": 2, "start_time": "11:30", "end_time": "13:00"}),
        400,
        "window_overlap",
    )
    assert "Wednesday 09:00-12:00" in error["message"]
    assert error["fields"]["clashing_window"] == [first["id"]]
    # Touching windows and other weekdays are fine; so are windows valid on other dates.
    assert (
        client.post(target, {"weekday": 2, "start_time": "12:00", "end_time": "13:00"}).status_code
        == 201
    )
    assert (
        client.post(target, {"weekday": 3, "start_time": "09:00", "end_time": "12:00"}).status_code
        == 201
    )
    assert (
        client.post(
            target,
            {"weekday": 1, "start_time": "09:00", "end_time": "12:00", "valid_to": "2026-12-31"},
        ).status_code
        == 201
    )
    later = {"weekday": 1, "start_time": "10:00", "end_time": "11:00", "valid_from": "2027-01-01"}
    assert client.post(target, later).status_code == 201
    assert AvailabilityWindow.objects.filter(doctor=doctor.doctor_profile).count() == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekday": 0, "start_time": "12:00", "end_time": "09:00"}, "end_time"),
        ({"weekday": 7, "start_time": "09:00", "end_time": "10:00"}, "weekday"),
        ({"weekday": 0, "start_time": "25:00", "end_time": "26:00"}, "start_time"),
        (
            {"weekday": 0, "start_time": "09:00", "end_time": "10:00", "slot_minutes": 0},
            "slot_minutes",
        ),
        (
            {
                "weekday": 0,
                "start_time": "09:00",
                "end_time": "10:00",
                "valid_from": "2026-05-01",
                "valid_to": "2026-04-01",
            },
            "valid_to",
        ),
        ({"weekday": "monday", "start_time": "09:00", "end_time": "10:00"}, "weekday"),
    ],
)
def test_window_bad_input(doctor, body, field):
    response = client_for(doctor).post(url(doctor.doctor_profile, "availability/"), body)
    assert field in assert_error(response, 400)["fields"]
    assert not AvailabilityWindow.objects.exists()


def test_window_change_and_removal(doctor, other_doctor):
    make = make_doctor(weekly={0: (time(9), time(12))}, user=UserFactory(role=Role.DOCTOR))
    window = make.availability.get()
    owner = client_for(make.user)
    target = url(make, f"availability/{window.pk}/")
    assert owner.patch(target, {"end_time": "13:00"}).json()["end_time"] == "13:00:00"
    assert_error(owner.patch(target, {"end_time": "08:00"}), 400)
    assert_error(client_for(other_doctor).delete(target), 403)
    # Another doctor's window through this doctor's URL does not exist.
    foreign = make_doctor(
        weekly={1: (time(9), time(10))}, user=UserFactory(role=Role.DOCTOR)
    ).availability.get()
    assert_error(owner.delete(url(make, f"availability/{foreign.pk}/")), 404)
    assert_error(owner.delete(url(make, "availability/not-an-id/")), 404)
    assert owner.delete(target).status_code == 204
    assert not AvailabilityWindow.objects.filter(pk=window.pk).exists()


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_others_cannot_add_windows(doctor, role):
    response = client_for(UserFactory(role=role)).post(
        url(doctor.doctor_profile, "availability/"),
        {"weekday": 0, "start_time": "09:00", "end_time": "10:00"},
    )
    assert_error(response, 403)


# --- time off -----------------------------------------------------------------------------


def test_time_off_needs_aware_ordered_future_times(doctor):
    client = client_for(doctor)
    target = url(doctor.doctor_profile, "time-off/")
    soon = datetime.now(UTC) + timedelta(days=3)
    good = {
        "start": soon.isoformat(),
        "end": (soon + timedelta(days=2)).isoformat(),
        "reason": "Congress",
    }
    created = client.post(target, good)
    assert created.status_code == 201, created.content
    assert (
        "start"
        in assert_error(client.post(target, {**good, "start": "2026-12-01T09:00:00"}), 400)[
            "fields"
        ]
    )
    assert_error(
        client.post(target, {**good, "end": good["start"], "start": good["end"]}),
        400,
        "end_before_start",
    )
    past = datetime.now(UTC) - timedelta(days=3)
    assert_error(
        client.post(
            target, {"start": past.isoformat(), "end": (past + timedelta(hours=1)).isoformat()}
        ),
        400,
        "in_the_past",
    )
    assert_error(client.post(target, {**good, "start": "next week"}), 400)
    assert [row["reason"] for row in client.get(target).json()] == ["Congress"]
    assert client.delete(f"{target}{created.json()['id']}/").status_code == 204
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("9999-12-31T09:00:00+00:00", "9999-12-31T17:00:00+00:00", "start"),
        ("2026-12-10T09:00:00+01:00", "9999-12-31T17:00:00+00:00", "end"),
        ("0001-01-01T09:00:00+00:00", "0001-01-02T09:00:00+00:00", "end"),
    ],
)
def test_time_off_beyond_what_can_be_booked_is_refused(doctor, start, end, field):
    with time_machine.travel(datetime(2026, 12, 2, tzinfo=UTC), tick=False):
        response = client_for(doctor).post(
            url(doctor.doctor_profile, "time-off/"), {"start": start, "end": end}
        )
    assert field in assert_error(response, 400)["fields"]
    assert not TimeOff.objects.exists()


def test_time_off_is_private_to_the_doctor_and_staff(doctor, patient, other_doctor, staff):
    target = url(doctor.doctor_profile, "time-off/")
    assert_error(client_for(patient).get(target), 403)
    assert_error(client_for(other_doctor).get(target), 403)
    assert client_for(staff).get(target).status_code == 200


# --- slots --------------------------------------------------------------------------------


def test_slots_show_utc_doctor_and_viewer_time(api_client):
    with time_machine.travel(datetime(2026, 6, 1, 0, 0, tzinfo=UTC), tick=False):
        doctor = make_doctor(timezone="America/New_York", weekly={2: (time(9), time(10))})
        response = api_client.get(
            url(doctor, "slots/"),
            {"start": "2026-06-03", "end": "2026-06-03", "tz": "Europe/Berlin"},
        )
    assert response.status_code == 200
    first = response.json()[0]
    assert first == {
        "start": "2026-06-03T13:00:00+00:00",
        "end": "2026-06-03T13:30:00+00:00",
        "doctor_local_start": "2026-06-03T09:00:00-04:00",
        "doctor_local_end": "2026-06-03T09:30:00-04:00",
        "viewer_local_start": "2026-06-03T15:00:00+02:00",
        "viewer_local_end": "2026-06-03T15:30:00+02:00",
    }


@pytest.mark.parametrize(
    ("zone", "days"),
    [
        ("America/New_York", ("2026-03-07", "2026-03-09", "2026-10-31", "2026-11-02")),
        ("Europe/Berlin", ("2026-03-28", "2026-03-30", "2026-10-24", "2026-10-26")),
    ],
)
def test_slots_across_dst_changes_through_the_api(api_client, zone, days):
    with time_machine.travel(datetime(2026, 2, 1, tzinfo=UTC), tick=False):
        doctor = make_doctor(
            timezone=zone,
            weekly={d: (time(9), time(12)) for d in range(7)},
            booking_horizon_days=365,
        )
        for first, last in (days[:2], days[2:]):
            body = api_client.get(url(doctor, "slots/"), {"start": first, "end": last}).json()
            assert len(body) == 3 * 6
            assert {row["doctor_local_start"][11:19] for row in body[::6]} == {"09:00:00"}


def test_slots_of_one_doctor_take_few_queries(api_client, django_assert_max_num_queries):
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC), tick=False):
        doctor = make_doctor(weekly={d: (time(8), time(18)) for d in range(7)}, slot_minutes=15)
        admin = UserFactory(role=Role.ADMIN)
        from doctors import services

        for day in range(14):
            start = datetime(2026, 6, 2 + day, 12, tzinfo=UTC)
            services.time_off_create(
                actor=admin, doctor=doctor, start=start, end=start + timedelta(minutes=30)
            )
        with django_assert_max_num_queries(5):
            response = api_client.get(
                url(doctor, "slots/"), {"start": "2026-06-02", "end": "2026-06-15"}
            )
    assert len(response.json()) == 14 * (40 - 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-06-10", "end": "2026-06-01"}, "end"),
        ({"start": "2026-06-01", "end": "2026-09-01"}, "end"),
        ({"start": "June first", "end": "2026-06-02"}, "start"),
        ({"end": "2026-06-02"}, "start"),
        ({"start": "2026-06-01", "end": "2026-06-02", "tz": "Atlantis/City"}, "tz"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "start"),
        ({"start": "0001-01-01", "end": "0001-01-01"}, "start"),
    ],
)
def test_slots_bad_query_is_400(api_client, params, field):
    traveller = time_machine.travel(datetime(2026, 5, 30, tzinfo=UTC), tick=False)
    traveller.start()
    try:
        doctor = make_doctor()
        assert field in assert_error(api_client.get(url(doctor, "slots/"), params), 400)["fields"]
    finally:
        traveller.stop()
