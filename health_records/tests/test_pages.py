"""The health-record pages: the list, one record in words, its files, and the form to add one."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from health_records.models import HealthRecord
from health_records.services import attachment_add, health_record_create, health_record_retract

pytestmark = pytest.mark.django_db

LIST = "/records/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def write(doctor, patient, record_type="vital_signs", data=None, **extra) -> HealthRecord:
    return health_record_create(
        actor=doctor,
        patient=patient.patient_profile,
        record_type=record_type,
        data=data or {"systolic_mmhg": 120, "diastolic_mmhg": 80, "heart_rate_bpm": 72},
        **extra,
    )


def page_of(record) -> str:
    return f"/records/{record.record_id}/"


def new_url(patient, record_type: str | None = None) -> str:
    url = f"/patients/{patient.patient_profile.pk}/records/new/"
    return f"{url}?type={record_type}" if record_type else url


def queries(client, url: str) -> int:
    """The queries of one GET, once the process's caches (content types) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
    return len(captured)


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- record-list -------------------------------------------------------------------------


def test_the_patient_lists_their_own_records_newest_first(client, linked, patient, other_patient):
    now = timezone.now()
    write(linked, patient, recorded_at=now - timedelta(days=2))
    write(
        linked,
        patient,
        "diagnosis",
        {"icd10_code": "E11.9", "description": "Type 2 diabetes", "clinical_status": "active"},
        recorded_at=now - timedelta(days=1),
    )
    client.force_login(patient)
    body = client.get(LIST).content.decode()
    assert body.index("E11.9 Type 2 diabetes") < body.index("Blood pressure 120/80 mmHg")
    client.force_login(other_patient)
    assert "Type 2 diabetes" not in client.get(LIST).content.decode()


def test_the_list_filters_by_type_and_hides_retracted(client, linked, patient):
    write(linked, patient)
    write(linked, patient, "allergy", {"substance": "Penicillin", "severity": "severe"})
    wrong = write(linked, patient, "note", {"text": "Wrong patient"})
    health_record_retract(actor=linked, record=wrong, reason="Wrong chart")
    client.force_login(patient)
    allergies = client.get(LIST, {"record_type": "allergy"}).content.decode()
    assert "Penicillin (severe)" in allergies and "Blood pressure" not in allergies
    assert "Wrong patient" not in client.get(LIST).content.decode()
    retracted = client.get(LIST, {"status": "entered-in-error"}).content.decode()
    assert "Wrong patient" in retracted


def test_a_bad_filter_is_shown_not_a_crash(client, patient):
    client.force_login(patient)
    response = client.get(LIST, {"record_type": "x-ray<script>", "page": "zz"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert b"<script>" not in response.content


def test_a_doctor_lists_one_linked_patients_records(client, linked, patient, other_patient):
    write(linked, patient)
    client.force_login(linked)
    response = client.get(LIST, {"patient": str(patient.patient_profile.pk)})
    assert response.status_code == 200
    assert b"Blood pressure 120/80 mmHg" in response.content
    assert client.get(LIST, {"patient": str(other_patient.patient_profile.pk)}).status_code == 404
    assert client.get(LIST, {"patient": "not-a-uuid"}).status_code == 404
    assert client.get(LIST).status_code == 302  # choose a patient first


def test_the_record_list_refuses_other_roles(client, staff, admin_user):
    assert_login_redirect(client.get(LIST))
    for user in (staff, admin_user):
        client.force_login(user)
        assert client.get(LIST).status_code == 404


def test_each_listed_record_is_audited(client, linked, patient):
    record = write(linked, patient)
    client.force_login(linked)
    client.get(LIST, {"patient": str(patient.patient_profile.pk)})
    assert AuditEvent.objects.filter(
        actor=linked,
        action=AuditAction.VIEW,
        resource_type="health_record",
        resource_id=str(record.record_id),
    ).exists()


@pytest.mark.parametrize("who", ["patient", "doctor"])
def test_the_record_list_queries_do_not_grow(
    client, linked, patient, who, django_assert_max_num_queries
):
    reader = patient if who == "patient" else linked
    url = f"{LIST}?patient={patient.patient_profile.pk}" if who == "doctor" else LIST
    for _ in range(2):
        write(linked, patient)
    client.force_login(reader)
    few = queries(client, url)
    for _ in range(18):
        write(linked, patient)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.count(b'<td><a href="/records/') == 20
    assert queries(client, url) == few


# --- record-page -------------------------------------------------------------------------


def test_vital_signs_are_shown_with_their_units(client, linked, patient):
    record = write(
        linked,
        patient,
        data={"systolic_mmhg": 132, "diastolic_mmhg": 84, "temperature_c": 37.2, "weight_kg": 70},
    )
    client.force_login(patient)
    body = client.get(page_of(record)).content.decode()
    assert "132/84 mmHg" in body and "37.2 °C" in body and "70 kg" in body
    assert linked.full_name in body and "Version" in body and "Final" in body


def test_a_lab_result_shows_its_flag(client, linked, patient):
    record = write(
        linked,
        patient,
        "lab_result",
        {"test_name": "HbA1c", "value": 7.1, "unit": "%", "reference_low": 4, "reference_high": 6},
    )
    client.force_login(patient)
    body = client.get(page_of(record)).content.decode()
    assert "7.1 %" in body and "4 to 6 %" in body and "High: above the reference range" in body


def test_a_diagnosis_shows_its_icd10_code(client, linked, patient):
    record = write(
        linked,
        patient,
        "diagnosis",
        {"icd10_code": "J45.9", "description": "Asthma", "clinical_status": "active"},
    )
    client.force_login(linked)
    body = client.get(page_of(record)).content.decode()
    assert "J45.9" in body and "Asthma" in body and "Active" in body


def test_a_note_is_sanitized_markdown(client, linked, patient):
    record = write(
        linked,
        patient,
        "note",
        {"text": "**Better** today. <script>alert(1)</script> [x](javascript:alert(1)) Ünïcødé ✓"},
    )
    client.force_login(patient)
    body = client.get(page_of(record)).content.decode()
    assert "<strong>Better</strong>" in body and "Ünïcødé ✓" in body
    assert "<script>alert" not in body and 'href="javascript:' not in body


def test_the_record_page_lists_files_and_the_download_has_the_apis_headers(client, linked, patient):
    record = write(linked, patient)
    attachment = attachment_add(
        actor=linked,
        record=record,
        upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(patient)
    body = client.get(page_of(record)).content.decode()
    download_url = f"/records/{record.record_id}/attachments/{attachment.pk}/"
    assert download_url in body and "scan.pdf" in body
    download = client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        actor=patient, resource_type="health_record_attachment", action=AuditAction.VIEW
    ).exists()


def test_a_file_is_only_its_patients_and_linked_doctors(
    client, linked, patient, other_patient, other_doctor, staff
):
    record = write(linked, patient)
    other = write(linked, patient)
    attachment = attachment_add(
        actor=linked,
        record=record,
        upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    url = f"/records/{record.record_id}/attachments/{attachment.pk}/"
    assert_login_redirect(client.get(url))
    for user in (other_patient, other_doctor, staff):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(patient)
    # The file through another record of the same patient: not there.
    assert client.get(f"/records/{other.record_id}/attachments/{attachment.pk}/").status_code == 404


def test_a_record_is_only_its_patients_and_linked_doctors(
    client, linked, patient, other_patient, other_doctor, staff
):
    record = write(linked, patient)
    assert_login_redirect(client.get(page_of(record)))
    for user in (other_patient, other_doctor, staff):
        client.force_login(user)
        assert client.get(page_of(record)).status_code == 404
    client.force_login(patient)
    assert client.get("/records/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/records/not-a-uuid/").status_code == 404


def test_reading_a_record_page_is_audited(client, linked, patient):
    record = write(linked, patient)
    client.force_login(linked)
    client.get(page_of(record))
    assert AuditEvent.objects.filter(
        actor=linked,
        action=AuditAction.VIEW,
        resource_type="health_record",
        resource_id=str(record.record_id),
        patient=patient,
    ).exists()


def test_the_record_page_queries_do_not_grow_with_its_files(
    client, linked, patient, django_assert_max_num_queries
):
    record = write(linked, patient)

    def attach(count: int) -> None:
        for index in range(count):
            attachment_add(
                actor=linked,
                record=record,
                upload=SimpleUploadedFile(f"f{index}.pdf", PDF, content_type="application/pdf"),
            )

    attach(2)
    client.force_login(patient)
    few = queries(client, page_of(record))
    attach(18)
    with django_assert_max_num_queries(8):
        response = client.get(page_of(record))
    assert response.content.count(b"/attachments/") == 20
    assert queries(client, page_of(record)) == few


# --- record-new --------------------------------------------------------------------------


def test_the_type_is_chosen_first(client, linked, patient):
    client.force_login(linked)
    response = client.get(new_url(patient))
    assert response.status_code == 200
    for record_type in ("vital_signs", "lab_result", "diagnosis", "allergy", "note"):
        assert f"?type={record_type}".encode() in response.content
    unknown = client.get(new_url(patient, "x-ray"))
    assert unknown.status_code == 400 and b"is not a kind of record" in unknown.content


def test_the_form_has_the_schemas_fields_labelled(client, linked, patient):
    client.force_login(linked)
    body = client.get(new_url(patient, "vital_signs")).content.decode()
    for key in ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "temperature_c"):
        assert f'<label for="id_{key}">' in body
    assert "mmHg, 50 to 300" in body  # the schema's own help


def test_a_doctor_records_vital_signs(client, linked, patient):
    client.force_login(linked)
    response = client.post(
        new_url(patient, "vital_signs"),
        {"systolic_mmhg": "128", "diastolic_mmhg": "82", "temperature_c": "36.9"},
        follow=True,
    )
    record = HealthRecord.objects.get(patient=patient.patient_profile)
    assert response.redirect_chain[-1][0] == page_of(record)
    assert record.data == {"systolic_mmhg": 128.0, "diastolic_mmhg": 82.0, "temperature_c": 36.9}
    assert record.author == linked
    body = response.content.decode()
    assert "Vital signs recorded" in body and "128/82 mmHg" in body


def test_a_recorded_time_is_read_in_the_doctors_zone(client, linked, patient):
    linked.timezone = "America/New_York"
    linked.save(update_fields=["timezone"])
    client.force_login(linked)
    client.post(
        new_url(patient, "allergy"),
        {"substance": "Latex", "severity": "mild", "recorded_at": "2024-01-15T09:30"},
    )
    record = HealthRecord.objects.get(patient=patient.patient_profile)
    assert record.recorded_at.isoformat() == "2024-01-15T14:30:00+00:00"


BAD_VALUES = [
    ("vital_signs", {"systolic_mmhg": "400", "diastolic_mmhg": "80"}, "systolic_mmhg", "300"),
    ("vital_signs", {"heart_rate_bpm": "fast"}, "heart_rate_bpm", "A valid number is required"),
    ("vital_signs", {"systolic_mmhg": "120"}, "diastolic_mmhg", "both its numbers"),
    ("lab_result", {"test_name": "CRP", "value": "5"}, "unit", "This field is required"),
    ("lab_result", {"test_name": "x" * 300, "value": "5", "unit": "mg"}, "test_name", "200"),
    (
        "diagnosis",
        {"icd10_code": "HELLO", "description": "?", "clinical_status": "active"},
        "icd10_code",
        "Not an ICD-10 code",
    ),
    (
        "diagnosis",
        {"icd10_code": "E11", "description": "D", "clinical_status": "sleeping"},
        "clinical_status",
        "is not a valid choice",
    ),
    (
        "immunization",
        {"vaccine": "Tetanus", "dose_number": "two", "date": "2024-01-01"},
        "dose_number",
        "valid integer",
    ),
    (
        "immunization",
        {"vaccine": "Tetanus", "dose_number": "1", "date": "31/31/2024"},
        "date",
        "wrong format",
    ),
    ("note", {"text": "ü" * 50_001}, "text", "no more than 50000"),
]


@pytest.mark.parametrize(("record_type", "values", "field", "message"), BAD_VALUES)
def test_bad_values_are_shown_next_to_their_field_and_kept(
    client, linked, patient, record_type, values, field, message
):
    client.force_login(linked)
    response = client.post(new_url(patient, record_type), values)
    assert response.status_code == 400
    body = response.content.decode()
    error_list = body[body.index(f'id="id_{field}_error"') :]
    assert message in error_list[: error_list.index("</ul>")]
    for value in values.values():
        if len(value) < 400:
            assert value in body  # what was typed is still in the form
    assert not HealthRecord.objects.exists()


def test_an_empty_form_says_what_is_missing_at_the_top(client, linked, patient):
    client.force_login(linked)
    response = client.post(new_url(patient, "vital_signs"), {})
    assert response.status_code == 400
    assert b"Give at least one measurement." in response.content


@pytest.mark.parametrize(
    ("recorded_at", "message"),
    [
        ("2999-01-01T10:00", "not ahead"),
        ("yesterday", "Enter a valid date/time"),
        ("1850-01-01T10:00", "1900"),
    ],
)
def test_the_recorded_time_is_checked(client, linked, patient, recorded_at, message):
    client.force_login(linked)
    response = client.post(
        new_url(patient, "note"), {"text": "Seen today", "recorded_at": recorded_at}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Seen today" in response.content.decode()


def test_a_unicode_note_is_saved(client, linked, patient):
    client.force_login(linked)
    text = "Patientin klagt über Schwindel — 头晕 😷\n\n* Blutdruck gemessen"
    response = client.post(new_url(patient, "note"), {"text": text}, follow=True)
    assert response.status_code == 200
    assert HealthRecord.objects.get().data["text"] == text
    assert "头晕 😷" in response.content.decode()


def test_only_a_linked_doctor_opens_the_record_form(
    client, patient, other_patient, linked, other_doctor, staff
):
    url = new_url(patient, "note")
    assert_login_redirect(client.get(url))
    for user in (patient, other_patient, staff, other_doctor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Hello"}).status_code == 404
    client.force_login(linked)
    assert client.get(new_url(other_patient, "note")).status_code == 404
    assert client.get("/patients/not-a-uuid/records/new/").status_code == 404
    assert not HealthRecord.objects.exists()
