import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent, Delivery, Notification
from health_records.services import health_record_create
from patients.models import Patient
from prescriptions.models import MedicationLine, Prescription

pytestmark = pytest.mark.django_db

URL = "/api/v1/prescriptions/"
LINE = {
    "drug_name": "Amoxicillin",
    "strength": "500 mg",
    "form": "capsule",
    "dose": "1 capsule",
    "route": "oral",
    "frequency": "three times a day",
    "duration_days": 7,
    "quantity": 21,
    "refills": 0,
    "instructions": "Take with water.",
}


@pytest.fixture
def prescribe(as_user, linked, patient):
    def post(*lines, **extra):
        body = {"patient": str(patient.patient_profile.pk), "lines": list(lines), **extra}
        return as_user(linked).post(URL, body, format="json")

    return post


def allergy(doctor, patient, substance: str) -> None:
    health_record_create(
        actor=doctor,
        patient=patient.patient_profile,
        record_type="allergy",
        data={"substance": substance, "reaction": "Hives", "severity": "moderate"},
    )


def test_a_linked_doctor_prescribes_and_the_patient_reads_it(prescribe, as_user, patient):
    created = prescribe(LINE, {**LINE, "drug_name": "Zopiclone", "route": "oral"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "active"
    assert [line["drug_name"] for line in body["lines"]] == ["Amoxicillin", "Zopiclone"]
    assert [line["allergy_checked"] for line in body["lines"]] == [True, False]
    mine = as_user(patient).get(f"{URL}{body['id']}/")
    assert mine.status_code == 200 and mine.json()["lines"][0]["quantity"] == 21
    notice = Notification.objects.get(user=patient, kind="prescription_issued")
    assert "Amoxicillin 500 mg" in notice.body
    assert Delivery.objects.filter(notification=notice, channel="email").exists()


@pytest.mark.parametrize(
    ("drug", "recorded"),
    [
        ("AUGMENTIN 625mg", "Penicillin"),
        ("amoxicillin", "PENICILLINS"),
        ("Bactrim DS", "sulfa drugs"),
        ("Advil", "Aspirin"),
        ("nurofen plus", "codeine"),
        ("Zestril 10mg", "ACE inhibitors"),
    ],
)
def test_a_drug_of_an_allergy_class_is_refused_naming_allergy_and_class(
    prescribe, linked, patient, drug, recorded
):
    allergy(linked, patient, recorded)
    refused = prescribe({**LINE, "drug_name": drug})
    assert refused.status_code == 409, refused.content
    error = refused.json()["error"]
    assert error["code"] == "allergy_conflict"
    assert recorded in error["message"]
    assert "lines.0.drug_name" in error["fields"]
    assert Prescription.objects.count() == 0


def test_the_profile_allergy_list_counts_too(prescribe, patient):
    Patient.objects.filter(user=patient).update(allergies="latex, Penicillin (rash)")
    refused = prescribe({**LINE, "drug_name": "Flucloxacillin"})
    assert refused.status_code == 409


def test_an_override_reason_lets_it_through_kept_and_audited(prescribe, linked, patient):
    allergy(linked, patient, "penicillin")
    reason = "Tolerated amoxicillin in 2024 under observation"
    created = prescribe({**LINE, "allergy_override_reason": reason})
    assert created.status_code == 201, created.content
    line = created.json()["lines"][0]
    assert line["allergy_override_reason"] == reason
    assert line["allergy_findings"][0]["severity"] == "conflict"
    override = AuditEvent.objects.get(
        resource_type="prescription", action=AuditAction.UPDATE, patient=patient
    )
    assert override.detail["allergy_overrides"][0]["reason"] == reason


def test_cross_reactivity_is_a_warning_not_a_refusal(prescribe, linked, patient):
    allergy(linked, patient, "Penicillin")
    created = prescribe({**LINE, "drug_name": "Keflex", "strength": "250 mg"})
    assert created.status_code == 201, created.content
    [finding] = created.json()["lines"][0]["allergy_findings"]
    assert finding["severity"] == "warning"
    assert "Penicillin" in finding["message"]


def test_unrelated_allergies_and_drugs_pass(prescribe, linked, patient):
    allergy(linked, patient, "Latex")
    allergy(linked, patient, "NSAIDs")
    created = prescribe({**LINE, "drug_name": "Paracetamol 1g"}, {**LINE, "drug_name": "Cipro"})
    assert created.status_code == 201, created.content


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"drug_name": ""}, "lines.0.drug_name"),
        ({"dose": "  "}, "lines.0.dose"),
        ({"duration_days": 0}, "lines.0.duration_days"),
        ({"duration_days": 366}, "lines.0.duration_days"),
        ({"quantity": 0}, "lines.0.quantity"),
        ({"refills": 13}, "lines.0.refills"),
        ({"refills": -1}, "lines.0.refills"),
    ],
)
def test_bad_lines_are_a_400_naming_the_field(prescribe, change, field):
    response = prescribe({**LINE, **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{**LINE, "route": "by mouth"}]},
        {"lines": [{**LINE, "quantity": "lots"}]},
        {"lines": "Amoxicillin"},
        {"lines": [LINE] * 21},
        {"lines": [LINE], "appointment": "not-a-uuid"},
        {"lines": [{**LINE, "refils": 3}]},
        {"lines": [LINE], "urgent": True},
        {"lines": [LINE], "appointment": "7d1c0000-0000-4000-8000-000000000000"},
    ],
)
def test_bad_prescriptions_are_a_400(as_user, linked, patient, body):
    response = as_user(linked).post(
        URL, {"patient": str(patient.patient_profile.pk), **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]


def test_who_may_prescribe(as_user, patient, other_doctor, staff, linked):
    body = {"patient": str(patient.patient_profile.pk), "lines": [LINE]}
    assert as_user(patient).post(URL, body, format="json").status_code == 403
    assert as_user(other_doctor).post(URL, body, format="json").status_code == 404
    assert as_user(staff).post(URL, body, format="json").status_code == 403
    assert APIClient().post(URL, body, format="json").status_code == 401


def test_anyone_elses_prescription_answers_404(
    prescribe, as_user, other_patient, other_doctor, staff
):
    made = prescribe(LINE).json()
    for outsider in (other_patient, other_doctor, staff):
        client = as_user(outsider)
        assert client.get(f"{URL}{made['id']}/").status_code == 404
        assert client.get(URL).json()["count"] == 0
        assert client.post(f"{URL}{made['id']}/cancel/", {"reason": "x"}).status_code == 404


def test_a_finished_prescription_never_goes_back(prescribe, as_user, linked, patient):
    made = prescribe(LINE).json()
    doctor = as_user(linked)
    assert doctor.post(f"{URL}{made['id']}/complete/", {}).status_code == 400
    assert as_user(patient).post(f"{URL}{made['id']}/cancel/", {"reason": "x"}).status_code == 403
    done = doctor.post(f"{URL}{made['id']}/complete/", {"reason": "Course finished"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    for action in ("cancel", "entered-in-error", "complete"):
        again = doctor.post(f"{URL}{made['id']}/{action}/", {"reason": "again"})
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "invalid_transition"


def test_filters(prescribe, as_user, linked, patient):
    first = prescribe(LINE).json()
    prescribe(LINE)
    as_user(linked).post(f"{URL}{first['id']}/cancel/", {"reason": "Changed plan"})
    reader = as_user(patient)
    assert reader.get(URL, {"status": "active"}).json()["count"] == 1
    assert reader.get(URL, {"status": "cancelled"}).json()["count"] == 1
    assert reader.get(URL, {"status": "paused"}).status_code == 400
    mine = reader.get(URL, {"patient": str(patient.patient_profile.pk)}).json()
    assert mine["count"] == 2


def test_reads_and_writes_are_audited_and_the_list_is_constant(prescribe, as_user, patient):
    for _ in range(2):
        prescribe(LINE, LINE)

    def listed() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_user(patient).get(URL).status_code == 200
        return len(captured)

    few = listed()
    for _ in range(10):
        prescribe(LINE, LINE, LINE)
    assert listed() == few <= 4
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type="prescription")
    assert views.count() == 2 + 12
    assert MedicationLine.objects.count() == 4 + 30
