"""AI writes: run a symptom check or a risk score through the inference service and keep the
result in the patient's history. The service decides; these functions decide who may ask."""

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from ai_client import client
from ai_client.models import RiskAssessment, SymptomCheck
from core.audit import audit_record
from core.exceptions import NotAllowed, ValidationFailed
from core.models import AuditAction
from doctors.selectors import doctor_for_user
from patients.access import doctor_is_linked
from patients.models import Patient, Sex
from patients.selectors import patient_for_user
from users.models import Role, User
from users.services import role_of

# The inputs a score takes that a patient's record can fill in.
PREFILLED_FIELDS = {
    "bmi": (),
    "blood-pressure": (),
    "findrisc": ("age", "sex"),
    "ascvd": ("age", "sex"),
}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def patient_facts(patient: Patient, *, today: date) -> dict[str, Any]:
    """What the record says that a score or the triage can use: age and (binary) sex."""
    facts: dict[str, Any] = {}
    if patient.date_of_birth:
        facts["age"] = age_on(patient.date_of_birth, today)
    if patient.sex in (Sex.FEMALE, Sex.MALE):
        facts["sex"] = patient.sex
    return facts


def symptom_check_run(
    *, actor: User, symptoms: list[str], text: str, today: date, request: HttpRequest | None = None
) -> SymptomCheck:
    """A patient asks about their own symptoms."""
    patient = patient_for_user(actor) if role_of(actor) == Role.PATIENT else None
    if patient is None:
        raise NotAllowed("Only patients can run a symptom check for themselves.")
    sent = {"symptoms": symptoms, "text": text, **patient_facts(patient, today=today)}
    answer = client.request("POST", "/v1/symptoms/analyze", sent)
    with transaction.atomic():
        check = SymptomCheck.objects.create(
            patient=patient,
            requested_by=actor,
            input=sent,
            output=answer,
            urgency=answer["urgency"],
            model_version=answer["model_version"],
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            resource_type="symptom_check",
            resource_id=check.pk,
            patient=patient.user,
            request=request,
            detail={"urgency": check.urgency},
        )
    return check


def _may_assess(actor: User, patient: Patient) -> bool:
    role = role_of(actor)
    if role == Role.PATIENT:
        return patient.user_id == actor.pk
    if role == Role.DOCTOR:
        doctor = doctor_for_user(actor)
        return doctor is not None and doctor_is_linked(doctor=doctor, patient=patient)
    return False


def risk_assessment_run(
    *,
    actor: User,
    patient: Patient,
    score: str,
    inputs: dict[str, Any],
    today: date,
    request: HttpRequest | None = None,
) -> RiskAssessment:
    """A patient for themself, or a linked doctor for their patient. The record fills in what
    it knows (age, sex); what the caller gives wins."""
    if not _may_assess(actor, patient):
        raise NotAllowed("Only the patient or a doctor linked to them can assess their risk.")
    facts = patient_facts(patient, today=today)
    prefilled = {
        name: facts[name]
        for name in PREFILLED_FIELDS[score]
        if name in facts and name not in inputs
    }
    sent = {**prefilled, **inputs}
    try:
        answer = client.request("POST", f"/v1/risk/{score}", sent)
    except ValidationFailed as exc:  # the score's own rules: out of range, missing input
        raise ValidationFailed(exc.message, code=exc.code, fields={"inputs": exc.fields}) from exc
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            patient=patient,
            requested_by=actor,
            score=score,
            input={"values": sent, "prefilled": sorted(prefilled)},
            output=answer,
            model_version=answer.get("version", "")[:64],
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            resource_type="risk_assessment",
            resource_id=assessment.pk,
            patient=patient.user,
            request=request,
            detail={"score": score},
        )
    return assessment
