"""The symptom checker and risk assessment pages, through Django's test client, with the
inference service replaced by a handler (conftest.FakeInference)."""

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import unquote

import httpx
import pytest
from django.utils import timezone
from django.utils.html import escape
from rest_framework.throttling import ScopedRateThrottle

from ai_client.models import RiskAssessment, SymptomCheck
from ai_client.tests.conftest import ANALYSIS
from ai_client.views import MEANINGS
from doctors.tests.factories import make_doctor
from health_records.services import health_record_create
from patients.models import Patient

pytestmark = pytest.mark.django_db

CHECK = "/symptom-check/"
RISK = "/risk/"
DISCLAIMER = "This is not a diagnosis."
EVERY_DAY = {day: (time(8), time(18)) for day in range(7)}
SYMPTOMS = [
    {"code": "itching", "name": "Itching"},
    {"code": "chest_pain", "name": "Chest pain"},
    {"code": "shortness_of_breath", "name": "Shortness of breath"},
]
RED_FLAG = {
    "urgency": "emergency",
    "advice": "Call emergency services now (112 in Europe, 911 in the US and Canada).",
    "specialty": "emergency-medicine",
    "booking_offered": False,
    "red_flags": [
        {
            "code": "possible_heart_attack",
            "message": "Chest pain with shortness of breath can be a heart attack.",
        }
    ],
    "conditions": [],
}


@pytest.fixture
def service(fake_inference):
    """The symptom list, and an analysis of the test's choosing (routine by default)."""
    fake_inference.answer = {}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/symptoms":
            return httpx.Response(200, json=SYMPTOMS)
        return fake_inference.analysis(request, **fake_inference.answer)

    fake_inference.handler = answer
    return fake_inference


def analyses(fake) -> list[httpx.Request]:
    return [call for call in fake.calls if call.url.path == "/v1/symptoms/analyze"]


@pytest.fixture
def dermatologist(db):
    return make_doctor(specialties=("Dermatology",), weekly=EVERY_DAY, timezone="UTC")


def signed_in(client, user):
    client.force_login(user)
    return client


# --- symptom checker -----------------------------------------------------------------------


def test_the_form_offers_free_text_and_the_known_symptoms(client, patient, service):
    response = signed_in(client, patient).get(CHECK)
    assert response.status_code == 200
    html = response.content.decode()
    assert DISCLAIMER in html
    assert 'name="text"' in html
    for symptom in SYMPTOMS:
        assert f'value="{symptom["code"]}"' in html and symptom["name"] in html
    assert re.search(r'<label[^>]*for="id_text"', html)
    assert not analyses(service)


def test_a_routine_answer_ranks_conditions_and_offers_a_doctor_to_book(
    client, patient, service, dermatologist
):
    response = signed_in(client, patient).post(CHECK, {"text": "itchy skin on my arms"})
    assert response.status_code == 200
    html = response.content.decode()
    assert DISCLAIMER in html
    assert "Eczema" in html and "likely" in html and "about 71 in 100" in html
    assert ANALYSIS["advice"] in html and "Dermatology" in html
    assert escape(dermatologist.user.full_name) in html
    assert 'role="alert"' not in html
    links = re.findall(r'href="(/book/[^"]+)"', html)
    assert len(links) == 1
    link = links[0].replace("&amp;", "&")
    assert link.startswith(f"/book/{dermatologist.pk}/confirm/?start=")
    start = datetime.fromisoformat(unquote(link.split("?start=", 1)[1]))
    assert start.tzinfo is not None and start >= timezone.now() - timedelta(minutes=30)
    assert "Book this slot" in html
    check = SymptomCheck.objects.get()
    assert check.patient.user == patient and check.input["text"] == "itchy skin on my arms"
    assert service.sent() == {"symptoms": [], "text": "itchy skin on my arms", **check.input}


def test_picked_symptoms_are_sent_as_codes(client, patient, service):
    response = signed_in(client, patient).post(CHECK, {"symptoms": ["itching", "chest_pain"]})
    assert response.status_code == 200
    assert service.sent()["symptoms"] == ["itching", "chest_pain"]
    assert re.search(r'value="itching"[^>]*checked', response.content.decode())


def test_a_red_flag_shows_the_emergency_banner_and_offers_no_booking(
    client, patient, service, dermatologist
):
    service.answer = RED_FLAG
    response = signed_in(client, patient).post(
        CHECK, {"text": "crushing chest pain and I can't breathe"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    banner = re.search(
        r'<section class="emergency" role="alert"[^>]*>(.*?)</section>', html, re.DOTALL
    )
    assert banner, html
    assert "<h2" in banner.group(1)
    assert "heart attack" in banner.group(1) and "Call emergency services now" in banner.group(1)
    assert DISCLAIMER in html
    assert "/confirm/" not in html and "Book this slot" not in html
    assert escape(dermatologist.user.full_name) not in html
    assert SymptomCheck.objects.get().urgency == "emergency"


def test_red_flags_hide_doctors_even_if_the_answer_offers_booking(
    client, patient, service, dermatologist
):
    service.answer = {**RED_FLAG, "urgency": "urgent", "booking_offered": True}
    html = signed_in(client, patient).post(CHECK, {"text": "chest pain"}).content.decode()
    assert 'class="emergency" role="alert"' in html
    assert "/confirm/" not in html and escape(dermatologist.user.full_name) not in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Choose at least one symptom or describe how you feel."),
        ({"text": "   "}, "Choose at least one symptom or describe how you feel."),
        ({"text": "x" * 10_000}, "at most 2000 characters"),
        ({"symptoms": ["elbow_wobble"]}, "Select a valid choice"),
        ({"text": "itchy\x00skin"}, "Null characters are not allowed."),
        ({"symptoms": ["itching"] * 51}, "Pick at most 50 symptoms."),
    ],
    ids=["nothing", "blank", "huge-text", "unknown-code", "nul", "too-many"],
)
def test_bad_input_shows_the_form_with_the_error(client, patient, service, body, message):
    response = signed_in(client, patient).post(CHECK, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(message) in html and DISCLAIMER in html
    assert not analyses(service)
    assert not SymptomCheck.objects.exists()


def test_the_services_refusal_of_a_code_shows_next_to_the_symptoms(client, patient, service):
    def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/symptoms":
            return httpx.Response(200, json=SYMPTOMS)
        message = "Unknown symptom codes: itching."
        return httpx.Response(
            422,
            json={"error": {"code": "unknown_symptoms", "message": message,
                            "fields": {"symptoms": [message]}}},
        )  # fmt: skip

    service.handler = refuse
    response = signed_in(client, patient).post(CHECK, {"symptoms": ["itching"], "text": "itchy"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown symptom codes: itching." in html
    assert re.search(r">\s*itchy</textarea>", html) and DISCLAIMER in html
    assert not SymptomCheck.objects.exists()


def test_a_dead_service_gives_503_and_keeps_the_text(client, patient, dead_inference):
    page = signed_in(client, patient)
    shown = page.get(CHECK)
    assert shown.status_code == 503
    assert "unavailable" in shown.content.decode() and DISCLAIMER in shown.content.decode()
    response = page.post(CHECK, {"text": "a rash on my élbow ✓", "symptoms": ["itching"]})
    assert response.status_code == 503
    html = response.content.decode()
    assert "The AI assistant is unavailable right now" in html
    assert re.search(r">\s*a rash on my élbow ✓</textarea>", html)
    assert re.search(r'value="itching"[^>]*checked', html)
    assert DISCLAIMER in html
    assert not SymptomCheck.objects.exists()


def test_an_analysis_that_fails_gives_503_and_keeps_the_input(client, patient, service):
    def failing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/symptoms":
            return httpx.Response(200, json=SYMPTOMS)
        return httpx.Response(500, json={})

    service.handler = failing
    response = signed_in(client, patient).post(CHECK, {"text": "itchy", "symptoms": ["itching"]})
    assert response.status_code == 503
    html = response.content.decode()
    assert "unavailable" in html and re.search(r">\s*itchy</textarea>", html)
    assert re.search(r'value="itching"[^>]*checked', html)


def test_a_symptom_list_of_the_wrong_shape_is_a_503(client, patient, fake_inference):
    fake_inference.handler = lambda request: httpx.Response(200, json={"symptoms": "all"})
    assert signed_in(client, patient).get(CHECK).status_code == 503


def test_anonymous_visitors_are_sent_to_sign_in(client, service):
    for url in (CHECK, RISK):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/accounts/login/?next={url}")
    assert client.post(CHECK, {"text": "cough"}).status_code == 302
    assert not service.calls


@pytest.mark.parametrize("role", ["doctor", "staff", "admin_user"])
def test_other_roles_get_404(client, request, role, service):
    page = signed_in(client, request.getfixturevalue(role))
    for url in (CHECK, RISK):
        assert page.get(url).status_code == 404
    assert page.post(CHECK, {"text": "cough"}).status_code == 404
    assert page.post(RISK, {"scores": ["bmi"], "weight_kg": "70"}).status_code == 404
    assert not service.calls


# The run itself (ai_client.services.symptom_check_run) makes 10 statements: the patient, the
# specialty's name, its doctors, their windows, time off and bookings, the stored check and its
# audit event, inside a transaction (a savepoint pair in tests). With the signed-in user and the
# navigation's unread count that is 12, whatever the number of doctors.
RESULT_PAGE_QUERIES = 12


@pytest.mark.parametrize("doctors", [2, 20])
def test_the_result_page_costs_the_same_queries_for_any_number_of_doctors(
    client, patient, service, django_assert_max_num_queries, doctors
):
    for _ in range(doctors):
        make_doctor(specialties=("Dermatology",), weekly=EVERY_DAY, timezone="UTC")
    page = signed_in(client, patient)
    with django_assert_max_num_queries(RESULT_PAGE_QUERIES):
        response = page.post(CHECK, {"text": "itchy"})
    assert response.content.decode().count("Book this slot</a>") == min(doctors, 3)


def test_the_form_page_costs_at_most_8_queries(
    client, patient, service, django_assert_max_num_queries
):
    page = signed_in(client, patient)
    with django_assert_max_num_queries(8):
        assert page.get(CHECK).status_code == 200


# --- risk assessment -----------------------------------------------------------------------

RESULTS = {
    "bmi": {"value": 31.1, "category": "obesity class I", "detail": {}},
    "blood-pressure": {
        "value": 138,
        "category": "stage 1 hypertension",
        "detail": {"systolic": 138, "diastolic": 85},
    },
    "findrisc": {
        "value": 12,
        "category": "moderate",
        "detail": {"points": {}, "ten_year_risk": "about 1 in 6"},
    },
    "ascvd": {"value": 8.4, "category": "intermediate", "detail": {}},
}


@pytest.fixture
def risk_service(fake_inference):
    """Answers each score as the service does, naming it."""

    def answer(request: httpx.Request) -> httpx.Response:
        score = request.url.path.rsplit("/", 1)[-1]
        body = {"version": "0.1.0", "score": f"The {score} score", "source": "A publication"}
        return httpx.Response(200, json={**body, **RESULTS[score]})

    fake_inference.handler = answer
    return fake_inference


@pytest.fixture
def charted(patient, doctor, link):
    """`patient` born 1970 (female), with a vital-signs record written by a linked doctor."""
    chart = Patient.objects.get(user=patient)
    Patient.objects.filter(pk=chart.pk).update(date_of_birth=date(1970, 3, 1), sex="female")
    chart.refresh_from_db()
    link(doctor, patient)
    health_record_create(
        actor=doctor,
        patient=chart,
        record_type="vital_signs",
        data={"systolic_mmhg": 138, "diastolic_mmhg": 85, "weight_kg": 90, "height_cm": 170},
    )
    return chart


CHARTED = {"weight_kg": 90, "height_cm": 170, "systolic": 138, "diastolic": 85, "bmi": 31.1}


def value_of(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    found = re.search(r'value="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


def test_the_risk_form_is_prefilled_from_the_chart(client, patient, charted, risk_service):
    response = signed_in(client, patient).get(RISK)
    assert response.status_code == 200
    html = response.content.decode()
    assert DISCLAIMER in html
    prefilled = {name: float(value_of(html, name) or "nan") for name in CHARTED}
    assert prefilled == CHARTED
    age = int(value_of(html, "age"))
    assert 55 <= age <= 57
    assert re.search(r'<option value="female" selected>', html)
    assert re.search(r'<label[^>]*for="id_weight_kg"', html)
    assert not risk_service.calls


def test_a_patient_without_a_chart_gets_an_empty_form(client, patient, risk_service):
    html = signed_in(client, patient).get(RISK).content.decode()
    assert value_of(html, "weight_kg") is None


def test_the_results_are_explained_in_words(client, patient, charted, risk_service):
    body = {"scores": ["bmi", "blood-pressure"], "weight_kg": "90", "height_cm": "170",
            "systolic": "138", "diastolic": "85", "age": "56", "sex": "female"}  # fmt: skip
    response = signed_in(client, patient).post(RISK, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert DISCLAIMER in html
    assert "The bmi score" in html and "31.1" in html and "Obesity class I" in html
    assert "above the healthy range" in html
    assert "The blood-pressure score" in html and "138/85" in html
    assert "Stage 1 hypertension" in html and "high (stage 1)" in html
    assert RiskAssessment.objects.filter(patient=charted).count() == 2
    # What the chart said and nobody changed is left for the service to fill in (and record).
    bmi = RiskAssessment.objects.get(score="bmi")
    assert bmi.input == {"values": {"weight_kg": 90, "height_cm": 170},
                         "prefilled": ["height_cm", "weight_kg"]}  # fmt: skip


def test_a_changed_value_wins_over_the_chart(client, patient, charted, risk_service):
    body = {"scores": ["bmi"], "weight_kg": "84.5", "height_cm": "170"}
    assert signed_in(client, patient).post(RISK, body).status_code == 200
    assert risk_service.sent() == {"weight_kg": 84.5, "height_cm": 170}
    assert RiskAssessment.objects.get().input["prefilled"] == ["height_cm"]


def test_more_scores_at_once_with_yes_no_answers(client, patient, charted, risk_service):
    body = {
        "scores": ["findrisc", "ascvd"], "age": "56", "sex": "female", "bmi": "31.1",
        "waist_cm": "92", "physically_active": "yes", "eats_vegetables_daily": "no",
        "blood_pressure_medication": "no", "history_of_high_glucose": "no",
        "family_history": "none", "race": "white", "total_cholesterol": "201",
        "hdl": "48", "systolic": "138", "smoker": "no", "diabetic": "no",
    }  # fmt: skip
    response = signed_in(client, patient).post(RISK, body)
    assert response.status_code == 200, response.content
    html = response.content.decode()
    assert "about 1 in 6" in html and "about 8.4 have a heart attack or stroke" in html
    assert [call.url.path for call in risk_service.calls] == [
        "/v1/risk/findrisc",
        "/v1/risk/ascvd",
    ]
    sent = risk_service.sent(0)
    assert sent["physically_active"] is True and sent["eats_vegetables_daily"] is False
    assert sent["takes_blood_pressure_medication"] is False
    assert risk_service.sent(1)["on_blood_pressure_treatment"] is False
    assert risk_service.sent(1)["smoker"] is False


def test_a_refusal_out_of_range_shows_next_to_its_field(client, patient, fake_inference):
    message = "weight_kg must be between 20 and 350 for Body mass index, WHO classification; got 5."
    fake_inference.handler = lambda request: httpx.Response(
        422,
        json={"error": {"code": "out_of_range", "message": message,
                        "fields": {"weight_kg": [message]}}},
    )  # fmt: skip
    body = {"scores": ["bmi"], "weight_kg": "5", "height_cm": "170"}
    response = signed_in(client, patient).post(RISK, body)
    assert response.status_code == 400
    html = response.content.decode()
    field = re.search(r'name="weight_kg".*?</div>\s*</div>', html, re.DOTALL).group(0)
    assert "Weight (kg) must be between 20 and 350" in field
    assert value_of(html, "weight_kg") == "5"
    assert DISCLAIMER in html
    assert not RiskAssessment.objects.exists()


def test_a_missing_input_names_the_score_that_needs_it(client, patient, fake_inference):
    fake_inference.handler = lambda request: httpx.Response(
        422,
        json={"error": {"code": "validation_error", "message": "hdl: Field required",
                        "fields": {"hdl": ["Field required"]}}},
    )  # fmt: skip
    response = signed_in(client, patient).post(RISK, {"scores": ["ascvd"]})
    assert response.status_code == 400
    assert "10-year ASCVD risk (pooled cohort equations) needs this." in response.content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"weight_kg": "70"}, "Choose at least one score."),
        ({"scores": ["horoscope"]}, "Select a valid choice"),
        ({"scores": ["bmi"], "weight_kg": "heavy"}, "Enter a number."),
        ({"scores": ["bmi"], "weight_kg": "1e999"}, "Enter a number."),
        ({"scores": ["ascvd"], "age": "forty"}, "Enter a whole number."),
        ({"scores": ["ascvd"], "smoker": "sometimes"}, "Select a valid choice"),
        ({"scores": ["ascvd"], "race": "martian"}, "Select a valid choice"),
    ],
    ids=["no-score", "unknown-score", "word", "infinite", "age", "yes-no", "choice"],
)
def test_bad_risk_input_shows_the_form_with_the_error(client, patient, risk_service, body, message):
    response = signed_in(client, patient).post(RISK, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert escape(message) in html and DISCLAIMER in html
    if "weight_kg" in body:
        assert value_of(html, "weight_kg") == body["weight_kg"]
    assert not risk_service.calls
    assert not RiskAssessment.objects.exists()


def test_a_dead_service_gives_503_and_keeps_the_input(client, patient, dead_inference):
    body = {"scores": ["bmi"], "weight_kg": "71.5", "height_cm": "170"}
    response = signed_in(client, patient).post(RISK, body)
    assert response.status_code == 503
    html = response.content.decode()
    assert "unavailable" in html and DISCLAIMER in html
    assert value_of(html, "weight_kg") == "71.5"
    assert not RiskAssessment.objects.exists()


def test_the_risk_page_costs_few_queries(
    client, patient, charted, risk_service, django_assert_max_num_queries
):
    page = signed_in(client, patient)
    with django_assert_max_num_queries(8):
        assert page.get(RISK).status_code == 200


# --- against the real inference service ------------------------------------------------------


def test_the_real_service_a_red_flag_and_a_routine_answer(client, patient, live_inference):
    family = make_doctor(specialties=("Family medicine",), weekly=EVERY_DAY, timezone="UTC")
    page = signed_in(client, patient)
    form = page.get(CHECK)
    assert form.status_code == 200 and 'value="chest_pain"' in form.content.decode()

    urgent = page.post(CHECK, {"text": "crushing chest pain and a cold sweat"})
    html = urgent.content.decode()
    assert urgent.status_code == 200
    assert '<section class="emergency" role="alert"' in html and DISCLAIMER in html
    assert "/confirm/" not in html and escape(family.user.full_name) not in html

    routine = page.post(CHECK, {"text": "I have a sore throat and a runny nose, no fever."})
    html = routine.content.decode()
    assert routine.status_code == 200 and 'role="alert"' not in html
    assert f"/book/{family.pk}/confirm/?start=" in html


def test_the_real_service_explains_each_score_and_refuses_out_of_range(
    client, patient, charted, live_inference
):
    page = signed_in(client, patient)
    body = {
        "scores": ["bmi", "blood-pressure", "findrisc", "ascvd"], "age": "56", "sex": "female",
        "bmi": "31.1", "waist_cm": "92", "physically_active": "yes",
        "eats_vegetables_daily": "no", "blood_pressure_medication": "no",
        "history_of_high_glucose": "no", "family_history": "none", "race": "white",
        "total_cholesterol": "201", "hdl": "48", "smoker": "no", "diabetic": "no",
    }  # fmt: skip
    response = page.post(RISK, {**body, "weight_kg": "90", "height_cm": "170"})
    assert response.status_code == 200, response.content
    html = response.content.decode()
    for assessment in RiskAssessment.objects.all():
        category = assessment.output["category"]
        assert category in MEANINGS[assessment.score], category
        assert escape(MEANINGS[assessment.score][category]) in html
    assert RiskAssessment.objects.count() == 4

    refused = page.post(RISK, {"scores": ["bmi"], "weight_kg": "5", "height_cm": "170"})
    assert refused.status_code == 400
    assert "Weight (kg) must be between 20 and 350" in refused.content.decode()

    # An age no score accepts is refused by each score: none runs on the chart's age instead.
    before = RiskAssessment.objects.count()
    both = page.post(RISK, {**body, "scores": ["findrisc", "ascvd"], "age": "150"})
    assert both.status_code == 400
    assert RiskAssessment.objects.count() == before


def test_the_pages_share_the_apis_rate_limit_for_the_assistant(
    client, patient, service, monkeypatch
):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"ai": "2/hour"})
    page = signed_in(client, patient)
    assert page.post(CHECK, {"text": "itchy rash"}).status_code == 200
    assert page.post(CHECK, {"text": "itchy rash still"}).status_code == 200
    refused = page.post(CHECK, {"text": "itchy rash again"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert "itchy rash again" in refused.content.decode()  # what was typed is kept
    assert page.post(RISK, {"scores": ["bmi"]}).status_code == 429  # one limit for both pages
    assert SymptomCheck.objects.count() == 2
