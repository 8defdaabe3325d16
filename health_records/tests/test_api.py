from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent, Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/health-records/"
VITALS = {"systolic_mmhg": 128, "diastolic_mmhg": 82, "heart_rate_bpm": 71, "weight_kg": 78.5}
GOOD = {
    "vital_signs": VITALS,
    "lab_result": {
        "test_name": "HbA1c",
        "value": 7.9,
        "unit": "%",
        "reference_low": 4.0,
        "reference_high": 5.6,
    },
    "diagnosis": {
        "icd10_code": "e11.9",
        "description": "Type 2 diabetes",
        "clinical_status": "active",
    },
    "allergy": {"substance": "Penicillin", "reaction": "Hives", "severity": "moderate"},
    "immunization": {"vaccine": "Tetanus", "dose_number": 2, "date": "2025-05-01", "lot": "X1"},
    "note": {"text": "Feels **better**. <script>alert(1)</script> Żółć ✓"},
}


@pytest.mark.parametrize("record_type", list(GOOD))
def test_the_linked_doctor_writes_each_type_and_the_patient_reads_it(
    record_type, write, as_user, patient
):
    created = write(record_type, GOOD[record_type])
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["record_type"], body["version"], body["status"]) == (record_type, 1, "final")
    mine = as_user(patient).get(f"{URL}{body['id']}/")
    assert mine.status_code == 200
    assert mine.json()["data"] == body["data"]
    assert Notification.objects.filter(user=patient, kind="health_record_added").count() == 1


def test_icd10_codes_are_read_as_clinicians_type_them(write):
    for typed, stored in (("U07.1", "U07.1"), ("e119", "E11.9"), (" i10 ", "I10")):
        response = write("diagnosis", {**GOOD["diagnosis"], "icd10_code": typed})
        assert response.status_code == 201, response.content
        assert response.json()["data"]["icd10_code"] == stored


def test_the_messages_say_what_is_wrong(write):
    bp = write("vital_signs", {"systolic_mmhg": 70, "diastolic_mmhg": 120}).json()["error"]
    assert bp["fields"]["data.diastolic_mmhg"] == [
        "The diastolic pressure must be lower than the systolic."
    ]
    lab = {**GOOD["lab_result"], "reference_low": 5, "reference_high": 1}
    assert write("lab_result", lab).json()["error"]["fields"]["data.reference_high"] == [
        "The upper limit must not be below the lower."
    ]


def test_derived_values_are_computed_and_markdown_is_sanitized(write):
    lab = write("lab_result", GOOD["lab_result"]).json()
    assert lab["data"]["flag"] == "high"
    diagnosis = write("diagnosis", GOOD["diagnosis"]).json()
    assert diagnosis["data"]["icd10_code"] == "E11.9"
    note = write("note", GOOD["note"]).json()
    assert "<strong>better</strong>" in note["data"]["html"]
    assert "<script" not in note["data"]["html"] and "Żółć ✓" in note["data"]["html"]


@pytest.mark.parametrize(
    ("record_type", "data", "field"),
    [
        ("vital_signs", {**VITALS, "systolic_mmhg": 400}, "data.systolic_mmhg"),
        ("vital_signs", {"systolic_mmhg": 120}, "data.diastolic_mmhg"),
        ("vital_signs", {"systolic_mmhg": 80, "diastolic_mmhg": 90}, "data.diastolic_mmhg"),
        ("vital_signs", {"temperature_c": "hot"}, "data.temperature_c"),
        ("vital_signs", {}, "data"),
        ("vital_signs", [1, 2], "data"),
        ("vital_signs", {"pulse": 70}, "data.pulse"),
        ("lab_result", {**GOOD["lab_result"], "flag": "normal"}, "data.flag"),
        ("lab_result", {**GOOD["lab_result"], "reference_low": 9}, "data.reference_high"),
        ("diagnosis", {**GOOD["diagnosis"], "icd10_code": "diabetes"}, "data.icd10_code"),
        ("diagnosis", {**GOOD["diagnosis"], "icd10_code": "11.9"}, "data.icd10_code"),
        ("diagnosis", {**GOOD["diagnosis"], "icd10_code": "E11.99999"}, "data.icd10_code"),
        ("vital_signs", {"systolic_mmhg": True, "diastolic_mmhg": 80}, "data.systolic_mmhg"),
        ("diagnosis", {**GOOD["diagnosis"], "clinical_status": "maybe"}, "data.clinical_status"),
        ("allergy", {"substance": "Latex"}, "data.severity"),
        ("immunization", {**GOOD["immunization"], "date": "2999-01-01"}, "data.date"),
        ("immunization", {**GOOD["immunization"], "dose_number": 0}, "data.dose_number"),
        ("note", {"text": "x" * 1_000_000}, "data.text"),
    ],
)
def test_bad_data_is_a_400_naming_the_field(write, record_type, data, field):
    response = write(record_type, data)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"recorded_at": "2999-01-01T10:00:00Z"}, "recorded_at"),
        ({"recorded_at": "2025-01-01T10:00:00"}, "recorded_at"),
        ({"record_type": "x-ray"}, "record_type"),
        ({"recorded_at": "1850-01-01T10:00:00Z"}, "recorded_at"),
        ({"recordedAt": "2025-01-01T10:00:00Z"}, "recordedAt"),
        ({"appointment": "7d1c0000-0000-4000-8000-000000000000"}, "appointment"),
    ],
)
def test_bad_envelope_is_a_400(write, extra, field):
    response = write(extra.pop("record_type", "vital_signs"), VITALS, **extra)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_malformed_json_is_a_400(as_user, linked):
    response = as_user(linked).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_who_may_write(as_user, api_client, patient, other_doctor, staff, linked):
    body = {
        "patient": str(patient.patient_profile.pk),
        "record_type": "note",
        "data": {"text": "x"},
    }
    assert as_user(patient).post(URL, body, format="json").status_code == 403
    assert as_user(other_doctor).post(URL, body, format="json").status_code == 404
    assert as_user(staff).post(URL, body, format="json").status_code == 403
    api_client.force_authenticate(None)
    assert api_client.post(URL, body, format="json").status_code == 401


def test_anyone_elses_record_answers_404(write, as_user, other_patient, other_doctor, staff):
    record = write("vital_signs", VITALS).json()
    for outsider in (other_patient, other_doctor, staff):
        client = as_user(outsider)
        assert client.get(f"{URL}{record['id']}/").status_code == 404
        assert client.get(f"{URL}{record['id']}/history/").status_code == 404
        assert client.get(URL).json()["count"] == 0
        amend = client.patch(f"{URL}{record['id']}/", {"data": VITALS}, format="json")
        assert amend.status_code == 404
        retract = client.post(f"{URL}{record['id']}/entered-in-error/", {"reason": "x"})
        assert retract.status_code == 404
    assert as_user(other_patient).get(f"{URL}not-a-uuid/").status_code == 404


def test_an_edit_makes_a_new_version_and_keeps_the_old(write, as_user, linked, patient):
    record = write("vital_signs", VITALS).json()
    doctor = as_user(linked)
    without_reason = doctor.patch(f"{URL}{record['id']}/", {"data": {"weight_kg": 77.0}})
    assert without_reason.status_code == 400
    assert "reason" in without_reason.json()["error"]["fields"]
    amended = doctor.patch(
        f"{URL}{record['id']}/",
        {"data": {"weight_kg": 77.0, "heart_rate_bpm": None}, "reason": "Scale was off"},
        format="json",
    )
    assert amended.status_code == 200, amended.content
    new = amended.json()
    assert (new["id"], new["version"], new["reason"]) == (record["id"], 2, "Scale was off")
    # Only what was given changed: the pressure is kept, the pulse removed by its null.
    assert new["data"] == {"systolic_mmhg": 128, "diastolic_mmhg": 82, "weight_kg": 77.0}
    history = doctor.get(f"{URL}{record['id']}/history/").json()
    assert [(v["version"], v["status"]) for v in history] == [(1, "amended"), (2, "final")]
    assert history[0]["data"]["weight_kg"] == 78.5
    listed = as_user(patient).get(URL).json()
    assert [(item["id"], item["version"]) for item in listed["results"]] == [(record["id"], 2)]
    stale = doctor.patch(f"{URL}{record['id']}/", {"data": "nope", "reason": "x"}, format="json")
    assert stale.status_code == 400


def test_a_record_entered_in_error_is_kept_but_hidden(write, as_user, linked, patient):
    record = write("diagnosis", GOOD["diagnosis"]).json()
    doctor = as_user(linked)
    url = f"{URL}{record['id']}/entered-in-error/"
    assert doctor.post(url, {}).status_code == 400
    assert doctor.post(url, {"reason": "   "}).status_code == 400
    retracted = doctor.post(url, {"reason": "Wrong patient"})
    assert retracted.status_code == 200
    assert retracted.json()["status"] == "entered-in-error"
    reader = as_user(patient)
    assert reader.get(URL).json()["count"] == 0
    shown = reader.get(URL, {"status": "entered-in-error"}).json()
    assert [item["reason"] for item in shown["results"]] == ["Wrong patient"]
    again = doctor.patch(
        f"{URL}{record['id']}/", {"data": GOOD["diagnosis"], "reason": "x"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "entered_in_error"


def test_only_the_patient_may_not_change_their_record(write, as_user, patient):
    record = write("allergy", GOOD["allergy"]).json()
    response = as_user(patient).patch(
        f"{URL}{record['id']}/", {"data": GOOD["allergy"]}, format="json"
    )
    assert response.status_code == 403


def test_filters_by_type_date_and_patient(write, as_user, patient, linked):
    write("vital_signs", VITALS, recorded_at=(timezone.now() - timedelta(days=40)).isoformat())
    write("vital_signs", VITALS)
    write("allergy", GOOD["allergy"])
    reader = as_user(patient)
    assert reader.get(URL, {"record_type": "vital_signs"}).json()["count"] == 2
    recent = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert reader.get(URL, {"date_from": recent}).json()["count"] == 2
    assert reader.get(URL, {"record_type": "x"}).status_code == 400
    doctor_view = as_user(linked).get(URL, {"patient": str(patient.patient_profile.pk)})
    assert doctor_view.json()["count"] == 3


def test_every_read_and_write_is_audited_naming_the_patient(write, as_user, patient, linked):
    record = write("vital_signs", VITALS).json()
    created = AuditEvent.objects.get(action=AuditAction.CREATE, resource_type="health_record")
    assert (created.patient, created.resource_id) == (patient, record["id"])
    as_user(patient).get(URL)
    as_user(patient).get(f"{URL}{record['id']}/")
    as_user(linked).get(f"{URL}{record['id']}/history/")
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type="health_record")
    assert views.count() == 3
    assert {event.patient for event in views} == {patient}


def test_the_list_keeps_its_number_of_queries(
    write, as_user, patient, django_assert_max_num_queries
):
    def page_queries() -> int:

        with CaptureQueriesContext(connection) as captured:
            assert as_user(patient).get(URL, {"page_size": 100}).status_code == 200
        return len(captured)

    for _ in range(2):
        write("note", {"text": "a"})
    few = page_queries()
    for _ in range(20):
        write("vital_signs", VITALS)
    assert page_queries() == few
    with django_assert_max_num_queries(4):
        as_user(patient).get(URL, {"page_size": 100})


def test_the_patient_reads_who_accessed_their_data(write, as_user, patient, linked, staff):
    record = write("vital_signs", VITALS).json()
    as_user(linked).get(f"{URL}{record['id']}/")
    as_user(patient).get(f"{URL}{record['id']}/")
    log = as_user(patient).get("/api/v1/patients/me/access-log/")
    assert log.status_code == 200
    entries = log.json()["results"]
    doctor_entries = [e for e in entries if e["actor_name"] == linked.full_name]
    assert {(e["action"], e["resource_type"]) for e in doctor_entries} >= {
        ("create", "health_record"),
        ("view", "health_record"),
    }
    assert all(e["actor_role"] == "doctor" for e in doctor_entries)
    assert {e["what"] for e in doctor_entries} == {"Health record"}
    assert all(e["actor_name"] != patient.full_name for e in entries)  # own reads left out
    own = as_user(patient).get("/api/v1/patients/me/access-log/", {"include_own": "true"})
    assert any(e["actor_name"] == patient.full_name for e in own.json()["results"])
    bad = as_user(patient).get("/api/v1/patients/me/access-log/", {"include_own": "perhaps"})
    assert bad.status_code == 400
    assert "ip" not in entries[0] and "user_agent" not in entries[0]
    for outsider in (linked, staff):
        assert as_user(outsider).get("/api/v1/patients/me/access-log/").status_code == 403
    assert APIClient().get("/api/v1/patients/me/access-log/").status_code == 401


def test_the_access_log_keeps_its_number_of_queries(
    write, as_user, patient, django_assert_max_num_queries
):
    for _ in range(15):
        write("note", {"text": "n"})
    with django_assert_max_num_queries(3):
        assert as_user(patient).get("/api/v1/patients/me/access-log/").status_code == 200
