from datetime import time, timedelta

import pytest

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import TUESDAY_9
from core.models import AuditAction, AuditEvent, Notification
from core.testing import assert_error
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

APPOINTMENTS = "/api/v1/appointments/"


def booked(doctor, patient_user, start=TUESDAY_9):
    return services.appointment_book(
        actor=patient_user, doctor=doctor, patient=patient_user.patient_profile, start=start
    )


def test_reschedule_by_fifteen_minutes_into_its_own_old_time(frozen):
    from datetime import time

    doctor = make_doctor(
        weekly={1: (time(9), time(12))}, slot_minutes=15, min_booking_notice_minutes=0
    )
    patient = make_patient().user
    first = services.appointment_book(
        actor=patient, doctor=doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    services.appointment_book(  # another patient at 09:45: 09:15-09:30 stays free
        actor=UserFactory(role=Role.STAFF), doctor=doctor, patient=make_patient(),
        start=TUESDAY_9 + timedelta(minutes=45),
    )  # fmt: skip
    response = client_for(patient).post(
        f"{APPOINTMENTS}{first.pk}/reschedule/",
        {"start": (TUESDAY_9 + timedelta(minutes=15)).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["rescheduled_from"] == str(first.pk)
    assert new["start"] == "2026-06-02T07:15:00Z"
    first.refresh_from_db()
    assert first.status == Status.CANCELLED and first.cancellation_reason == "Rescheduled"
    # And back again, overlapping the time it holds now.
    back = client_for(patient).post(
        f"{APPOINTMENTS}{new['id']}/reschedule/", {"start": TUESDAY_9.isoformat()}, format="json"
    )
    assert back.status_code == 201


def test_reschedule_to_a_taken_time_changes_nothing(clinic_doctor, patient, other_patient):
    mine = booked(clinic_doctor, patient)
    booked(clinic_doctor, other_patient, TUESDAY_9 + timedelta(hours=1))
    response = client_for(patient).post(
        f"{APPOINTMENTS}{mine.pk}/reschedule/",
        {"start": (TUESDAY_9 + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert_error(response, 409, "slot_taken")
    mine.refresh_from_db()
    assert mine.status == Status.BOOKED
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [({"start": "2026-06-02T09:00:00"}, 400), ({"start": "soon"}, 400), ({}, 400)],
)
def test_reschedule_bad_input(clinic_doctor, patient, body, status):
    mine = booked(clinic_doctor, patient)
    assert_error(
        client_for(patient).post(f"{APPOINTMENTS}{mine.pk}/reschedule/", body, format="json"),
        status,
    )
    mine.refresh_from_db()
    assert mine.status == Status.BOOKED


def test_reschedule_off_grid_or_past_is_refused(clinic_doctor, patient):
    mine = booked(clinic_doctor, patient)
    client = client_for(patient)
    odd = client.post(
        f"{APPOINTMENTS}{mine.pk}/reschedule/",
        {"start": (TUESDAY_9 + timedelta(minutes=7)).isoformat()},
    )
    assert_error(odd, 400, "off_grid")
    past = client.post(f"{APPOINTMENTS}{mine.pk}/reschedule/", {"start": "2026-05-01T07:00:00Z"})
    assert_error(past, 400, "in_the_past")
    mine.refresh_from_db()
    assert mine.status == Status.BOOKED


def test_a_fulfilled_visit_cannot_be_rescheduled(clinic_doctor, patient):
    mine = booked(clinic_doctor, patient)
    Appointment.objects.filter(pk=mine.pk).update(status=Status.FULFILLED)
    response = client_for(clinic_doctor.user).post(
        f"{APPOINTMENTS}{mine.pk}/reschedule/",
        {"start": (TUESDAY_9 + timedelta(hours=2)).isoformat()},
    )
    assert_error(response, 409, "invalid_transition")


def test_lists_are_scoped_and_filtered(clinic_doctor, patient, other_patient, staff):
    mine = booked(clinic_doctor, patient)
    theirs = booked(clinic_doctor, other_patient, TUESDAY_9 + timedelta(hours=1))
    elsewhere = make_doctor()

    def ids(user, **params):
        return [row["id"] for row in client_for(user).get(APPOINTMENTS, params).json()["results"]]

    assert ids(patient) == [str(mine.pk)]
    assert ids(clinic_doctor.user) == [str(mine.pk), str(theirs.pk)]
    assert ids(elsewhere.user) == []
    assert ids(staff, patient=str(other_patient.patient_profile.pk)) == [str(theirs.pk)]
    assert ids(staff, status="booked", date_from="2026-06-02", date_to="2026-06-02") == [
        str(mine.pk),
        str(theirs.pk),
    ]
    assert ids(staff, status="cancelled") == []
    assert ids(staff, ordering="-start") == [str(theirs.pk), str(mine.pk)]
    assert_error(client_for(patient).get(f"{APPOINTMENTS}{theirs.pk}/"), 404)
    assert_error(client_for(staff).get(APPOINTMENTS, {"status": "lost"}), 400)
    assert_error(client_for(staff).get(APPOINTMENTS, {"date_from": "June"}), 400)


def test_reads_are_audited(clinic_doctor, patient):
    mine = booked(clinic_doctor, patient)
    client_for(patient).get(f"{APPOINTMENTS}{mine.pk}/")
    client_for(clinic_doctor.user).get(APPOINTMENTS)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type="appointment")
    assert views.count() == 2
    assert set(views.values_list("patient", flat=True)) == {patient.pk}


def test_list_queries_do_not_grow_with_page_size(
    clinic_doctor, staff, django_assert_max_num_queries
):
    for hour in range(12):
        patient = make_patient().user
        booked(clinic_doctor, patient, TUESDAY_9 + timedelta(minutes=30 * hour))
    client = client_for(staff)
    with django_assert_max_num_queries(4):
        small = client.get(APPOINTMENTS, {"page_size": 2})
    with django_assert_max_num_queries(4):
        large = client.get(APPOINTMENTS, {"page_size": 100})
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 12


def test_anonymous_gets_401(api_client):
    assert_error(api_client.get(APPOINTMENTS), 401)


def test_rescheduling_to_the_same_time_is_refused(clinic_doctor, patient, frozen):
    appointment = services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    response = client_for(patient).post(
        f"/api/v1/appointments/{appointment.pk}/reschedule/",
        {"start": TUESDAY_9.isoformat()},
        format="json",
    )
    assert "start" in assert_error(response, 400, "same_time")["fields"]
    assert Appointment.objects.count() == 1
    assert not Notification.objects.filter(kind="appointment_rescheduled").exists()


def test_a_confirmation_by_staff_says_the_clinic_confirmed(staff, patient, frozen):
    doctor = make_doctor(weekly={1: (time(9), time(12))}, requires_confirmation=True)
    appointment = services.appointment_book(
        actor=patient, doctor=doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    services.appointment_confirm(actor=staff, appointment=appointment)
    told = Notification.objects.get(user=patient, kind="appointment_confirmed")
    assert told.body.splitlines()[2].startswith("The clinic confirmed the appointment with")
