"""AI writes: run a symptom check or a risk score through the inference service and keep the
result in the patient's history. The service decides; these functions decide who may ask."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ai_client import client
from ai_client.models import RiskAssessment, SymptomCheck, Urgency
from ai_client.selectors import Recommendation, doctors_recommend
from core.audit import audit_record
from core.exceptions import DependencyUnavailable, NotAllowed, ValidationFailed
from core.models import AuditAction
from health_records.selectors import chart_facts
from patients.access import may_see_patient, own_patient_record
from patients.models import Patient, Sex
from users.models import User
from users.roles import is_doctor, is_patient

# The inputs a score takes that the patient's record and chart can fill in.
PREFILLED_FIELDS = {
    "bmi": ("weight_kg", "height_cm"),
    "blood-pressure": ("systolic", "diastolic"),
    "findrisc": ("age", "sex", "bmi"),
    "ascvd": ("age", "sex", "total_cholesterol", "hdl", "systolic", "smoker", "diabetic"),
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


def _checked_analysis(answer: Any) -> dict[str, Any]:
    """The service's analysis, if it has the shape this portal relies on; a 503 otherwise."""
    valid = (
        isinstance(answer, dict)
        and answer.get("urgency") in Urgency.values
        and isinstance(answer.get("booking_offered"), bool)
        and isinstance(answer.get("specialty"), str)
        and isinstance(answer.get("model_version"), str)
        and 0 < len(answer["model_version"]) <= 64
    )
    if not valid:
        raise DependencyUnavailable(client.UNAVAILABLE, code="ai_unavailable")
    return answer


@dataclass
class SymptomCheckOutcome:
    check: SymptomCheck
    recommendation: Recommendation | None  # None: no booking is offered (an emergency)


def symptom_check_run(
    *,
    actor: User,
    symptoms: list[str],
    text: str,
    now: datetime,
    request: HttpRequest | None = None,
) -> SymptomCheckOutcome:
    """A patient asks about their own symptoms. Unless the answer is an emergency (or the
    service offers no booking), real doctors of the specialty are offered with their next free
    slot."""
    patient = own_patient_record(actor)
    if patient is None:
        raise NotAllowed("Only patients can run a symptom check for themselves.")
    facts = patient_facts(patient, today=timezone.localdate(now))
    sent = {"symptoms": symptoms, "text": text, **facts}
    answer = _checked_analysis(client.request("POST", "/v1/symptoms/analyze", sent))
    recommendation = None
    if answer["booking_offered"] and answer["urgency"] != Urgency.EMERGENCY:
        recommendation = doctors_recommend(
            specialty=answer["specialty"], urgency=answer["urgency"], now=now
        )
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
    return SymptomCheckOutcome(check=check, recommendation=recommendation)


def _may_assess(actor: User, patient: Patient) -> bool:
    """The patient themself or a doctor linked to them (not staff: a score is clinical)."""
    return (is_patient(actor) or is_doctor(actor)) and may_see_patient(actor, patient)


def risk_assessment_run(
    *,
    actor: User,
    patient: Patient | None,
    score: str,
    inputs: dict[str, Any],
    today: date,
    request: HttpRequest | None = None,
) -> RiskAssessment:
    """A patient for themself, or a linked doctor for their patient. The record and the chart
    fill in what they know (age, sex, the latest vitals, cholesterol, smoking and diabetes
    diagnoses); what the caller gives wins. Without a patient, a patient assesses
    themself."""
    if patient is None:
        if not is_patient(actor):
            message = "Say which patient to assess."
            raise ValidationFailed(message, fields={"patient": [message]})
        patient = own_patient_record(actor)
    if patient is None or not _may_assess(actor, patient):
        raise NotAllowed("Only the patient or a doctor linked to them can assess their risk.")
    # The latest measurements, labs and diagnoses in the chart fill in what they know.
    facts = {**chart_facts(patient), **patient_facts(patient, today=today)}
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
    if not (isinstance(answer, dict) and isinstance(answer.get("version"), str)):
        raise DependencyUnavailable(client.UNAVAILABLE, code="ai_unavailable")
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            patient=patient,
            requested_by=actor,
            score=score,
            input={"values": sent, "prefilled": sorted(prefilled)},
            output=answer,
            model_version=answer["version"][:64],
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
