"""Patient and Appointment as FHIR, read through the portal's one door to patient data
(patients.access, appointments.selectors): the same people see the same rows as in the REST
API, and every row shown is audited as it is fetched."""

from django.db.models import QuerySet

from appointments.models import Appointment, Status
from appointments.selectors import appointment_list
from core.admin_tools import accent_insensitive_search
from interop.references import PORTAL, instant, patient_reference, reference
from interop.resources import ID_PARAM, ResourceType, ids_filter, meta, not_found, queryset_page
from interop.search import (
    Page,
    SearchParam,
    SearchRequest,
    date_bounds,
    reference_id,
    token_code,
    token_codes,
    uuid_or_none,
)
from patients.access import patients_visible_to
from patients.models import Patient

PATIENT_SYSTEM = f"{PORTAL}:patient"


def _telecom(system: str, value: str, use: str | None = None) -> dict:
    found = {"system": system, "value": value}
    if use:
        found["use"] = use
    return found


def patient_of(patient: Patient) -> dict:
    """The patient's demographics and contacts. Insurance never leaves through FHIR."""
    user = patient.user
    resource: dict = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "meta": meta(patient),
        "identifier": [{"system": PATIENT_SYSTEM, "value": str(patient.pk)}],
        "active": user.is_active,
        "name": [{"use": "official", "text": user.full_name}],
        "telecom": [_telecom("email", user.email)],
        "gender": patient.sex,
    }
    if user.phone:
        resource["telecom"].insert(0, _telecom("phone", user.phone, "mobile"))
    if patient.date_of_birth:
        resource["birthDate"] = patient.date_of_birth.isoformat()
    if patient.address:
        resource["address"] = [{"text": patient.address}]
    if patient.emergency_contact_name or patient.emergency_contact_phone:
        contact: dict = {
            "relationship": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0131",
                            "code": "C",
                            "display": "Emergency Contact",
                        }
                    ],
                    "text": patient.emergency_contact_relationship or "Emergency contact",
                }
            ]
        }
        if patient.emergency_contact_name:
            contact["name"] = {"text": patient.emergency_contact_name}
        if patient.emergency_contact_phone:
            contact["telecom"] = [_telecom("phone", patient.emergency_contact_phone)]
        resource["contact"] = [contact]
    return resource


def _patient_ids(request: SearchRequest, name: str) -> list[list]:
    return [
        [uuid_or_none(reference_id(value, "Patient", name=name)) for value in values]
        for values in request.any_of(name)
    ]


def patient_search(actor, request: SearchRequest) -> Page:
    rows: QuerySet[Patient] = ids_filter(patients_visible_to(actor), request)
    for value in request.get("name"):
        rows = accent_insensitive_search(rows, value, ["user__full_name"])
    for values in request.any_of("gender"):
        rows = rows.filter(sex__in=[token_code(value)[1] for value in values])
    for bound in date_bounds(request, "birthdate"):
        # A birth date is a day: compare it with the day span of the value, on dates.
        day_lookups = bound.lookups("date_of_birth")
        rows = rows.filter(**{key: value.date() for key, value in day_lookups.items()})
    for values in request.any_of("identifier"):
        ids = [uuid_or_none(code) for code in token_codes(values, PATIENT_SYSTEM)]
        rows = rows.filter(pk__in=[found for found in ids if found is not None])
    return queryset_page(rows, request, patient_of)


def patient_read(actor, resource_id: str) -> dict:
    patient_id = uuid_or_none(resource_id)
    patient = patients_visible_to(actor).filter(pk=patient_id).first() if patient_id else None
    if patient is None:
        raise not_found("Patient", resource_id)
    return patient_of(patient)


# --- Appointment --------------------------------------------------------------------------

# The portal's statuses are FHIR's own names (appointments.models.Status).
FHIR_APPOINTMENT_STATUS = {status.value: status.value for status in Status}


def appointment_of(appointment: Appointment) -> dict:
    doctor, patient = appointment.doctor, appointment.patient
    practitioner_status = "needs-action" if appointment.status == Status.PENDING else "accepted"
    resource: dict = {
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "meta": meta(appointment),
        "status": FHIR_APPOINTMENT_STATUS[appointment.status],
        "start": instant(appointment.start),
        "end": instant(appointment.end),
        "minutesDuration": int((appointment.end - appointment.start).total_seconds() // 60),
        "created": instant(appointment.created_at),
        "participant": [
            {
                "actor": patient_reference(patient),
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": reference("Practitioner", doctor.pk, doctor.user.full_name),
                "required": "required",
                "status": practitioner_status,
            },
        ],
    }
    if appointment.reason:
        resource["description"] = appointment.reason
    if appointment.status == Status.CANCELLED and appointment.cancellation_reason:
        resource["cancelationReason"] = {"text": appointment.cancellation_reason}
    return resource


def appointment_search(actor, request: SearchRequest) -> Page:
    rows = ids_filter(appointment_list(actor=actor), request)
    for ids in _patient_ids(request, "patient"):
        rows = rows.filter(patient_id__in=[found for found in ids if found is not None])
    for values in request.any_of("practitioner"):
        ids = [uuid_or_none(reference_id(v, "Practitioner", name="practitioner")) for v in values]
        rows = rows.filter(doctor_id__in=[found for found in ids if found is not None])
    for values in request.any_of("status"):
        rows = rows.filter(status__in=[token_code(value)[1] for value in values])
    for bound in date_bounds(request, "date"):
        rows = rows.filter(**bound.lookups("start"))
    return queryset_page(rows, request, appointment_of)


def appointment_read(actor, resource_id: str) -> dict:
    appointment_id = uuid_or_none(resource_id)
    found = appointment_list(actor=actor).filter(pk=appointment_id).first()
    if appointment_id is None or found is None:
        raise not_found("Appointment", resource_id)
    return appointment_of(found)


PATIENT_PARAM = SearchParam("patient", "reference", "The patient: Patient/<id>.")

PATIENT = ResourceType(
    name="Patient",
    documentation=(
        "Patients: a patient reads their own record, a doctor their linked patients, clinic "
        "staff every patient. Insurance details are never included."
    ),
    params=(
        ID_PARAM,
        SearchParam("name", "string", "Words of the patient's name (any case, any accents)."),
        SearchParam("gender", "token", "female, male, other or unknown."),
        SearchParam("birthdate", "date", "Date of birth: prefixes eq, ge, gt, le, lt."),
        SearchParam("identifier", "token", f"The portal's patient id ({PATIENT_SYSTEM})."),
    ),
    search=patient_search,
    read=patient_read,
)
APPOINTMENT = ResourceType(
    name="Appointment",
    documentation=(
        "Visits: a patient's own, a doctor's own schedule, every visit for clinic staff."
    ),
    params=(
        ID_PARAM,
        PATIENT_PARAM,
        SearchParam("practitioner", "reference", "The doctor: Practitioner/<id>."),
        SearchParam("date", "date", "When the visit starts: prefixes eq, ge, gt, le, lt."),
        SearchParam("status", "token", ", ".join(FHIR_APPOINTMENT_STATUS) + "."),
    ),
    search=appointment_search,
    read=appointment_read,
)
