"""The door to patient data: one scoped queryset, 404 for "not yours", and the audit of every
read made through it, whichever door (API, admin, calendar) asked."""

import pytest

from core.exceptions import NotAllowed, NotFound
from core.logging import client_var
from core.models import AuditAction, AuditEvent
from patients.access import (
    Access,
    patient_for_actor,
    patients_visible_to,
)
from patients.services import care_assignment_create
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def views_of(resource_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type=resource_type))


def test_each_role_sees_exactly_the_patients_the_rules_give(
    patient, other_patient, doctor, other_doctor, staff
):
    mine, theirs = patient.patient_profile, other_patient.patient_profile
    care_assignment_create(actor=staff, doctor=doctor.doctor_profile, patient=mine)
    visible = {
        "staff": set(patients_visible_to(staff, access=Access.ACT)),
        "doctor": set(patients_visible_to(doctor, access=Access.ACT)),
        "other doctor": set(patients_visible_to(other_doctor, access=Access.ACT)),
        "patient": set(patients_visible_to(patient, access=Access.ACT)),
        "nobody": set(patients_visible_to(None, access=Access.ACT)),
    }
    assert visible == {
        "staff": {mine, theirs},
        "doctor": {mine},
        "other doctor": set(),
        "patient": {mine},
        "nobody": set(),
    }


@pytest.mark.parametrize("patient_id", ["other", "unknown", "not-a-uuid", "\x00", 12])
def test_not_yours_and_not_found_are_the_same_answer(patient, other_patient, patient_id):
    ids = {
        "other": other_patient.patient_profile.pk,
        "unknown": "6d3f0c1e-0000-4000-8000-000000000000",
    }
    with pytest.raises(NotFound) as raised:
        patient_for_actor(actor=patient, patient_id=ids.get(patient_id, patient_id))
    assert raised.value.message == "No such patient."


def test_a_linked_doctor_sees_a_record_but_may_not_change_it(patient, doctor, staff):
    record = patient.patient_profile
    care_assignment_create(actor=staff, doctor=doctor.doctor_profile, patient=record)
    assert patient_for_actor(actor=doctor, patient_id=record.pk) == record
    with pytest.raises(NotAllowed):
        patient_for_actor(actor=doctor, patient_id=record.pk, access=Access.CHANGE)
    assert patient_for_actor(actor=patient, patient_id=record.pk, access=Access.CHANGE) == record
    assert patient_for_actor(actor=staff, patient_id=record.pk, access=Access.CHANGE) == record


def test_reading_to_show_is_audited_with_the_client_and_reading_to_act_is_not(
    patient, other_patient
):
    token = client_var.set(("203.0.113.9", "pytest-browser"))
    try:
        shown = patient_for_actor(actor=patient, patient_id=patient.patient_profile.pk)
        patient_for_actor(actor=patient, patient_id=patient.patient_profile.pk, access=Access.ACT)
    finally:
        client_var.reset(token)
    [event] = views_of("patient")
    assert (event.actor, event.patient, event.resource_id) == (patient, patient, str(shown.pk))
    assert (event.ip, event.user_agent) == ("203.0.113.9", "pytest-browser")


def test_counting_and_checking_read_no_ones_data(patient, staff, other_patient):
    everyone = patients_visible_to(staff)
    assert everyone.count() == 2
    assert everyone.exists()
    assert len(list(everyone.values_list("pk", flat=True))) == 2
    assert views_of("patient") == []
    assert len(list(everyone)) == 2
    assert len(views_of("patient")) == 2  # one event per patient shown, in one insert


def test_a_patient_made_without_the_door_is_still_found_through_it(staff):
    made = make_patient(full_name="Ingrid Å")
    assert patient_for_actor(actor=staff, patient_id=made.pk, access=Access.ACT) == made
