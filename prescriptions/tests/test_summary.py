from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent
from health_records.services import health_record_create, health_record_retract
from prescriptions.services import prescription_create

pytestmark = pytest.mark.django_db

LINE = {
    "drug_name": "Metformin",
    "dose": "500 mg",
    "route": "oral",
    "frequency": "twice a day",
    "duration_days": 90,
    "quantity": 180,
}


def chart(doctor, patient, copies: int) -> None:
    write = {"actor": doctor, "patient": patient.patient_profile}
    now = timezone.now()
    for index in range(copies):
        health_record_create(
            **write,
            record_type="vital_signs",
            recorded_at=now - timedelta(days=copies - index),
            data={"systolic_mmhg": 120 + index, "diastolic_mmhg": 80},
        )
        health_record_create(
            **write,
            record_type="diagnosis",
            data={
                "icd10_code": "E11.9",
                "description": f"Type 2 diabetes {index}",
                "clinical_status": "active" if index % 2 == 0 else "resolved",
            },
        )
        health_record_create(
            **write,
            record_type="allergy",
            data={"substance": f"Substance {index}", "severity": "mild"},
        )
        prescription_create(**write, lines=[LINE, LINE])


def summary_of(user, patient):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/patients/{patient.patient_profile.pk}/summary/")


def test_the_summary_shows_what_is_current(linked, patient):
    chart(linked, patient, copies=3)
    retracted = health_record_create(
        actor=linked,
        patient=patient.patient_profile,
        record_type="vital_signs",
        data={"systolic_mmhg": 190, "diastolic_mmhg": 100},
    )
    health_record_retract(actor=linked, record=retracted, reason="Wrong cuff")
    response = summary_of(linked, patient)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["latest_vitals"]["data"]["systolic_mmhg"] == 122  # the retracted one is not it
    assert len(body["active_prescriptions"]) == 3
    assert len(body["active_diagnoses"]) == 2 and len(body["allergies"]) == 3
    assert body["patient_name"] == patient.full_name
    assert summary_of(patient, patient).status_code == 200


def test_the_summary_takes_the_same_queries_for_2_or_50_of_each(
    linked, patient, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert summary_of(linked, patient).status_code == 200
        return len(captured)

    chart(linked, patient, copies=2)
    few = queries()
    chart(linked, patient, copies=48)
    assert queries() == few
    # The patient, the audit insert, prescriptions and their lines, allergies with diagnoses
    # and the latest vitals, appointments.
    with django_assert_max_num_queries(6):
        summary_of(linked, patient)


def test_only_the_patient_and_linked_doctors_read_the_summary(
    linked, patient, other_patient, other_doctor, staff
):
    for outsider in (other_patient, other_doctor, staff):
        assert summary_of(outsider, patient).status_code == 404
    assert (
        APIClient().get(f"/api/v1/patients/{patient.patient_profile.pk}/summary/").status_code
        == 401
    )
    client = APIClient()
    client.force_authenticate(linked)
    assert client.get("/api/v1/patients/not-a-uuid/summary/").status_code == 404


def test_each_summary_read_is_audited(linked, patient):
    summary_of(linked, patient)
    event = AuditEvent.objects.get(action=AuditAction.VIEW, resource_type="patient_summary")
    assert (event.actor, event.patient) == (linked, patient)
