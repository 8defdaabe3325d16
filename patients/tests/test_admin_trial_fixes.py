"""The patient's insurance in the admin: three plain text fields, kept as one object."""

import pytest

from core.models import AuditEvent
from patients.models import Patient
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def change_url(patient: Patient) -> str:
    return f"/admin/patients/patient/{patient.pk}/change/"


def record_form(patient: Patient, **fields) -> dict:
    """The change page as it is; tests change some of it."""
    insurance = patient.insurance or {}
    return {
        "date_of_birth": "",
        "sex": patient.sex,
        "blood_group": patient.blood_group,
        "allergies": "",
        "emergency_contact_name": "",
        "emergency_contact_phone": "",
        "emergency_contact_relationship": "",
        "insurance_provider": insurance.get("provider", ""),
        "insurance_member_id": insurance.get("member_id", ""),
        "insurance_group_number": insurance.get("group_number", ""),
        "address": "",
        **fields,
    }


def test_the_change_page_shows_the_insurance_as_plain_fields_with_their_values(staff_client):
    patient = make_patient(insurance={"provider": "TK", "member_id": "A-77"})

    response = staff_client.get(change_url(patient))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "insurance" not in form.fields
    labels = {name: form.fields[name].label for name in form.fields if "insurance" in name}
    assert labels == {
        "insurance_provider": "Insurance provider",
        "insurance_member_id": "Member id",
        "insurance_group_number": "Group number",
    }
    page = response.content.decode()
    assert 'name="insurance_provider" value="TK"' in page
    assert 'name="insurance_member_id" value="A-77"' in page
    assert 'name="insurance"' not in page


def test_typed_insurance_is_saved_through_the_service_leaving_empty_fields_out(staff_client):
    patient = make_patient()
    form = record_form(
        patient,
        insurance_provider=" AOK Bayern ",
        insurance_member_id="123456",
        insurance_group_number="",
    )

    saved = staff_client.post(change_url(patient), form)

    assert saved.status_code == 302, saved.content[:3000]
    patient.refresh_from_db()
    assert patient.insurance == {"provider": "AOK Bayern", "member_id": "123456"}
    event = AuditEvent.objects.filter(resource_type="patient", action="update").get()
    assert event.detail == {"fields": ["insurance"]}  # written by patients.services

    cleared = staff_client.post(
        change_url(patient), record_form(patient, insurance_member_id="", blood_group="A+")
    )
    assert cleared.status_code == 302
    patient.refresh_from_db()
    assert patient.insurance == {"provider": "AOK Bayern"}
    assert patient.blood_group == "A+"


def test_an_unchanged_insurance_is_not_rewritten(staff_client):
    patient = make_patient(insurance={"provider": "TK"})
    saved = staff_client.post(change_url(patient), record_form(patient, allergies="Penicillin"))
    assert saved.status_code == 302
    event = AuditEvent.objects.filter(resource_type="patient", action="update").get()
    assert event.detail == {"fields": ["allergies"]}
    patient.refresh_from_db()
    assert patient.insurance == {"provider": "TK"}


def test_too_long_insurance_text_is_an_error_on_its_field(staff_client):
    patient = make_patient(insurance={"provider": "TK"})
    refused = staff_client.post(
        change_url(patient), record_form(patient, insurance_member_id="9" * 101)
    )
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert list(errors) == ["insurance_member_id"]
    patient.refresh_from_db()
    assert patient.insurance == {"provider": "TK"}
