"""The chart, the prescription pages and the prescription form, with the allergy check."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.models import Appointment, Status
from core.models import AuditAction, AuditEvent
from health_records.services import health_record_create
from patients.tests.factories import make_patient
from prescriptions.models import MedicationLine, Prescription, PrescriptionStatus
from prescriptions.services import prescription_create

pytestmark = pytest.mark.django_db

LIST = "/prescriptions/"
LINE = {
    "drug_name": "Metformin",
    "strength": "500 mg",
    "form": "tablet",
    "dose": "1 tablet",
    "route": "oral",
    "frequency": "twice a day",
    "duration_days": 90,
    "quantity": 180,
    "refills": 2,
    "instructions": "With meals",
}


def chart_url(patient) -> str:
    return f"/patients/{patient.patient_profile.pk}/"


def new_url(patient) -> str:
    return f"/patients/{patient.patient_profile.pk}/prescriptions/new/"


def page_of(prescription) -> str:
    return f"/prescriptions/{prescription.pk}/"


def prescribe(doctor, patient, lines=None, **extra) -> Prescription:
    return prescription_create(
        actor=doctor, patient=patient.patient_profile, lines=lines or [LINE], **extra
    )


def allergy(doctor, patient, substance: str) -> None:
    health_record_create(
        actor=doctor,
        patient=patient.patient_profile,
        record_type="allergy",
        data={"substance": substance, "severity": "severe", "reaction": "Hives"},
    )


def visit(doctor, patient, days_ahead: int) -> Appointment:
    start = (timezone.now() + timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=30)
    return Appointment.objects.create(
        doctor=doctor.doctor_profile,
        patient=patient.patient_profile,
        start=start,
        end=end,
        held_start=start,
        held_end=end,
        status=Status.BOOKED,
        booked_by=doctor,
    )


def form_data(*lines: dict, notes: str = "", rows: int | None = None) -> dict:
    """The form as a browser posts it: every row, blank ones included."""
    rows = rows or max(3, len(lines))
    data = {
        "notes": notes,
        "lines-TOTAL_FORMS": str(rows),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20",
    }
    for index in range(rows):
        line = lines[index] if index < len(lines) else {}
        for name in (*LINE, "allergy_override_reason"):
            default = "oral" if name == "route" else ""
            data[f"lines-{index}-{name}"] = str(line.get(name, default))
    return data


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


def error_of(body: str, field_id: str) -> str:
    start = body.index(f'id="{field_id}_error"')
    return body[start : body.index("</", start + len(field_id) + 20) + 6]


# --- patient-chart -----------------------------------------------------------------------


def test_the_chart_shows_the_patient_at_a_glance(client, linked, patient):
    profile = patient.patient_profile
    profile.allergies = "Latex, peanuts"
    profile.save(update_fields=["allergies"])
    allergy(linked, patient, "Sulfonamides")
    health_record_create(
        actor=linked,
        patient=profile,
        record_type="vital_signs",
        data={"systolic_mmhg": 141, "diastolic_mmhg": 91, "heart_rate_bpm": 66},
    )
    health_record_create(
        actor=linked,
        patient=profile,
        record_type="diagnosis",
        data={"icd10_code": "I10", "description": "Hypertension", "clinical_status": "active"},
    )
    prescription = prescribe(linked, patient)
    appointment = visit(linked, patient, days_ahead=3)
    client.force_login(linked)
    response = client.get(chart_url(patient))
    assert response.status_code == 200
    body = response.content.decode()
    assert patient.full_name in body
    assert "Sulfonamides (severe)" in body and "Latex, peanuts" in body
    assert "141/91 mmHg" in body and "66 beats per minute" in body
    assert "I10 Hypertension (active)" in body
    assert page_of(prescription) in body and "Metformin 500 mg tablet" in body
    assert appointment.start.astimezone(timezone.get_current_timezone()).strftime("%Y") in body
    for link in (
        f"/records/?patient={profile.pk}",
        f"/prescriptions/?patient={profile.pk}",
        f"/patients/{profile.pk}/records/new/",
        f"/patients/{profile.pk}/prescriptions/new/",
    ):
        assert link in body


def test_an_empty_chart_says_so(client, linked, patient):
    client.force_login(linked)
    body = client.get(chart_url(patient)).content.decode()
    assert "No known allergies recorded." in body and "No active prescriptions." in body
    assert "Nothing booked." in body


def test_the_chart_read_is_audited(client, linked, patient):
    client.force_login(linked)
    client.get(chart_url(patient))
    event = AuditEvent.objects.get(action=AuditAction.VIEW, resource_type="patient_summary")
    assert (event.actor, event.patient) == (linked, patient)


def test_only_a_linked_doctor_opens_a_chart(
    client, linked, patient, other_patient, other_doctor, staff, admin_user
):
    assert_login_redirect(client.get(chart_url(patient)))
    for user in (patient, other_patient, other_doctor, staff, admin_user):
        client.force_login(user)
        assert client.get(chart_url(patient)).status_code == 404
    client.force_login(linked)
    assert client.get(chart_url(other_patient)).status_code == 404
    assert client.get("/patients/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_chart_queries_do_not_grow(client, linked, patient, django_assert_max_num_queries):
    def fill(copies: int, offset: int) -> None:
        for index in range(copies):
            allergy(linked, patient, f"Substance {offset + index}")
            prescribe(linked, patient, lines=[LINE, {**LINE, "drug_name": "Atorvastatin"}])
            visit(linked, patient, days_ahead=offset + index + 1)

    fill(2, 0)
    client.force_login(linked)
    few = queries(client, chart_url(patient))
    fill(18, 2)
    with django_assert_max_num_queries(8):
        response = client.get(chart_url(patient))
    assert response.content.count(b"Atorvastatin") == 20
    assert queries(client, chart_url(patient)) == few


# --- prescription-list -------------------------------------------------------------------


def test_the_patient_lists_their_prescriptions_by_status(client, linked, patient, other_patient):
    active = prescribe(linked, patient)
    done = prescribe(linked, patient, lines=[{**LINE, "drug_name": "Amlodipine"}])
    done.status = PrescriptionStatus.COMPLETED
    done.save(update_fields=["status"])
    client.force_login(patient)
    body = client.get(LIST).content.decode()
    assert page_of(active) in body and page_of(done) in body
    completed = client.get(LIST, {"status": "completed"}).content.decode()
    assert page_of(done) in completed and page_of(active) not in completed
    client.force_login(other_patient)
    assert page_of(active) not in client.get(LIST).content.decode()


def test_a_bad_status_filter_is_an_error_not_a_crash(client, patient):
    client.force_login(patient)
    response = client.get(LIST, {"status": "lost\u202e", "page": "-3"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_a_doctor_lists_one_linked_patients_prescriptions(client, linked, patient, other_patient):
    prescription = prescribe(linked, patient)
    client.force_login(linked)
    body = client.get(LIST, {"patient": str(patient.patient_profile.pk)}).content.decode()
    assert page_of(prescription) in body
    assert client.get(LIST, {"patient": str(other_patient.patient_profile.pk)}).status_code == 404
    assert client.get(LIST, {"patient": "1' OR 1=1"}).status_code == 404
    assert client.get(LIST).status_code == 302


def test_the_prescription_list_refuses_staff_and_visitors(client, staff):
    assert_login_redirect(client.get(LIST))
    client.force_login(staff)
    assert client.get(LIST).status_code == 404


@pytest.mark.parametrize("who", ["patient", "doctor"])
def test_the_prescription_list_queries_do_not_grow(
    client, linked, patient, who, django_assert_max_num_queries
):
    reader = patient if who == "patient" else linked
    url = f"{LIST}?patient={patient.patient_profile.pk}" if who == "doctor" else LIST
    for _ in range(2):
        prescribe(linked, patient, lines=[LINE, LINE])
    client.force_login(reader)
    few = queries(client, url)
    for _ in range(18):
        prescribe(linked, patient, lines=[LINE, LINE])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.count(b'<td><a href="/prescriptions/') == 20
    assert queries(client, url) == few
    assert AuditEvent.objects.filter(
        actor=reader, action=AuditAction.VIEW, resource_type="prescription"
    ).exists()


# --- prescription-page -------------------------------------------------------------------


def test_the_page_shows_every_line_in_full(client, linked, patient):
    prescription = prescribe(
        linked,
        patient,
        lines=[LINE, {**LINE, "drug_name": "Salbutamol", "route": "inhaled", "refills": 0}],
        notes="Review in three months",
    )
    client.force_login(patient)
    body = client.get(page_of(prescription)).content.decode()
    for text in (
        "Metformin 500 mg", "tablet", "1 tablet", "Oral", "twice a day", "90 days", "180",
        "With meals", "Salbutamol", "Inhaled", "Review in three months", linked.full_name,
    ):  # fmt: skip
        assert text in body, text
    assert "Mark as completed" not in body  # the patient has no such buttons
    assert AuditEvent.objects.filter(
        actor=patient, action=AuditAction.VIEW, resource_type="prescription"
    ).exists()


def test_a_prescription_is_only_its_patients_and_linked_doctors(
    client, linked, patient, other_patient, other_doctor, staff
):
    prescription = prescribe(linked, patient)
    assert_login_redirect(client.get(page_of(prescription)))
    for user in (other_patient, other_doctor, staff):
        client.force_login(user)
        assert client.get(page_of(prescription)).status_code == 404
    assert client.get("/prescriptions/not-a-uuid/").status_code == 404


def test_the_doctor_completes_with_a_reason(client, linked, patient):
    prescription = prescribe(linked, patient)
    client.force_login(linked)
    assert b"Mark as completed" in client.get(page_of(prescription)).content
    response = client.post(
        f"{page_of(prescription)}complete/", {"complete-reason": "Course finished ✓"}, follow=True
    )
    assert response.redirect_chain[-1][0] == page_of(prescription)
    prescription.refresh_from_db()
    assert prescription.status == "completed" and prescription.status_reason == "Course finished ✓"
    body = response.content.decode()
    assert "The prescription is completed." in body and "Mark as completed" not in body


def test_cancelling_needs_a_reason_shown_next_to_it(client, linked, patient):
    prescription = prescribe(linked, patient)
    client.force_login(linked)
    response = client.post(f"{page_of(prescription)}cancel/", {"cancel-reason": "   "})
    assert response.status_code == 400
    assert "Say why." in error_of(response.content.decode(), "id_cancel-reason")
    huge = client.post(f"{page_of(prescription)}cancel/", {"cancel-reason": "x" * 600})
    assert huge.status_code == 400 and b"at most 500 characters" in huge.content
    prescription.refresh_from_db()
    assert prescription.status == "active"


def test_a_finished_prescription_cannot_be_cancelled(client, linked, patient):
    prescription = prescribe(linked, patient)
    client.force_login(linked)
    client.post(f"{page_of(prescription)}complete/", {"complete-reason": "Done"})
    response = client.post(f"{page_of(prescription)}cancel/", {"cancel-reason": "Oops"})
    assert response.status_code == 400
    assert b"Only an active prescription" in response.content


def test_only_the_linked_doctor_finishes(client, linked, patient, other_doctor, staff):
    prescription = prescribe(linked, patient)
    url = f"{page_of(prescription)}cancel/"
    assert_login_redirect(client.post(url, {"cancel-reason": "x"}))
    for user in (patient, other_doctor, staff):
        client.force_login(user)
        assert client.post(url, {"cancel-reason": "x"}).status_code == 404
    client.force_login(linked)
    assert client.get(url).status_code == 405  # a GET changes nothing
    prescription.refresh_from_db()
    assert prescription.status == "active"


def test_the_prescription_page_queries_do_not_grow_with_its_lines(
    client, linked, patient, django_assert_max_num_queries
):
    few_lines = prescribe(linked, patient, lines=[LINE] * 2)
    many_lines = prescribe(linked, patient, lines=[LINE] * 20)
    client.force_login(linked)
    few = queries(client, page_of(few_lines))
    with django_assert_max_num_queries(8):
        response = client.get(page_of(many_lines))
    assert response.content.count(b"<dt>Dose</dt>") == 20
    assert queries(client, page_of(many_lines)) == few


# --- prescription-new --------------------------------------------------------------------


def test_the_form_offers_three_empty_lines_and_the_routes(client, linked, patient):
    client.force_login(linked)
    response = client.get(new_url(patient))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="lines-2-drug_name"' in body and 'name="lines-3-drug_name"' not in body
    assert '<option value="intramuscular">Intramuscular</option>' in body
    assert 'for="id_lines-0-drug_name"' in body
    assert "allergy_override_reason" not in body.split("<template")[0]


def test_a_doctor_prescribes_two_lines(client, linked, patient):
    client.force_login(linked)
    second = {**LINE, "drug_name": "Ibuprofen", "route": "oral", "refills": ""}
    response = client.post(
        new_url(patient), form_data(LINE, second, notes="Follow up"), follow=True
    )
    prescription = Prescription.objects.get()
    assert response.redirect_chain[-1][0] == page_of(prescription)
    assert prescription.notes == "Follow up" and prescription.doctor == linked.doctor_profile
    lines = list(prescription.lines.order_by("position"))
    assert [line.drug_name for line in lines] == ["Metformin", "Ibuprofen"]
    assert lines[1].refills == 0
    assert "saved" in response.content.decode()


def test_add_line_without_script_gives_one_more_row(client, linked, patient):
    client.force_login(linked)
    data = {**form_data(LINE), "add_line": "1"}
    response = client.post(new_url(patient), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="lines-3-drug_name"' in body and 'value="Metformin"' in body
    assert not Prescription.objects.exists()


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({**LINE, "drug_name": ""}, "drug_name", "This field is required."),
        ({**LINE, "duration_days": 0}, "duration_days", "A whole number from 1 to 365."),
        ({**LINE, "duration_days": 400}, "duration_days", "A whole number from 1 to 365."),
        ({**LINE, "duration_days": "ten"}, "duration_days", "Enter a whole number."),
        ({**LINE, "quantity": "-5"}, "quantity", "A whole number from 1 to"),
        ({**LINE, "refills": 13}, "refills", "A whole number from 0 to 12."),
        ({**LINE, "route": "telepathic"}, "route", "One of: oral"),
        ({**LINE, "route": ""}, "route", "This field is required."),
        ({**LINE, "drug_name": "M" * 201}, "drug_name", "at most 200 characters"),
        ({**LINE, "instructions": "ü" * 1001}, "instructions", "at most 1000 characters"),
    ],
)
def test_a_bad_line_is_shown_next_to_its_field_and_kept(
    client, linked, patient, line, field, message
):
    client.force_login(linked)
    response = client.post(new_url(patient), form_data(LINE, line))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in error_of(body, f"id_lines-1-{field}")
    assert 'value="Metformin"' in body  # the other line is kept as typed
    assert not Prescription.objects.exists()


def test_no_line_at_all_is_said_at_the_top(client, linked, patient):
    client.force_login(linked)
    response = client.post(new_url(patient), form_data())
    assert response.status_code == 400
    assert b"Give at least one medication." in response.content


def test_a_tampered_form_is_an_error_not_a_crash(client, linked, patient):
    client.force_login(linked)
    for data in ({"notes": "x"}, {**form_data(LINE), "lines-TOTAL_FORMS": "5000"}):
        response = client.post(new_url(patient), data)
        assert response.status_code == 400
    huge_notes = client.post(new_url(patient), form_data(LINE, notes="n" * 3000))
    assert huge_notes.status_code == 400 and b"at most 2000 characters" in huge_notes.content
    assert not Prescription.objects.exists()


def test_a_unicode_prescription_is_kept_as_written(client, linked, patient):
    client.force_login(linked)
    line = {**LINE, "drug_name": "Métformine", "instructions": "Nach dem Essen — 饭后 💊"}
    response = client.post(new_url(patient), form_data(line), follow=True)
    assert response.status_code == 200
    assert MedicationLine.objects.get().instructions == "Nach dem Essen — 饭后 💊"
    assert "饭后 💊" in response.content.decode()


def test_the_allergy_conflict_flow(client, linked, patient):
    allergy(linked, patient, "Penicillin")
    client.force_login(linked)
    amoxicillin = {**LINE, "drug_name": "Amoxicillin", "strength": "500 mg"}
    refused = client.post(new_url(patient), form_data(LINE, amoxicillin))
    assert refused.status_code == 400
    body = refused.content.decode()
    conflict = error_of(body, "id_lines-1-drug_name")
    assert "Recorded allergy &#x27;Penicillin&#x27;" in conflict and "a penicillin" in conflict
    assert 'name="lines-1-allergy_override_reason"' in body  # revealed on that line only
    assert 'name="lines-0-allergy_override_reason"' not in body.split("<template")[0]
    assert 'value="Amoxicillin"' in body
    assert not Prescription.objects.exists()

    reason = "Tolerated amoxicillin in 2023 under observation"
    saved = client.post(
        new_url(patient),
        form_data(LINE, {**amoxicillin, "allergy_override_reason": reason}),
        follow=True,
    )
    prescription = Prescription.objects.get()
    assert saved.redirect_chain[-1][0] == page_of(prescription)
    line = prescription.lines.get(position=1)
    assert line.allergy_override_reason == reason
    page = saved.content.decode()
    assert "Allergy conflict" in page and reason in page

    client.force_login(patient)
    assert reason in client.get(page_of(prescription)).content.decode()


def test_a_cross_reactivity_warning_is_shown_after_saving(client, linked, patient):
    allergy(linked, patient, "Penicillin")
    client.force_login(linked)
    response = client.post(
        new_url(patient), form_data({**LINE, "drug_name": "Cefalexin"}), follow=True
    )
    assert Prescription.objects.count() == 1
    body = response.content.decode()
    assert "Allergy warning" in body and "cross-reactivity with penicillins" in body


def test_only_a_linked_doctor_prescribes(
    client, linked, patient, other_patient, other_doctor, staff
):
    url = new_url(patient)
    assert_login_redirect(client.get(url))
    for user in (patient, other_patient, other_doctor, staff):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(LINE)).status_code == 404
    client.force_login(linked)
    assert client.get(new_url(other_patient)).status_code == 404
    unlinked = make_patient()
    assert client.get(f"/patients/{unlinked.pk}/prescriptions/new/").status_code == 404
    assert not Prescription.objects.exists()


def test_a_drug_the_table_does_not_know_is_flagged_on_the_page(client, linked, patient):
    allergy(linked, patient, "Penicillin")
    misspelt = prescribe(linked, patient, lines=[{**LINE, "drug_name": "Amoxicilin"}])
    known = prescribe(linked, patient)  # metformin is in the table
    client.force_login(linked)
    page = client.get(page_of(misspelt)).content.decode()
    assert "is not in the clinic's drug table (is it spelt right?)" in page
    assert "not in the clinic's drug table" not in client.get(page_of(known)).content.decode()
