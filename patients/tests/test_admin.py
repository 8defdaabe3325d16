from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from doctors.tests.factories import make_doctor
from patients.models import CareAssignment, Patient
from patients.tests.factories import make_patient
from users.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_link_a_doctor_in_the_admin_and_access_follows(staff_client, admin_user, client):
    patient, doctor = make_patient(), make_doctor()
    response = staff_client.post(
        "/admin/patients/careassignment/add/",
        {"doctor": str(doctor.pk), "patient": str(patient.pk), "note": "Diabetes care"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert doctor.user.has_perm("patients.view_patient", patient)

    again = staff_client.post(
        "/admin/patients/careassignment/add/",
        {"doctor": str(doctor.pk), "patient": str(patient.pk)},
    )
    assert again.status_code == 200
    assert b"already on this patient" in again.content
    assert CareAssignment.objects.count() == 1

    assignment = CareAssignment.objects.get()
    staff_client.post(
        "/admin/patients/careassignment/",
        {"action": "end_selected", "_selected_action": [str(assignment.pk)]},
    )
    assignment.refresh_from_db()
    assert not assignment.active
    fresh = type(doctor.user).objects.get(pk=doctor.user.pk)  # permission caches are per object
    assert not fresh.has_perm("patients.view_patient", patient)


def doctor_profile_form(doctor) -> dict:
    """The doctor admin's own fields as they are; tests add the inline rows."""
    return {
        "user": str(doctor.user.pk),
        "license_number": doctor.license_number,
        "timezone": doctor.timezone,
        "accepting_new_patients": "on",
        "default_visit_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_booking_notice_minutes": 0,
        "booking_horizon_days": 90,
        "years_of_experience": 3,
        "specializations": [str(s.pk) for s in doctor.specializations.all()],
    }


def test_doctor_admin_shows_inline_schedule_and_refuses_overlaps(staff_client):
    doctor = make_doctor()
    url = f"/admin/doctors/doctor/{doctor.pk}/change/"
    page = staff_client.get(url)
    assert page.status_code == 200
    assert b"availability-TOTAL_FORMS" in page.content
    form = {
        **doctor_profile_form(doctor),
        "availability-TOTAL_FORMS": 1,
        "availability-INITIAL_FORMS": 0,
        "availability-0-weekday": 0,
        "availability-0-start_time": "12:00",
        "availability-0-end_time": "09:00",
        "availability-0-slot_minutes": 30,
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
    }
    bad = staff_client.post(url, form)
    assert bad.status_code == 200
    assert not doctor.availability.exists()
    form.update({"availability-0-start_time": "09:00", "availability-0-end_time": "12:00"})
    good = staff_client.post(url, form)
    assert good.status_code == 302, good.content[:3000]
    assert doctor.availability.count() == 1


def test_doctor_admin_time_off_follows_the_api_rules(staff_client):
    doctor = make_doctor()
    url = f"/admin/doctors/doctor/{doctor.pk}/change/"
    form = {
        **doctor_profile_form(doctor),
        "availability-TOTAL_FORMS": 0,
        "availability-INITIAL_FORMS": 0,
        "time_off-TOTAL_FORMS": 1,
        "time_off-INITIAL_FORMS": 0,
        "time_off-0-reason": "Congress",
    }
    for start, end in [
        (("9999-12-30", "09:00"), ("9999-12-31", "17:00")),  # beyond what can be booked
        (("2026-12-20", "17:00"), ("2026-12-20", "09:00")),  # ends before it starts
        (("2020-01-01", "09:00"), ("2020-01-02", "09:00")),  # entirely past
    ]:
        dates = {"time_off-0-start_0": start[0], "time_off-0-start_1": start[1],
                 "time_off-0-end_0": end[0], "time_off-0-end_1": end[1]}  # fmt: skip
        with time_machine.travel(datetime(2026, 12, 2, tzinfo=UTC), tick=False):
            refused = staff_client.post(url, {**form, **dates})
        assert refused.status_code == 200, (start, end)
        assert b"errorlist" in refused.content
    assert not doctor.time_off.exists()


def test_patient_admin_changes_go_through_the_service(staff_client):
    patient = make_patient()
    url = f"/admin/patients/patient/{patient.pk}/change/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {"sex": "female", "blood_group": "O+", "insurance": "{}", "date_of_birth": "2999-01-01"},
    )
    assert response.status_code == 200  # a birth date in the future is refused
    response = staff_client.post(
        url,
        {"sex": "female", "blood_group": "O+", "insurance": "{}", "date_of_birth": "1970-05-05"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.blood_group == "O+"


ADD_PATIENT = "/admin/patients/patient/add/"


def test_staff_register_a_patient_in_the_admin_through_the_service(
    staff_client, django_capture_on_commit_callbacks
):
    assert staff_client.get(ADD_PATIENT).status_code == 200
    form = {
        "email": "Ines.Garcia@Example.com",
        "full_name": "Inés García",
        "phone": "",
        "timezone": "Europe/Madrid",
        "date_of_birth": "1958-11-30",
        "sex": "female",
    }
    with django_capture_on_commit_callbacks(execute=True):
        added = staff_client.post(ADD_PATIENT, form)
    assert added.status_code == 302, added.content[:2000]
    patient = Patient.objects.select_related("user").get(user__email="ines.garcia@example.com")
    assert patient.user.role == Role.PATIENT and patient.user.timezone == "Europe/Madrid"
    assert str(patient.date_of_birth) == "1958-11-30"
    assert patient.user.has_perm("patients.view_patient", patient)  # the service's grants
    assert [message.to for message in mail.outbox] == [["ines.garcia@example.com"]]
    assert "/accounts/reset/" in mail.outbox[0].body  # a link to choose a password

    again = staff_client.post(ADD_PATIENT, {**form, "full_name": "Someone Else"})
    assert again.status_code == 200 and b"errornote" in again.content
    for bad in [
        {"date_of_birth": "9999-12-31"},
        {"timezone": "Mars/Olympus"},
        {"phone": "call me"},
    ]:
        refused = staff_client.post(ADD_PATIENT, {**form, "email": "new@example.com", **bad})
        assert refused.status_code == 200 and b"errorlist" in refused.content, bad
    assert not User.objects.filter(email="new@example.com").exists()


def test_patient_search_in_the_admin_ignores_accents(staff_client):
    make_patient(full_name="Zoë Ångström")
    make_patient(full_name="Zoe Smith")
    rows = staff_client.get("/admin/patients/patient/", {"q": "angstrom"}).context["cl"].result_list
    assert [row.user.full_name for row in rows] == ["Zoë Ångström"]
