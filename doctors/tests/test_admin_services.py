"""The doctor admin writes doctors, weekly hours and time off through doctors.services."""

from datetime import UTC, datetime, time

import pytest
import time_machine

from doctors import services
from doctors.models import AvailabilityWindow, Doctor, TimeOff
from doctors.tests.factories import make_doctor, specialization
from users.models import Role
from users.tests.factories import UserFactory, system_admin

pytestmark = pytest.mark.django_db

ADD = "/admin/doctors/doctor/add/"
# A Monday morning; the receptionist (Europe/Berlin) types her own clock (UTC+2 in June).
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def change_url(doctor: Doctor) -> str:
    return f"/admin/doctors/doctor/{doctor.pk}/change/"


def profile_form(**fields) -> dict:
    return {
        "license_number": "LIC-NEW-1",
        "bio": "",
        "education": "",
        "years_of_experience": 4,
        "timezone": "Europe/Berlin",
        "accepting_new_patients": "on",
        "default_visit_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_booking_notice_minutes": 60,
        "booking_horizon_days": 90,
        **fields,
    }


def change_form(doctor: Doctor, **fields) -> dict:
    """The doctor's page as it is, with no schedule rows; tests add rows and changes."""
    return {
        **profile_form(
            license_number=doctor.license_number,
            specializations=[str(item.pk) for item in doctor.specializations.all()],
        ),
        "availability-TOTAL_FORMS": 0,
        "availability-INITIAL_FORMS": 0,
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
        **fields,
    }


def time_off_row(start: tuple[str, str], end: tuple[str, str], reason: str = "") -> dict:
    return {
        "time_off-TOTAL_FORMS": 1,
        "time_off-0-start_0": start[0],
        "time_off-0-start_1": start[1],
        "time_off-0-end_0": end[0],
        "time_off-0-end_1": end[1],
        "time_off-0-reason": reason,
    }


def test_adding_a_doctor_goes_through_the_service(staff_client):
    cardiology = specialization("Cardiology")
    other = make_doctor()
    patient_account = UserFactory(role=Role.PATIENT)
    account = UserFactory(role=Role.DOCTOR, full_name="Dr Jana Novak")
    assert staff_client.get(ADD).status_code == 200

    not_a_doctor = staff_client.post(ADD, profile_form(user=str(patient_account.pk)))
    assert not_a_doctor.status_code == 200
    assert b"This account does not have the doctor role." in not_a_doctor.content

    taken = profile_form(user=str(account.pk), license_number=other.license_number.lower())
    duplicate = staff_client.post(ADD, taken)
    assert duplicate.status_code == 200
    assert b"Another doctor has this license number." in duplicate.content
    assert Doctor.objects.count() == 1  # only `other`

    added = staff_client.post(
        ADD, profile_form(user=str(account.pk), specializations=[str(cardiology.pk)])
    )
    doctor = Doctor.objects.get(user=account)
    assert added.status_code == 302 and added["Location"] == change_url(doctor)
    assert [item.slug for item in doctor.specializations.all()] == ["cardiology"]
    page = staff_client.get(added["Location"])
    assert b"Enter the weekly hours and time off below." in page.content
    assert b"availability-TOTAL_FORMS" in page.content

    again = staff_client.post(ADD, profile_form(user=str(account.pk), license_number="LIC-X"))
    assert b"This doctor already has a profile." in again.content


def test_changing_a_doctor_goes_through_the_service(staff_client):
    doctor, other = make_doctor(), make_doctor()
    url = change_url(doctor)
    assert staff_client.get(url).status_code == 200

    taken = staff_client.post(url, change_form(doctor, license_number=other.license_number))
    assert taken.status_code == 200
    assert b"Another doctor has this license number." in taken.content
    kept = doctor.license_number

    changed = staff_client.post(
        url,
        change_form(doctor, bio="  Cardiologist.  ", specializations=[]),
    )
    assert changed.status_code == 302, changed.content[:3000]
    doctor.refresh_from_db()
    assert doctor.license_number == kept
    assert doctor.bio == "Cardiologist."
    assert not doctor.specializations.exists()


def test_a_row_refused_by_the_service_leaves_the_whole_page_unsaved(staff_client):
    doctor = make_doctor(weekly={0: (time(9), time(12))})
    form = change_form(
        doctor,
        bio="Changed",
        **{
            "availability-TOTAL_FORMS": 1,
            "availability-0-weekday": 0,
            "availability-0-start_time": "11:00",
            "availability-0-end_time": "13:00",
            "availability-0-slot_minutes": 30,
        },
    )
    response = staff_client.post(change_url(doctor), form)
    assert response.status_code == 200
    assert b"Overlaps the Monday 09:00-12:00 window" in response.content
    doctor.refresh_from_db()
    assert doctor.bio == ""  # the profile change was undone with the refused row
    assert doctor.availability.count() == 1


def test_weekly_hours_are_changed_and_removed_through_the_services(staff_client):
    doctor = make_doctor(weekly={0: (time(9), time(12)), 1: (time(9), time(12))})
    monday, tuesday = doctor.availability.order_by("weekday")
    rows = {
        "availability-TOTAL_FORMS": 2,
        "availability-INITIAL_FORMS": 2,
        "availability-0-id": str(monday.pk),
        "availability-0-doctor": str(doctor.pk),
        "availability-0-weekday": 0,
        "availability-0-start_time": "09:00",
        "availability-0-end_time": "12:00",
        "availability-0-slot_minutes": 30,
        "availability-0-DELETE": "on",
        "availability-1-id": str(tuesday.pk),
        "availability-1-doctor": str(doctor.pk),
        "availability-1-weekday": 0,  # takes Monday's place, removed on the same page
        "availability-1-start_time": "10:00",
        "availability-1-end_time": "12:00",
        "availability-1-slot_minutes": 15,
    }
    response = staff_client.post(change_url(doctor), change_form(doctor, **rows))
    assert response.status_code == 302, response.content[:3000]
    (window,) = AvailabilityWindow.objects.filter(doctor=doctor)
    assert (window.pk, window.weekday, window.start_time, window.slot_minutes) == (
        tuesday.pk,
        0,
        time(10),
        15,
    )


def test_time_off_the_service_refuses_is_a_form_error(staff_client, frozen):
    doctor = make_doctor()
    url = change_url(doctor)
    backwards = time_off_row(("2026-06-03", "17:00"), ("2026-06-03", "09:00"))
    refused = staff_client.post(url, change_form(doctor, **backwards))
    assert refused.status_code == 200
    assert b"Time off must end after it starts." in refused.content
    past = time_off_row(("2026-05-01", "09:00"), ("2026-05-02", "09:00"))
    refused = staff_client.post(url, change_form(doctor, **past))
    assert b"This time off is entirely in the past." in refused.content
    assert not TimeOff.objects.exists()

    added = staff_client.post(
        url, change_form(doctor, **time_off_row(("2026-06-03", "09:00"), ("2026-06-03", "17:00")))
    )
    assert added.status_code == 302, added.content[:3000]
    time_off = TimeOff.objects.get(doctor=doctor)
    assert time_off.start == datetime(2026, 6, 3, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
    page = staff_client.get(added["Location"])
    assert b"overlaps" not in page.content  # nothing booked: no warning


def test_time_off_is_shown_read_only_and_removed_through_the_service(staff_client, frozen):
    doctor = make_doctor()
    time_off = services.time_off_create(
        actor=system_admin(),
        doctor=doctor,
        start=datetime(2026, 6, 3, 7, 0, tzinfo=UTC),
        end=datetime(2026, 6, 3, 15, 0, tzinfo=UTC),
        reason="Congress",
    )
    page = staff_client.get(change_url(doctor))
    assert b'name="time_off-0-start_0"' not in page.content  # shown, not editable
    assert b"Congress" in page.content

    removed = staff_client.post(
        change_url(doctor),
        change_form(
            doctor,
            **{
                "time_off-TOTAL_FORMS": 1,
                "time_off-INITIAL_FORMS": 1,
                "time_off-0-id": str(time_off.pk),
                "time_off-0-doctor": str(doctor.pk),
                "time_off-0-DELETE": "on",
            },
        ),
    )
    assert removed.status_code == 302, removed.content[:3000]
    assert not TimeOff.objects.exists()
