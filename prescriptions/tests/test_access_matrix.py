"""Every clinical endpoint as each kind of caller: the patient, another patient, the linked
doctor, an unlinked doctor, staff and an anonymous visitor. Anyone who may not see the patient's
chart gets 404 for its objects, attachments, history and summary included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from health_records.services import attachment_add, health_record_create
from prescriptions.services import prescription_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
LINE = {
    "drug_name": "Metformin", "dose": "500 mg", "route": "oral", "frequency": "daily",
    "duration_days": 30, "quantity": 30,
}  # fmt: skip
ROLES = ["patient", "other_patient", "linked_doctor", "unlinked_doctor", "staff", "anonymous"]


@pytest.fixture
def chart(linked, patient):
    record = health_record_create(
        actor=linked, patient=patient.patient_profile, record_type="note", data={"text": "x"}
    )
    attachment = attachment_add(
        actor=linked, record=record, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    prescription = prescription_create(actor=linked, patient=patient.patient_profile, lines=[LINE])
    return {
        "patient": patient.patient_profile.pk,
        "record": record.record_id,
        "attachment": attachment.pk,
        "prescription": prescription.pk,
    }


def callers(patient, other_patient, linked, other_doctor, staff) -> dict:
    return {
        "patient": patient,
        "other_patient": other_patient,
        "linked_doctor": linked,
        "unlinked_doctor": other_doctor,
        "staff": staff,
        "anonymous": None,
    }


# (method, path, body, expected status per role). Writes come last, so that earlier reads
# see the chart unchanged; "list0" is a 200 with an empty page.
def endpoints(ids: dict) -> list[tuple]:
    record = f"/api/v1/health-records/{ids['record']}"
    prescription = f"/api/v1/prescriptions/{ids['prescription']}"
    hidden = {"other_patient": 404, "unlinked_doctor": 404, "staff": 404, "anonymous": 401}
    reads = {"patient": 200, "linked_doctor": 200, **hidden}
    lists = {"patient": 200, "linked_doctor": 200, "other_patient": "list0",
             "unlinked_doctor": "list0", "staff": "list0", "anonymous": 401}  # fmt: skip
    writes = {"patient": 403, "linked_doctor": 200, **hidden}
    creates = {"patient": 403, "linked_doctor": 201, "other_patient": 404,
               "unlinked_doctor": 404, "staff": 403, "anonymous": 401}  # fmt: skip
    return [
        ("get", "/api/v1/health-records/", None, lists),
        ("get", f"{record}/", None, reads),
        ("get", f"{record}/history/", None, reads),
        ("get", f"{record}/attachments/", None, reads),
        ("get", f"{record}/attachments/{ids['attachment']}/", None, reads),
        ("get", "/api/v1/prescriptions/", None, lists),
        ("get", f"{prescription}/", None, reads),
        ("get", f"/api/v1/patients/{ids['patient']}/summary/", None, reads),
        (
            "get",
            "/api/v1/patients/me/access-log/",
            None,
            {
                "patient": 200,
                "other_patient": 200,
                "linked_doctor": 403,
                "unlinked_doctor": 403,
                "staff": 403,
                "anonymous": 401,
            },
        ),
        (
            "post",
            "/api/v1/health-records/",
            {"patient": str(ids["patient"]), "record_type": "note", "data": {"text": "y"}},
            creates,
        ),
        (
            "post",
            "/api/v1/prescriptions/",
            {"patient": str(ids["patient"]), "lines": [LINE]},
            creates,
        ),
        ("patch", f"{record}/", {"data": {"text": "z"}, "reason": "Typo"}, writes),
        ("post", f"{record}/attachments/", "file", {**writes, "linked_doctor": 201}),
        ("post", f"{prescription}/complete/", {"reason": "Done"}, writes),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rules_give(
    role, chart, patient, other_patient, linked, other_doctor, staff
):
    user = callers(patient, other_patient, linked, other_doctor, staff)[role]
    wrong = []
    for method, path, body, expected in endpoints(chart):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        if body == "file":
            upload = {"file": SimpleUploadedFile("b.pdf", PDF)}
            response = client.post(path, upload, format="multipart")
        else:
            response = getattr(client, method)(path, body, format="json")
        want = expected[role]
        if want == "list0":
            ok = response.status_code == 200 and response.json()["count"] == 0
        else:
            ok = response.status_code == want
        if response.status_code >= 400:
            ok = ok and "error" in response.json()  # the one error shape, never a page
        if not ok:
            wrong.append((method, path, want, response.status_code))
    assert wrong == []
