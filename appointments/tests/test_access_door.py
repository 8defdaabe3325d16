"""Appointments read and written through the door: audited rows, notes through the service."""

import pytest

from appointments import services as appointment_services
from appointments.selectors import appointment_list
from appointments.tests.conftest import TUESDAY_9
from core.exceptions import NotAllowed
from core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def views_of(resource_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type=resource_type))


def test_a_page_of_appointments_is_audited_once_per_row_in_one_insert(
    clinic_doctor, patient, frozen, django_assert_num_queries
):
    for hours in (0, 1, 2):
        appointment_services.appointment_book(
            actor=patient,
            doctor=clinic_doctor,
            patient=patient.patient_profile,
            start=TUESDAY_9.replace(hour=7 + hours),
        )
    with django_assert_num_queries(2):  # the rows, and the audit events in one insert
        rows = list(appointment_list(actor=patient))
    assert {event.resource_id for event in views_of("appointment")} == {str(row.pk) for row in rows}


def test_the_admin_is_a_door_too_its_lists_and_pages_are_audited(
    client, staff, patient, other_patient
):
    client.force_login(staff)
    assert client.get("/admin/patients/patient/").status_code == 200
    assert {event.patient for event in views_of("patient")} == {patient, other_patient}
    page = client.get(f"/admin/patients/patient/{patient.patient_profile.pk}/change/")
    assert page.status_code == 200
    assert len([e for e in views_of("patient") if e.patient == patient]) == 2


def test_notes_written_in_the_admin_go_through_the_service_and_are_audited(
    client, staff, clinic_doctor, patient, frozen
):
    appointment = appointment_services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    client.force_login(staff)
    url = f"/admin/appointments/appointment/{appointment.pk}/change/"
    assert client.post(url, {"notes": "  Bring the X-ray.  "}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.notes == "Bring the X-ray."
    update = AuditEvent.objects.get(action=AuditAction.UPDATE, resource_id=str(appointment.pk))
    assert (update.actor, update.detail) == (staff, {"fields": ["notes"]})


def test_only_the_visits_doctor_or_staff_write_its_notes(
    clinic_doctor, other_doctor, patient, frozen
):
    appointment = appointment_services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    for outsider in (other_doctor, patient):
        with pytest.raises(NotAllowed):
            appointment_services.appointment_notes_update(
                actor=outsider, appointment=appointment, notes="mine"
            )
    appointment_services.appointment_notes_update(
        actor=clinic_doctor.user, appointment=appointment, notes="Seen."
    )
    assert appointment.notes == "Seen."
