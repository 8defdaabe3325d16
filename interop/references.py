"""How one resource names another, and the code systems the portal's resources use."""

from datetime import date, datetime
from typing import Any

ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
# The portal's own identifiers and codes (ids, licence numbers, specialties).
PORTAL = "urn:clinic-portal"


def reference(resource_type: str, resource_id: Any, display: str | None = None) -> dict:
    found = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        found["display"] = display
    return found


def patient_reference(patient: Any) -> dict:
    """A patient (its user loaded) as a reference."""
    return reference("Patient", patient.pk, patient.user.full_name)


def practitioner_reference(user: Any) -> dict:
    """The clinician who wrote something: their Practitioner when the account is a doctor's
    (`doctor_profile` loaded with the user: select_related("author__doctor_profile")), their
    name otherwise."""
    doctor = getattr(user, "doctor_profile", None) if _loaded(user, "doctor_profile") else None
    if doctor is not None:
        return reference("Practitioner", doctor.pk, user.full_name)
    return {"display": user.full_name}


def _loaded(instance: Any, relation: str) -> bool:
    """Whether a reverse one-to-one was loaded (found or known absent): reading it then costs
    no query."""
    return relation in instance._state.fields_cache


def instant(value: datetime) -> str:
    """An aware datetime as FHIR's dateTime/instant (UTC, seconds)."""
    return value.isoformat(timespec="seconds")


def fhir_date(value: date) -> str:
    return value.isoformat()


def coding(system: str, code: str, display: str | None = None) -> dict:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(*codings: dict, text: str | None = None) -> dict:
    found: dict[str, Any] = {}
    if codings:
        found["coding"] = list(codings)
    if text:
        found["text"] = text
    return found
