from datetime import timedelta

import pytest

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import TUESDAY_9

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_admin_booking_goes_through_the_service_and_shows_a_clash(
    staff_client, clinic_doctor, patient, other_patient
):
    form = {
        "doctor": str(clinic_doctor.pk),
        "patient": str(patient.patient_profile.pk),
        "start_0": "2026-06-02",
        "start_1": "09:00:00",  # the receptionist (Europe/Berlin) types her own clock
        "reason": "Check-up",
    }
    response = staff_client.post("/admin/appointments/appointment/add/", form)
    assert response.status_code == 302, response.content[:3000]
    appointment = Appointment.objects.get()
    assert appointment.start == TUESDAY_9  # 07:00 UTC is 09:00 in Berlin in summer
    assert appointment.end == TUESDAY_9 + timedelta(minutes=30)
    listed = staff_client.get("/admin/appointments/appointment/")
    assert b"9 a.m." in listed.content and b"7 a.m." not in listed.content

    clash = staff_client.post(
        "/admin/appointments/appointment/add/",
        {**form, "patient": str(other_patient.patient_profile.pk)},
    )
    assert clash.status_code == 200
    assert b"no longer free" in clash.content
    assert Appointment.objects.count() == 1


def test_admin_actions_call_the_services(staff_client, clinic_doctor, patient, frozen):
    appointment = services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    url = "/admin/appointments/appointment/"
    staff_client.post(
        url, {"action": "no_show_selected", "_selected_action": [str(appointment.pk)]}
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED  # too early: refused by the service
    frozen.move_to(TUESDAY_9 - timedelta(minutes=30))  # check-in opens on the day
    staff_client.post(
        url, {"action": "check_in_selected", "_selected_action": [str(appointment.pk)]}
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.ARRIVED
    page = staff_client.get(url, {"status__exact": "arrived"})
    assert patient.full_name.encode() in page.content
