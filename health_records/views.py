"""The health-record pages: a patient's records (the patient's own, or a linked doctor's view
of one patient), one record in words, its files, and a doctor's form to add a record. Reads go
through the app's selectors (audited as they are fetched), writes through its services."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator

from core.exceptions import ServiceError
from core.pages import add_service_error, filtered_page
from health_records import selectors, services
from health_records.filters import HealthRecordFilter
from health_records.forms import label_of, record_form_class
from health_records.models import HealthRecord, RecordType
from health_records.schemas import SCHEMAS, VitalSigns, shown_data
from patients.access import Access, chart_patient_for_actor, patient_for_actor
from patients.models import Patient
from users.pages import doctor_required, role_required
from users.roles import is_doctor

PAGE_SIZE = 20

# The unit of each vital sign, as the schema states it ("mmHg, 50 to 300" -> "mmHg").
VITAL_UNITS = {
    key: str(schema_field.help_text).split(",")[0]
    for key, schema_field in VitalSigns().fields.items()
}
FLAG_WORDS = {
    "low": "Low: below the reference range",
    "normal": "Normal: within the reference range",
    "high": "High: above the reference range",
}


@dataclass(frozen=True)
class ShownRecord:
    """A record as people read it: its facts in words, a one-line summary, and what is derived
    (a lab result's flag, a note's sanitized HTML)."""

    record: HealthRecord
    summary: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    flag: str | None = None
    html: str = ""


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _day(value: Any) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return str(value)


def _vital_facts(data: dict) -> list[tuple[str, str]]:
    facts = []
    if "systolic_mmhg" in data and "diastolic_mmhg" in data:
        facts.append(
            (
                "Blood pressure",
                f"{_number(data['systolic_mmhg'])}/{_number(data['diastolic_mmhg'])} "
                f"{VITAL_UNITS['systolic_mmhg']}",
            )
        )
    for key, unit in VITAL_UNITS.items():
        if key in data and key not in ("systolic_mmhg", "diastolic_mmhg"):
            facts.append((label_of(key), f"{_number(data[key])} {unit}"))
    return facts


def shown_record(record: HealthRecord) -> ShownRecord:
    data = shown_data(record.record_type, record.data)
    kind = record.record_type
    if kind == RecordType.VITAL_SIGNS:
        facts = _vital_facts(data)
        return ShownRecord(record, " · ".join(f"{k} {v}" for k, v in facts), facts)
    if kind == RecordType.LAB_RESULT:
        unit = data.get("unit", "")
        result = f"{_number(data.get('value'))} {unit}".strip()
        facts = [("Test", data.get("test_name", ""))]
        if data.get("loinc_code"):
            facts.append(("LOINC code", data["loinc_code"]))
        facts.append(("Result", result))
        low, high = data.get("reference_low"), data.get("reference_high")
        if low is not None or high is not None:
            shown_low = _number(low) if low is not None else "…"
            shown_high = _number(high) if high is not None else "…"
            facts.append(("Reference range", f"{shown_low} to {shown_high} {unit}".strip()))
        flag = data.get("flag")
        if flag:
            facts.append(("Flag", FLAG_WORDS[flag]))
        summary = f"{data.get('test_name', '')}: {result}" + (f" ({flag})" if flag else "")
        return ShownRecord(record, summary, facts, flag=flag)
    if kind == RecordType.DIAGNOSIS:
        status = str(data.get("clinical_status", "")).capitalize()
        facts = [
            ("ICD-10 code", data.get("icd10_code", "")),
            ("Description", data.get("description", "")),
            ("Clinical status", status),
        ]
        if data.get("onset_date"):
            facts.append(("Onset", _day(data["onset_date"])))
        summary = f"{data.get('icd10_code', '')} {data.get('description', '')} ({status.lower()})"
        return ShownRecord(record, summary, facts)
    if kind == RecordType.ALLERGY:
        severity = str(data.get("severity", "")).capitalize()
        facts = [("Substance", data.get("substance", ""))]
        if data.get("reaction"):
            facts.append(("Reaction", data["reaction"]))
        facts.append(("Severity", severity))
        return ShownRecord(record, f"{data.get('substance', '')} ({severity.lower()})", facts)
    if kind == RecordType.IMMUNIZATION:
        facts = [
            ("Vaccine", data.get("vaccine", "")),
            ("Dose number", _number(data.get("dose_number", ""))),
            ("Date given", _day(data.get("date", ""))),
        ]
        if data.get("lot"):
            facts.append(("Lot number", data["lot"]))
        summary = f"{data.get('vaccine', '')}, dose {_number(data.get('dose_number', ''))}"
        return ShownRecord(record, summary, facts)
    text = str(data.get("text", ""))
    return ShownRecord(record, Truncator(text).chars(120), html=data.get("html", ""))


def _list_patient(request: HttpRequest) -> Patient | None:
    """On a doctor's list, the one patient asked for (`?patient=`), linked to them or 404."""
    if not is_doctor(request.user):
        return None
    return chart_patient_for_actor(actor=request.user, patient_id=request.GET.get("patient", ""))


@role_required("patient", "doctor")
def record_list(request: HttpRequest) -> HttpResponse:
    """Newest first, by type; retracted records only when asked for (the API's filters)."""
    if is_doctor(request.user) and not request.GET.get("patient"):
        messages.info(request, "Choose a patient to see their records.")
        return redirect("my-patients")
    patient = _list_patient(request)
    filters, page = filtered_page(
        request,
        HealthRecordFilter,
        selectors.health_record_list(actor=request.user),
        page_size=PAGE_SIZE,
        fixed={"patient": str(patient.pk) if patient is not None else None},
    )
    return render(
        request,
        "health_records/record_list.html",
        {
            "patient": patient,
            "filters": filters,
            "page": page,
            "records": [shown_record(record) for record in page.object_list],
            "record_types": RecordType.choices,
        },
        status=200 if not filters.errors else 400,
    )


@role_required("patient", "doctor")
def record_page(request: HttpRequest, record_id) -> HttpResponse:
    record = selectors.health_record_get(actor=request.user, record_id=record_id)
    attachments = list(selectors.attachment_list(actor=request.user, record_id=record.record_id))
    return render(
        request,
        "health_records/record_page.html",
        {"shown": shown_record(record), "record": record, "attachments": attachments},
    )


@role_required("patient", "doctor")
def record_attachment(request: HttpRequest, record_id, attachment_id) -> HttpResponse:
    """The file, always as a download, with the API's headers."""
    attachment = selectors.attachment_get(
        actor=request.user, record_id=record_id, attachment_id=attachment_id
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@doctor_required
def record_new(request: HttpRequest, patient_id) -> HttpResponse:
    """Choose the type, then fill in that type's form; the service (and the type's schema in
    it) checks the values and each error lands next to its field."""
    patient = patient_for_actor(actor=request.user, patient_id=patient_id, access=Access.ACT)
    record_type = request.GET.get("type", "")
    if record_type not in SCHEMAS:
        return render(
            request,
            "health_records/record_type_choice.html",
            {"patient": patient, "record_types": RecordType.choices, "asked": record_type},
            status=400 if record_type else 200,
        )
    form = record_form_class(record_type)(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.health_record_create(
                actor=request.user,
                patient=patient,
                record_type=record_type,
                data=form.data_values(),
                recorded_at=form.cleaned_data["recorded_at"],
                request=request,
            )
        except ServiceError as exc:
            add_service_error(form, exc, field_map=form.field_map())
        else:
            messages.success(
                request,
                f"{RecordType(record_type).label} recorded for {patient.user.full_name}.",
            )
            return redirect("record-page", record_id=record.record_id)
    return render(
        request,
        "health_records/record_new.html",
        {
            "patient": patient,
            "form": form,
            "record_type": record_type,
            "type_label": RecordType(record_type).label,
            "action": f"{reverse('record-new', args=[patient.pk])}?type={record_type}",
        },
        status=400 if form.errors else 200,
    )
