"""The patient's pages of the AI assistant: the symptom checker and the risk assessment. They
call the same services as the API (ai_client.services); the inference service decides."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ai_client import client, services
from ai_client.forms import FIELD_OF_INPUT, RiskAssessmentForm, SymptomCheckForm
from ai_client.models import RiskAssessment, RiskScore, Urgency
from core.exceptions import DependencyUnavailable, ServiceError, ValidationFailed
from core.pages import add_service_error, throttled
from health_records.selectors import chart_facts
from patients.access import own_patient_record
from users.pages import patient_required

# --- symptom checker -----------------------------------------------------------------------


def symptom_choices() -> list[tuple[str, str]]:
    """The symptoms the assistant knows (as the API's symptom list asks for them), by name.
    An answer of another shape means the service is not working."""
    answer = client.request("GET", "/v1/symptoms")
    if not isinstance(answer, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("code"), str)
        and isinstance(item.get("name"), str)
        for item in answer
    ):
        raise DependencyUnavailable(client.UNAVAILABLE, code="ai_unavailable")
    return sorted(((item["code"], item["name"]) for item in answer), key=lambda c: c[1].lower())


def likelihood(probability: Any) -> str:
    """A probability in words, for the ranked conditions."""
    if not isinstance(probability, int | float):
        return "possible"
    if probability >= 0.75:
        return "very likely"
    if probability >= 0.5:
        return "likely"
    if probability >= 0.25:
        return "possible"
    return "less likely"


@dataclass
class SymptomResult:
    """What the page shows of one answer."""

    urgency: str
    urgency_label: str
    advice: str
    specialty: str
    emergency: bool
    red_flags: list[dict]
    conditions: list[dict]
    present: list[str]
    negated: list[str]
    unknown_words: list[str]
    recommendation: Any  # ai_client.selectors.Recommendation, or None: no booking offered


def _names(items: Any) -> list[str]:
    return [str(item.get("name")) for item in items or [] if isinstance(item, dict)]


def symptom_result(outcome: services.SymptomCheckOutcome) -> SymptomResult:
    check = outcome.check
    answer = check.output
    red_flags = [flag for flag in answer.get("red_flags") or [] if isinstance(flag, dict)]
    # Red flags override everything: the page then offers no booking, whatever else it got.
    emergency = check.urgency == Urgency.EMERGENCY or bool(red_flags)
    conditions = [
        {
            "name": condition.get("name", ""),
            "likelihood": likelihood(condition.get("probability")),
            "percent": round(condition["probability"] * 100)
            if isinstance(condition.get("probability"), int | float)
            else None,
        }
        for condition in answer.get("conditions") or []
        if isinstance(condition, dict)
    ]
    recommendation = None if emergency else outcome.recommendation
    specialty = (
        outcome.recommendation.specialty_name
        if outcome.recommendation is not None
        else str(answer.get("specialty", "")).replace("-", " ").capitalize()
    )
    return SymptomResult(
        urgency=check.urgency,
        urgency_label=check.get_urgency_display(),
        advice=str(answer.get("advice", "")),
        specialty=specialty,
        emergency=emergency,
        red_flags=red_flags,
        conditions=conditions,
        present=_names(answer.get("symptoms_present")),
        negated=_names(answer.get("symptoms_negated")),
        unknown_words=[str(word) for word in answer.get("unknown_words") or []],
        recommendation=recommendation,
    )


def _kept_input(request: HttpRequest) -> SymptomCheckForm:
    """The form as it was sent, while the symptom list cannot be had: the text stays, and the
    picked codes stay ticked (by their codes)."""
    codes = [code[:64] for code in request.POST.getlist("symptoms")[:50]]
    return SymptomCheckForm(
        initial={"text": request.POST.get("text", "")[:10_000], "symptoms": codes},
        symptoms=[(code, code.replace("_", " ")) for code in dict.fromkeys(codes)],
    )


@patient_required
@require_http_methods(["GET", "HEAD", "POST"])
def symptom_check(request: HttpRequest) -> HttpResponse:
    """Free text or picked symptoms -> the ranked answer, the urgency, and doctors with their
    next free slot; for red flags an emergency banner and no booking."""
    unavailable = too_many = ""
    result = None
    try:
        choices = symptom_choices()
    except DependencyUnavailable as exc:
        choices, unavailable = None, exc.message
    if request.method != "POST":
        form = SymptomCheckForm(symptoms=choices or [])
    elif choices is None:
        form = _kept_input(request)
    else:
        form = SymptomCheckForm(request.POST, symptoms=choices)
        too_many = throttled(request, "ai")
        if too_many:  # the API's limit for the assistant, shared with the API
            form.is_valid()
            form.add_error(None, too_many)
        elif form.is_valid():
            try:
                outcome = services.symptom_check_run(
                    actor=request.user,
                    now=timezone.now(),
                    request=request,
                    symptoms=form.cleaned_data["symptoms"],
                    text=form.cleaned_data["text"],
                )
            except DependencyUnavailable as exc:
                unavailable = exc.message
            except ServiceError as exc:  # the service's word on the input (unknown codes)
                add_service_error(form, exc)
            else:
                result = symptom_result(outcome)
    if too_many:
        status = 429
    elif unavailable:
        status = 503
    elif form.is_bound and form.errors:
        status = 400
    else:
        status = 200
    return render(
        request,
        "ai_client/symptom_check.html",
        {
            "form": form,
            "result": result,
            "unavailable": unavailable,
            "picked_open": bool(form.is_bound and form.data.getlist("symptoms"))
            or bool(form.initial.get("symptoms")),
        },
        status=status,
    )


# --- risk assessment -----------------------------------------------------------------------

UNITS = {
    RiskScore.BMI: "kg/m²",
    RiskScore.BLOOD_PRESSURE: "mmHg",
    RiskScore.FINDRISC: "points out of 26",
    RiskScore.ASCVD: "% over 10 years",
}

MEANINGS = {
    RiskScore.BMI: {
        "underweight": "Your weight is low for your height. If you have lost weight without "
        "trying, talk to your doctor.",
        "normal weight": "Your weight is in the healthy range for your height.",
        "pre-obesity": "Your weight is a little above the healthy range for your height, which "
        "slightly raises the risk of diabetes and heart disease.",
        "obesity class I": "Your weight is above the healthy range for your height, which raises "
        "the risk of diabetes, heart disease and joint problems. Your doctor can help you plan "
        "what to do.",
        "obesity class II": "Your weight is well above the healthy range for your height, which "
        "clearly raises the risk of diabetes, heart disease and joint problems. Talk to your "
        "doctor about it.",
        "obesity class III": "Your weight is far above the healthy range for your height, which "
        "strongly raises the risk of diabetes, heart disease and joint problems. Talk to your "
        "doctor about it.",
    },
    RiskScore.BLOOD_PRESSURE: {
        "normal": "Your blood pressure is normal.",
        "elevated": "Your blood pressure is a little high. Healthy habits (less salt, more "
        "movement) can bring it down; have it checked again within a year.",
        "stage 1 hypertension": "Your blood pressure is high (stage 1). Have it checked again "
        "and talk to your doctor in the next few months.",
        "stage 2 hypertension": "Your blood pressure is high (stage 2). See your doctor within a "
        "month; medicine may be needed.",
        "hypertensive crisis": "Your blood pressure is very high. If you also have chest pain, "
        "shortness of breath, weakness, trouble speaking or a severe headache, call emergency "
        "services now. Otherwise measure again after a few minutes of rest and contact a "
        "doctor today.",
    },
    RiskScore.FINDRISC: {
        "low": "A low risk of developing type 2 diabetes.",
        "slightly elevated": "A slightly raised risk of developing type 2 diabetes.",
        "moderate": "A moderate risk of developing type 2 diabetes; more movement and a "
        "healthy weight lower it.",
        "high": "A high risk of developing type 2 diabetes. Ask your doctor for a blood sugar "
        "test.",
        "very high": "A very high risk of developing type 2 diabetes. Ask your doctor for a blood "
        "sugar test soon.",
    },
    RiskScore.ASCVD: {
        "low": "A low risk of a heart attack or stroke in the next 10 years.",
        "borderline": "A borderline risk of a heart attack or stroke in the next 10 years. "
        "Talk to your doctor about ways to lower it.",
        "intermediate": "An intermediate risk of a heart attack or stroke in the next 10 years. "
        "Your doctor may suggest medicine as well as healthy habits.",
        "high": "A high risk of a heart attack or stroke in the next 10 years. Talk to your "
        "doctor about lowering it.",
    },
}


@dataclass
class RiskResult:
    score: str
    name: str
    source: str
    value: Any
    unit: str
    category: str
    meaning: str
    in_numbers: str
    warning: bool


def risk_result(assessment: RiskAssessment) -> RiskResult:
    """One stored result, explained in words."""
    output = assessment.output
    score = assessment.score
    value = output.get("value")
    category = str(output.get("category", ""))
    detail = output.get("detail") if isinstance(output.get("detail"), dict) else {}
    in_numbers = ""
    pressures = [detail.get("systolic"), detail.get("diastolic")]
    if score == RiskScore.BLOOD_PRESSURE and all(isinstance(p, int | float) for p in pressures):
        value = f"{pressures[0]:g}/{pressures[1]:g}"
    elif score == RiskScore.FINDRISC and detail.get("ten_year_risk"):
        in_numbers = (
            f"Of people with this score, {detail['ten_year_risk']} develop type 2 diabetes "
            "within 10 years."
        )
    elif score == RiskScore.ASCVD and isinstance(value, int | float):
        in_numbers = (
            f"Of 100 people with these values, about {value:g} have a heart attack or stroke "
            "within 10 years."
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return RiskResult(
        score=score,
        name=str(output.get("score") or assessment.get_score_display()),
        source=str(output.get("source", "")),
        value=value,
        unit=UNITS.get(score, ""),
        category=category,
        meaning=MEANINGS.get(score, {}).get(category, ""),
        in_numbers=in_numbers,
        warning=category == "hypertensive crisis",
    )


def chart_initial(patient) -> dict[str, Any]:
    """The form's starting values: what the patient's record and chart say (as the service
    fills them in)."""
    if patient is None:
        return {}
    facts = {
        **chart_facts(patient),
        **services.patient_facts(patient, today=timezone.localdate()),
    }
    initial = {}
    for name, value in facts.items():
        field = FIELD_OF_INPUT.get(name, name)
        initial[field] = ("yes" if value else "no") if isinstance(value, bool) else value
    return initial


def _score_error(form: RiskAssessmentForm, score: str, exc: ValidationFailed) -> None:
    """A score's refusal next to the field it concerns, saying which score refused it."""
    label = RiskScore(score).label
    inputs = exc.fields.get("inputs") if isinstance(exc.fields.get("inputs"), dict) else {}
    fields: dict[str, list[str]] = {}
    for name, messages in inputs.items():
        field = FIELD_OF_INPUT.get(name, name)
        for message in messages if isinstance(messages, list) else [messages]:
            text = str(message)
            if text == "Field required":
                text = f"{label} needs this."
            elif field in form.fields and text.startswith(f"{name} "):
                text = f"{form.fields[field].label} {text[len(name) + 1 :]}"
            else:
                text = f"{label}: {text}"
            fields.setdefault(field, []).append(text)
    message = exc.message if fields else f"{label}: {exc.message}"
    add_service_error(form, ValidationFailed(message, code=exc.code, fields=fields))


@patient_required
@require_http_methods(["GET", "HEAD", "POST"])
def risk_assessment(request: HttpRequest) -> HttpResponse:
    """The published scores, pre-filled from the chart, each result explained in words."""
    patient = own_patient_record(request.user)
    initial = {"scores": [RiskScore.BMI, RiskScore.BLOOD_PRESSURE], **chart_initial(patient)}
    data = request.POST if request.method == "POST" else None
    form = RiskAssessmentForm(data, initial=initial)
    results: list[RiskResult] = []
    unavailable = ""
    too_many = throttled(request, "ai") if form.is_bound else ""
    if too_many:  # the API's limit for the assistant, shared with the API
        form.is_valid()
        form.add_error(None, too_many)
    elif form.is_bound and form.is_valid():
        # Every score's inputs are read before any runs: a score's refusal marks the field on
        # the form, which drops it from the cleaned data the next score would read.
        typed = {
            score: form.inputs_for(
                score,
                filled_by_chart={
                    FIELD_OF_INPUT.get(name, name)
                    for name in services.PREFILLED_FIELDS[score]
                    if FIELD_OF_INPUT.get(name, name) in initial
                },
            )
            for score in form.cleaned_data["scores"]
        }
        for score, inputs in typed.items():
            try:
                assessment = services.risk_assessment_run(
                    actor=request.user,
                    patient=None,
                    score=score,
                    inputs=inputs,
                    today=timezone.localdate(),
                    request=request,
                )
            except DependencyUnavailable as exc:
                unavailable = exc.message
                break
            except ValidationFailed as exc:
                _score_error(form, score, exc)
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                results.append(risk_result(assessment))
    if too_many:
        status = 429
    elif unavailable:
        status = 503
    elif form.is_bound and form.errors and not results:
        status = 400
    else:
        status = 200
    return render(
        request,
        "ai_client/risk_assessment.html",
        {"form": form, "results": results, "unavailable": unavailable},
        status=status,
    )
