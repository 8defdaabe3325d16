import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditAction, AuditEvent
from health_records.models import Attachment

pytestmark = pytest.mark.django_db

URL = "/api/v1/health-records/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\nSECRET-LAB-VALUE-4711\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03" + b"\x00" * 64


@pytest.fixture
def record(write):
    return write("lab_result", {"test_name": "CBC", "value": 1, "unit": "x"}).json()


def upload(client, record, content: bytes, name: str = "report.pdf"):
    return client.post(
        f"{URL}{record['id']}/attachments/",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        format="multipart",
    )


def test_a_linked_doctor_attaches_and_the_patient_downloads(record, as_user, linked, patient):
    created = upload(as_user(linked), record, PDF)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["filename"], body["content_type"], body["size"]) == (
        "report.pdf", "application/pdf", len(PDF)
    )  # fmt: skip
    reader = as_user(patient)
    assert [item["id"] for item in reader.get(f"{URL}{record['id']}/attachments/").json()] == [
        body["id"]
    ]
    download = reader.get(f"{URL}{record['id']}/attachments/{body['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"


def test_the_file_on_disk_holds_no_plaintext(record, as_user, linked):
    body = upload(as_user(linked), record, PDF).json()
    stored = Attachment.objects.get(pk=body["id"])
    with open(stored.file.path, "rb") as on_disk:
        raw = on_disk.read()
    assert b"SECRET-LAB-VALUE-4711" not in raw and b"%PDF" not in raw
    assert stored.file.name.startswith(f"health_records/{record['id']}/")
    assert "report" not in stored.file.name  # the patient's name for it stays in the row


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (PNG, "scan.PNG", "image/png"),
        (JPEG, "photo.jpeg", "image/jpeg"),
        (PDF, "x.png", "application/pdf"),
    ],
)
def test_the_type_is_read_from_the_content(record, as_user, linked, content, name, kind):
    body = upload(as_user(linked), record, content, name).json()
    assert body["content_type"] == kind
    assert body["filename"].endswith({"image/png": ".png", "image/jpeg": ".jpg"}.get(kind, ".pdf"))


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (EXE, "results.pdf", "unsupported_file_type"),
        (b"<html><script>alert(1)</script>", "page.pdf", "unsupported_file_type"),
        (b"", "empty.pdf", "validation_error"),
    ],
)
def test_what_is_not_a_pdf_png_or_jpeg_is_refused(record, as_user, linked, content, name, code):
    response = upload(as_user(linked), record, content, name)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "file" in error["fields"]
    assert Attachment.objects.count() == 0


def test_a_file_over_the_limit_is_refused(record, as_user, linked, settings):
    settings.HEALTH_RECORD_ATTACHMENT_MAX_BYTES = 1024 * 1024
    response = upload(as_user(linked), record, PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_too_large"
    assert "file" in response.json()["error"]["fields"]


def test_no_file_is_a_400(record, as_user, linked):
    response = as_user(linked).post(f"{URL}{record['id']}/attachments/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\lab.pdf", "lab.pdf"),
        ("x\u202egnp.pdf", "xgnp.pdf"),
        ('a<b>"c".pdf', "abc.pdf"),
        ("...", "attachment.pdf"),
        ("Blutbild Müller.pdf", "Blutbild Müller.pdf"),
    ],
)
def test_file_names_are_sanitized(record, as_user, linked, given, shown):
    body = upload(as_user(linked), record, PDF, given).json()
    assert body["filename"] == shown


def test_who_may_attach_and_read(
    record, as_user, linked, patient, other_patient, other_doctor, staff
):
    assert upload(as_user(patient), record, PDF).status_code == 403
    attached = upload(as_user(linked), record, PDF).json()
    for outsider in (other_patient, other_doctor, staff):
        client = as_user(outsider)
        assert upload(client, record, PDF).status_code == 404
        assert client.get(f"{URL}{record['id']}/attachments/").status_code == 404
        download = client.get(f"{URL}{record['id']}/attachments/{attached['id']}/")
        assert download.status_code == 404
    wrong_record = as_user(patient).get(f"{URL}{patient.pk}/attachments/{attached['id']}/")
    assert wrong_record.status_code == 404


def test_uploads_lists_and_downloads_are_audited(record, as_user, linked, patient):
    attached = upload(as_user(linked), record, PDF).json()
    reader = as_user(patient)
    reader.get(f"{URL}{record['id']}/attachments/")
    reader.get(f"{URL}{record['id']}/attachments/{attached['id']}/")
    events = AuditEvent.objects.filter(resource_type="health_record_attachment", patient=patient)
    assert sorted(events.values_list("action", flat=True)) == [
        AuditAction.CREATE, AuditAction.VIEW, AuditAction.VIEW
    ]  # fmt: skip


def test_a_retracted_record_takes_no_files(record, as_user, linked):
    doctor = as_user(linked)
    doctor.post(f"{URL}{record['id']}/entered-in-error/", {"reason": "Wrong patient"})
    assert upload(doctor, record, PDF).status_code == 409
