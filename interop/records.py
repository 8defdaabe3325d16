"""The clinical record as FHIR: Observation (vital signs, lab results), Condition,
AllergyIntolerance, Immunization (from health records) and MedicationRequest (one per
medication line of a prescription). Rows come through the records' own selectors (the patient
and the doctors linked to them); one row may give several resources (a vital-signs record
gives one Observation per measurement), so a search loads the matching rows once, pages the
resources, and audits the rows behind the page it shows."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import QuerySet

from appointments.selectors import appointment_list
from core.audit import audit_record, audit_records_bulk
from core.models import AuditAction
from health_records.models import HealthRecord, RecordType
from health_records.selectors import health_record_list
from interop.clinical import (
    allergy_intolerance_of,
    condition_of,
    immunization_of,
    medication_requests_of,
    observations_of,
)
from interop.people import appointment_of, patient_of
from interop.references import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    coding,
    concept,
    patient_reference,
)
from interop.resources import ID_PARAM, ResourceType, list_page, meta, not_found
from interop.search import (
    DateBound,
    Page,
    SearchParam,
    SearchRequest,
    clinic_zone,
    date_bounds,
    reference_id,
    token_code,
    uuid_or_none,
)
from patients.access import Access, chart_patient_for_actor, patients_visible_to
from patients.models import Patient
from prescriptions.models import Prescription
from prescriptions.selectors import prescription_list
from users.roles import is_clinic_staff


@dataclass(frozen=True)
class Found:
    """A resource and the row it was made from (what the audit log names)."""

    resource: dict
    row: Any


def _record_rows(actor, record_types: Iterable[str], request: SearchRequest) -> QuerySet:
    rows = (
        health_record_list(actor=actor, access=Access.ACT)
        .filter(record_type__in=list(record_types))
        .select_related("author__doctor_profile")
    )
    return _by_patient(rows, request)


def _by_patient(rows: QuerySet, request: SearchRequest) -> QuerySet:
    for values in request.any_of("patient"):
        ids = [uuid_or_none(reference_id(value, "Patient", name="patient")) for value in values]
        rows = rows.filter(patient_id__in=[found for found in ids if found is not None])
    return rows


def _audit_shown(actor, found: list[Found]) -> None:
    """One read event per row behind the resources shown (one insert)."""
    seen: dict[tuple[str, str], Any] = {}
    for item in found:
        row = item.row
        if isinstance(row, HealthRecord):
            seen[("health_record", str(row.record_id))] = row.patient.user_id
        elif isinstance(row, Patient):
            seen[(Patient.audit_resource_type, str(row.pk))] = row.user_id
        else:
            seen[(Prescription.audit_resource_type, str(row.pk))] = row.patient.user_id
    for resource_type in {key[0] for key in seen}:
        audit_records_bulk(
            actor=actor,
            action=AuditAction.VIEW,
            resource_type=resource_type,
            items=[(key[1], patient) for key, patient in seen.items() if key[0] == resource_type],
        )


def _codings(resource: dict, key: str) -> list[dict]:
    value = resource.get(key)
    concepts = value if isinstance(value, list) else [value] if value else []
    return [coding for found in concepts for coding in found.get("coding", [])]


def _token_matches(codings: list[dict], value: str) -> bool:
    system, code = token_code(value)
    return any(
        found.get("code") == code and (system is None or found.get("system") == system)
        for found in codings
    )


def _day_start(day: str) -> datetime:
    """A FHIR date (a day) as the instant its day starts on the clinic's clock."""
    return datetime.combine(date.fromisoformat(day[:10]), time.min, tzinfo=clinic_zone())


def _when(resource: dict) -> datetime | None:
    for key in ("effectiveDateTime", "occurrenceDateTime", "recordedDate", "authoredOn"):
        value = resource.get(key)
        if value:
            if len(value) == 10:
                return _day_start(value)
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return None


def _filter(
    found: list[Found], request: SearchRequest, tokens: dict[str, Callable[[dict], list[dict]]]
) -> list[Found]:
    """The search's token and date parameters, tested on the resources themselves."""
    for name, codings_of in tokens.items():
        for alternatives in request.any_of(name):
            found = [
                item
                for item in found
                if any(_token_matches(codings_of(item.resource), v) for v in alternatives)
            ]
    bounds: list[DateBound] = date_bounds(request, "date") if "date" in request.values else []
    for bound in bounds:
        found = [item for item in found if (when := _when(item.resource)) and bound.matches(when)]
    for alternatives in request.any_of("_id"):
        found = [item for item in found if item.resource["id"] in alternatives]
    return found


def _page(actor, found: list[Found], request: SearchRequest) -> Page:
    found.sort(key=lambda item: _when(item.resource) or datetime.min.replace(tzinfo=UTC))
    found.reverse()  # newest first, as the portal lists records
    page = list_page(found, request)
    shown = page.resources
    _audit_shown(actor, shown)
    return Page([item.resource for item in shown], page.total, request)


@dataclass(frozen=True)
class RecordResource:
    """A resource made from health records of some types."""

    name: str
    record_types: tuple[str, ...]
    to_resources: Callable[[HealthRecord], list[dict]]
    tokens: dict[str, Callable[[dict], list[dict]]]

    def search(self, actor, request: SearchRequest) -> Page:
        rows = _record_rows(actor, self.record_types, request)
        for alternatives in request.any_of("_id"):
            ids = [uuid_or_none(value[:36]) for value in alternatives]
            rows = rows.filter(record_id__in=[found for found in ids if found is not None])
        found = [Found(resource, row) for row in rows for resource in self.to_resources(row)]
        return _page(actor, _filter(found, request, self.tokens), request)

    def read(self, actor, resource_id: str) -> dict:
        record_id = uuid_or_none(resource_id[:36])
        row = (
            health_record_list(actor=actor, access=Access.ACT)
            .filter(record_id=record_id, record_type__in=self.record_types)
            .select_related("author__doctor_profile")
            .first()
            if record_id
            else None
        )
        resource = (
            next((found for found in self.to_resources(row) if found["id"] == resource_id), None)
            if row is not None
            else None
        )
        if resource is None:
            raise not_found(self.name, resource_id)
        _audit_shown(actor, [Found(resource, row)])
        return resource


def _one(mapper: Callable[[HealthRecord], dict]) -> Callable[[HealthRecord], list[dict]]:
    return lambda row: [mapper(row)]


OBSERVATIONS = RecordResource(
    "Observation",
    (RecordType.VITAL_SIGNS, RecordType.LAB_RESULT),
    observations_of,
    {
        "code": lambda resource: _codings(resource, "code"),
        "category": lambda resource: _codings(resource, "category"),
    },
)
CONDITIONS = RecordResource(
    "Condition",
    (RecordType.DIAGNOSIS,),
    _one(condition_of),
    {
        "code": lambda resource: _codings(resource, "code"),
        "clinical-status": lambda resource: _codings(resource, "clinicalStatus"),
    },
)
ALLERGIES = RecordResource(
    "AllergyIntolerance", (RecordType.ALLERGY,), _one(allergy_intolerance_of), {}
)

# The allergies a patient typed in their profile (free text): the portal's prescribing checks
# them too, so another system must see them, marked as the patient's own, unconfirmed word.
REPORTED = "reported"


def reported_allergy_of(patient: Patient) -> dict:
    return {
        "resourceType": "AllergyIntolerance",
        "id": f"{patient.pk}-{REPORTED}",
        "meta": meta(patient),
        "clinicalStatus": concept(coding(ALLERGY_CLINICAL, "active", "Active")),
        "verificationStatus": concept(coding(ALLERGY_VERIFICATION, "unconfirmed", "Unconfirmed")),
        "code": {"text": patient.allergies},
        "patient": patient_reference(patient),
        "asserter": patient_reference(patient),
        "note": [
            {"text": "As the patient wrote it in their profile; not confirmed by a clinician."}
        ],
    }


def _reporting_patients(actor, request: SearchRequest) -> QuerySet[Patient]:
    """Patients whose profile lists allergies, visible to the actor as a chart is (the patient
    and their linked doctors)."""
    rows = patients_visible_to(actor, access=Access.ACT).exclude(allergies="")
    if is_clinic_staff(actor):
        return rows.none()
    for values in request.any_of("patient"):
        ids = [uuid_or_none(reference_id(value, "Patient", name="patient")) for value in values]
        rows = rows.filter(pk__in=[found for found in ids if found is not None])
    return rows


def allergy_search(actor, request: SearchRequest) -> Page:
    rows = _record_rows(actor, ALLERGIES.record_types, request)
    for alternatives in request.any_of("_id"):
        ids = [uuid_or_none(value[:36]) for value in alternatives]
        rows = rows.filter(record_id__in=[found for found in ids if found is not None])
    found = [Found(allergy_intolerance_of(row), row) for row in rows]
    found += [Found(reported_allergy_of(row), row) for row in _reporting_patients(actor, request)]
    return _page(actor, _filter(found, request, {}), request)


def allergy_read(actor, resource_id: str) -> dict:
    if not resource_id.endswith(f"-{REPORTED}"):
        return ALLERGIES.read(actor, resource_id)
    patient_id = uuid_or_none(resource_id.removesuffix(f"-{REPORTED}"))
    patient = _reporting_patients(actor, SearchRequest()).filter(pk=patient_id).first()
    if patient_id is None or patient is None:
        raise not_found("AllergyIntolerance", resource_id)
    resource = reported_allergy_of(patient)
    _audit_shown(actor, [Found(resource, patient)])
    return resource


IMMUNIZATIONS = RecordResource(
    "Immunization", (RecordType.IMMUNIZATION,), _one(immunization_of), {}
)


# --- MedicationRequest --------------------------------------------------------------------


def _prescriptions(actor, request: SearchRequest) -> QuerySet[Prescription]:
    return _by_patient(prescription_list(actor=actor, access=Access.ACT), request)


def _status_of(resource: dict) -> list[dict]:
    return [{"code": resource["status"]}]


def medication_request_search(actor, request: SearchRequest) -> Page:
    rows = _prescriptions(actor, request)
    found = [Found(resource, row) for row in rows for resource in medication_requests_of(row)]
    return _page(actor, _filter(found, request, {"status": _status_of}), request)


def medication_request_read(actor, resource_id: str) -> dict:
    line_id = uuid_or_none(resource_id)
    row = (
        _prescriptions(actor, SearchRequest()).filter(lines__pk=line_id).first()
        if line_id
        else None
    )
    resource = (
        next((found for found in medication_requests_of(row) if found["id"] == resource_id), None)
        if row is not None
        else None
    )
    if resource is None:
        raise not_found("MedicationRequest", resource_id)
    _audit_shown(actor, [Found(resource, row)])
    return resource


def patient_everything(*, actor, patient_id) -> list[dict]:
    """Patient/$everything: the patient, their visits and their clinical resources, for the
    patient and the doctors linked to them (anyone else: 404). A fixed number of queries; the
    read is audited as one event naming what it held, as the chart summary is."""
    patient = chart_patient_for_actor(actor=actor, patient_id=patient_id)
    request = SearchRequest(values={"patient": [str(patient.pk)]})
    visits = appointment_list(actor=actor, access=Access.ACT).filter(patient=patient)
    resources = [patient_of(patient), *(appointment_of(visit) for visit in visits)]
    for kind in (OBSERVATIONS, CONDITIONS, ALLERGIES, IMMUNIZATIONS):
        rows = _record_rows(actor, kind.record_types, request)
        resources += [resource for row in rows for resource in kind.to_resources(row)]
    for row in _prescriptions(actor, request):
        resources += medication_requests_of(row)
    if patient.allergies:
        resources.append(reported_allergy_of(patient))
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        resource_type="patient_everything",
        resource_id=patient.pk,
        patient=patient.user,
        detail={"resources": dict(Counter(found["resourceType"] for found in resources))},
    )
    return resources


CLINICAL_PATIENT_PARAM = SearchParam("patient", "reference", "The patient: Patient/<id>.")
DATE_PARAM = "date: prefixes eq, ge, gt, le, lt."


def _resource_type(kind: RecordResource, documentation: str, *params: SearchParam):
    return ResourceType(
        name=kind.name,
        documentation=documentation,
        params=(ID_PARAM, CLINICAL_PATIENT_PARAM, *params),
        search=kind.search,
        read=kind.read,
    )


CLINICAL_ACCESS = "The patient and the doctors linked to them (clinic staff do not read charts)."

OBSERVATION = _resource_type(
    OBSERVATIONS,
    f"Vital signs (one per measurement, LOINC coded, UCUM units) and lab results. "
    f"{CLINICAL_ACCESS}",
    SearchParam("category", "token", "vital-signs or laboratory."),
    SearchParam("code", "token", "A LOINC code, e.g. http://loinc.org|8867-4."),
    SearchParam("date", "date", f"When it was measured, {DATE_PARAM}"),
)
CONDITION = _resource_type(
    CONDITIONS,
    f"Diagnoses, ICD-10 coded. {CLINICAL_ACCESS}",
    SearchParam("code", "token", "An ICD-10 code, e.g. E11.9."),
    SearchParam("clinical-status", "token", "active, recurrence, relapse, inactive, ..."),
)
ALLERGY_INTOLERANCE = ResourceType(
    name="AllergyIntolerance",
    documentation=(
        "Allergies recorded by clinicians, and those the patient listed in their profile "
        f"(verificationStatus unconfirmed, id <patient>-reported). {CLINICAL_ACCESS}"
    ),
    params=(ID_PARAM, CLINICAL_PATIENT_PARAM),
    search=allergy_search,
    read=allergy_read,
)
IMMUNIZATION = _resource_type(
    IMMUNIZATIONS,
    f"Vaccinations given. {CLINICAL_ACCESS}",
    SearchParam("date", "date", f"The day it was given, {DATE_PARAM}"),
)
MEDICATION_REQUEST = ResourceType(
    name="MedicationRequest",
    documentation=f"One per medication line of a prescription. {CLINICAL_ACCESS}",
    params=(
        ID_PARAM,
        CLINICAL_PATIENT_PARAM,
        SearchParam("status", "token", "active, completed, cancelled or entered-in-error."),
    ),
    search=medication_request_search,
    read=medication_request_read,
)
