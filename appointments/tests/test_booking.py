from datetime import timedelta

import pytest

from appointments.models import Appointment, Status
from appointments.tests.conftest import NOW, TUESDAY_9
from core.models import AuditAction, AuditEvent
from core.testing import assert_error
from doctors.tests.factories import make_doctor
from patients import services as patient_services
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory, system_admin
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

APPOINTMENTS = "/api/v1/appointments/"


def book(client, doctor, start, **extra):
    body = {"doctor": str(doctor.pk), "start": start.isoformat(), "reason": "Check-up", **extra}
    return client.post(APPOINTMENTS, body, format="json")


def test_patient_books_a_free_slot(clinic_doctor, patient):
    response = book(client_for(patient), clinic_doctor, TUESDAY_9)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "booked"
    assert body["end"] == "2026-06-02T07:30:00Z"
    assert body["patient"] == str(patient.patient_profile.pk)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, resource_type="appointment", patient=patient
    ).exists()
    # Booking links the doctor to the patient: the doctor can now see the patient's record.
    doctor_client = client_for(clinic_doctor.user)
    assert doctor_client.get(f"/api/v1/patients/{patient.patient_profile.pk}/").status_code == 200


def test_a_booked_slot_disappears_from_the_slots(clinic_doctor, patient, api_client):
    book(client_for(patient), clinic_doctor, TUESDAY_9)
    slots = api_client.get(
        f"/api/v1/doctors/{clinic_doctor.pk}/slots/", {"start": "2026-06-02", "end": "2026-06-02"}
    ).json()
    starts = [slot["start"] for slot in slots]
    assert "2026-06-02T07:00:00+00:00" not in starts
    assert "2026-06-02T07:30:00+00:00" in starts


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (NOW - timedelta(days=1), "in_the_past"),
        (NOW + timedelta(minutes=30), "inside_notice"),  # notice is 60 minutes
        (NOW + timedelta(days=45), "beyond_horizon"),
        (TUESDAY_9 + timedelta(minutes=10), "off_grid"),
        (TUESDAY_9 - timedelta(hours=3), "off_grid"),  # 06:00 Berlin: outside the window
    ],
)
def test_patient_booking_rules_name_the_rule(clinic_doctor, patient, start, code):
    response = book(client_for(patient), clinic_doctor, start)
    assert "start" in assert_error(response, 400, code)["fields"]
    assert not Appointment.objects.exists()


def test_doctor_not_taking_new_patients(frozen, patient):
    from datetime import time

    doctor = make_doctor(weekly={1: (time(9), time(12))}, accepting_new_patients=False)
    assert_error(book(client_for(patient), doctor, TUESDAY_9), 400, "not_accepting_new_patients")
    patient_services.care_assignment_create(
        actor=system_admin(), doctor=doctor, patient=patient.patient_profile
    )
    assert book(client_for(patient), doctor, TUESDAY_9).status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2026-06-02T09:00:00"}, "start"),  # naive
        ({"start": "Tuesday at nine"}, "start"),
        ({"start": None}, "start"),
        ({"doctor": "00000000-0000-0000-0000-000000000000"}, "doctor"),
        ({"doctor": "nope"}, "doctor"),
        ({"reason": "r" * 501}, "reason"),
        ({"duration_minutes": "long"}, "duration_minutes"),
        ({"duration_minutes": 45}, "duration_minutes"),  # the slot sets the length
    ],
)
def test_bad_booking_input_is_400(clinic_doctor, patient, change, field):
    body = {"doctor": str(clinic_doctor.pk), "start": TUESDAY_9.isoformat(), **change}
    response = client_for(patient).post(APPOINTMENTS, body, format="json")
    assert field in assert_error(response, 400)["fields"]


def test_a_patient_cannot_book_for_someone_else(clinic_doctor, patient, other_patient):
    response = book(
        client_for(patient), clinic_doctor, TUESDAY_9, patient=str(other_patient.patient_profile.pk)
    )
    assert_error(response, 404)
    unknown = book(
        client_for(patient),
        clinic_doctor,
        TUESDAY_9,
        patient="00000000-0000-0000-0000-000000000000",
    )
    assert_error(unknown, 404)
    assert not Appointment.objects.exists()


def test_the_same_slot_twice_is_409_and_one_row(clinic_doctor, patient, other_patient):
    assert book(client_for(patient), clinic_doctor, TUESDAY_9).status_code == 201
    assert_error(book(client_for(other_patient), clinic_doctor, TUESDAY_9), 409, "slot_taken")
    assert Appointment.objects.count() == 1


def test_a_patient_cannot_be_in_two_places(clinic_doctor, patient):
    from datetime import time

    other = make_doctor(
        weekly={d: (time(9), time(17)) for d in range(7)}, min_booking_notice_minutes=0
    )
    assert book(client_for(patient), clinic_doctor, TUESDAY_9).status_code == 201
    assert_error(book(client_for(patient), other, TUESDAY_9), 409, "patient_busy")


def test_buffers_keep_the_doctor_free_around_appointments(frozen, patient, other_patient):
    from datetime import time

    doctor = make_doctor(weekly={1: (time(9), time(12))}, buffer_after_minutes=10)
    assert book(client_for(patient), doctor, TUESDAY_9).status_code == 201
    # 09:30 would start inside the 10 minutes after the 09:00 visit.
    assert_error(
        book(client_for(other_patient), doctor, TUESDAY_9 + timedelta(minutes=30)),
        409,
        "slot_taken",
    )
    assert (
        book(client_for(other_patient), doctor, TUESDAY_9 + timedelta(minutes=60)).status_code
        == 201
    )


def test_doctor_books_for_own_patients_only(clinic_doctor, patient, other_patient):
    patient_services.care_assignment_create(
        actor=system_admin(), doctor=clinic_doctor, patient=patient.patient_profile
    )
    client = client_for(clinic_doctor.user)
    mine = book(client, clinic_doctor, TUESDAY_9, patient=str(patient.patient_profile.pk))
    assert mine.status_code == 201
    stranger = book(
        client,
        clinic_doctor,
        TUESDAY_9 + timedelta(hours=1),
        patient=str(other_patient.patient_profile.pk),
    )
    assert_error(stranger, 404)
    colleague = make_doctor()
    elsewhere = book(client, colleague, TUESDAY_9, patient=str(patient.patient_profile.pk))
    assert_error(elsewhere, 403)


def test_staff_book_off_the_slots_with_a_reason(clinic_doctor, patient, staff):
    client = client_for(staff)
    odd = TUESDAY_9 + timedelta(minutes=10)
    assert_error(
        book(client, clinic_doctor, odd, patient=str(patient.patient_profile.pk)), 400, "off_grid"
    )
    response = book(
        client,
        clinic_doctor,
        odd,
        patient=str(patient.patient_profile.pk),
        off_grid_reason="Urgent dressing change",
        duration_minutes=15,
    )
    assert response.status_code == 201
    assert response.json()["off_grid_reason"] == "Urgent dressing change"
    assert response.json()["end"] == "2026-06-02T07:25:00Z"
    # It still cannot double-book.
    clash = book(
        client, clinic_doctor, TUESDAY_9, patient=str(make_patient().pk), off_grid_reason="x"
    )
    assert_error(clash, 409, "slot_taken")


def test_only_staff_may_book_off_the_slots(clinic_doctor, patient):
    response = book(client_for(patient), clinic_doctor, TUESDAY_9, off_grid_reason="I insist")
    assert_error(response, 403)


def test_doctors_who_confirm_get_pending_bookings(frozen, patient):
    from datetime import time

    doctor = make_doctor(weekly={1: (time(9), time(12))}, requires_confirmation=True)
    response = book(client_for(patient), doctor, TUESDAY_9)
    assert response.json()["status"] == "pending"
    # A pending request already holds the time.
    assert_error(book(client_for(make_patient().user), doctor, TUESDAY_9), 409, "slot_taken")


def test_time_off_lists_booked_appointments_as_conflicts(clinic_doctor, patient):
    book(client_for(patient), clinic_doctor, TUESDAY_9)
    response = client_for(clinic_doctor.user).post(
        f"/api/v1/doctors/{clinic_doctor.pk}/time-off/",
        {"start": "2026-06-02T00:00:00Z", "end": "2026-06-03T00:00:00Z", "reason": "Sick"},
    )
    assert response.status_code == 201
    conflicts = response.json()["conflicts"]
    assert len(conflicts) == 1 and conflicts[0]["patient_name"] == patient.full_name
    assert Appointment.objects.get().status == Status.BOOKED  # not cancelled silently


def test_deactivated_doctor_takes_no_bookings(clinic_doctor, patient):
    clinic_doctor.user.is_active = False
    clinic_doctor.user.save()
    response = book(client_for(patient), clinic_doctor, TUESDAY_9)
    assert_error(response, 400, "doctor_inactive")
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_book_for_any_patient(clinic_doctor, role):
    target = make_patient()
    response = book(
        client_for(UserFactory(role=role)), clinic_doctor, TUESDAY_9, patient=str(target.pk)
    )
    assert response.status_code == 201


def test_anonymous_cannot_book(clinic_doctor, api_client):
    assert_error(book(api_client, clinic_doctor, TUESDAY_9), 401)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"duration_minutes": 0}, "invalid_duration"),
        ({"duration_minutes": -30}, "invalid_duration"),
        ({"duration_minutes": 481}, "invalid_duration"),
        ({"start": "2029-01-02T07:00:00Z"}, "beyond_horizon"),
        ({"start": "9999-12-31T23:59:59Z"}, "beyond_horizon"),
        ({"start": "0001-01-01T00:00:00Z"}, "in_the_past"),
    ],
)
def test_off_slot_bookings_keep_length_and_horizon_rules(
    clinic_doctor, patient, staff, extra, code
):
    start = extra.pop("start", (TUESDAY_9 + timedelta(minutes=10)).isoformat())
    body = {"patient": str(patient.patient_profile.pk), "off_grid_reason": "Urgent", **extra}
    response = client_for(staff).post(
        APPOINTMENTS, {"doctor": str(clinic_doctor.pk), "start": start, **body}, format="json"
    )
    assert_error(response, 400, code)
    assert not Appointment.objects.exists()
