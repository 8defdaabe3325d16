"""Contract tests: the portal against the real inference service, started on a free port in
its own process. And a dead service: a fast 503 while the rest of the portal carries on."""

import csv
import time
from datetime import time as clock
from datetime import timedelta

import httpx
import pytest
from django.core.cache import cache
from django.utils import timezone

from ai_client import client as inference_client
from ai_client.models import RiskAssessment, SymptomCheck
from ai_client.tests.conftest import KEY, ROOT
from appointments.selectors import held_spans
from core.testing import assert_error
from doctors.models import Specialization
from doctors.selectors import doctor_free_slots
from doctors.tests.factories import make_doctor

RUN = "/api/v1/ai/symptom-check/"
RISK = "/api/v1/ai/risk-assessment/"
EVERY_DAY = {day: (clock(8), clock(18)) for day in range(7)}


def check(client_for, patient, body):
    return client_for(patient).post(RUN, body, format="json")


def test_a_check_in_plain_words_gets_the_services_answer(client_for, patient, live_inference):
    make_doctor(specialties=("Family medicine",), weekly=EVERY_DAY, timezone="UTC")
    text = "I have a sore throat and a runny nose, no fever. My elbow feels wobbly."
    response = check(client_for, patient, {"text": text})
    assert response.status_code == 201, response.content
    output = response.json()["output"]
    health = httpx.get(f"{live_inference}/health").json()
    assert output["model_version"] == health["model_version"]
    assert "not a diagnosis" in output["disclaimer"]
    present = {item["code"] for item in output["symptoms_present"]}
    assert {"sore_throat", "runny_nose"} <= present
    assert [item["code"] for item in output["symptoms_negated"]] == ["fever"]
    assert {"elbow", "wobbly"} <= set(output["unknown_words"])
    assert output["conditions"] and output["booking_offered"] is True
    probabilities = [condition["probability"] for condition in output["conditions"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert response.json()["recommendation"]["doctors"]
    assert SymptomCheck.objects.get().model_version == health["model_version"]


def test_a_red_flag_is_an_emergency_with_no_booking(client_for, patient, live_inference):
    response = check(client_for, patient, {"text": "crushing chest pain and a cold sweat"})
    body = response.json()
    assert body["urgency"] == "emergency"
    assert body["output"]["red_flags"][0]["code"] == "possible_heart_attack"
    assert "emergency services" in body["output"]["advice"]
    assert body["recommendation"] is None


def test_unknown_codes_are_a_400(client_for, patient, live_inference):
    response = check(client_for, patient, {"symptoms": ["cough", "elbow_wobble"]})
    error = assert_error(response, 400, "unknown_symptoms")
    assert "elbow_wobble" in error["message"]


def test_unicode_text_is_read(client_for, patient, live_inference):
    response = check(
        client_for, patient, {"text": "J\u2019ai mal \u00e0 la t\u00eate \U0001f915 headache"}
    )
    assert response.status_code == 201, response.content
    assert [s["code"] for s in response.json()["output"]["symptoms_present"]] == ["headache"]


def test_the_symptom_list_comes_from_the_service(client_for, patient, live_inference):
    symptoms = client_for(patient).get("/api/v1/ai/symptoms/").json()
    assert {"code": "cough", "name": "Cough"} in symptoms


def test_a_published_score_through_the_portal(client_for, patient, live_inference):
    inputs = {
        "age": 55,
        "sex": "female",
        "race": "white",
        "total_cholesterol": 213,
        "hdl": 50,
        "systolic": 120,
        "on_blood_pressure_treatment": False,
        "smoker": False,
        "diabetic": False,
    }
    response = client_for(patient).post(RISK, {"score": "ascvd", "inputs": inputs}, format="json")
    assert response.status_code == 201, response.content
    output = response.json()["output"]
    assert output["score"] and output["source"]
    assert abs(output["value"] - 2.1) <= 0.1
    assert RiskAssessment.objects.get().model_version == output["version"]


@pytest.mark.parametrize(
    ("score", "inputs", "field"),
    [
        ("bmi", {"weight_kg": -70, "height_cm": 170}, "weight_kg"),
        ("ascvd", {"age": 30, "sex": "male", "race": "white"}, None),
        ("findrisc", {"bmi": 25}, None),
    ],
    ids=["negative-weight", "outside-the-validated-range", "missing-inputs"],
)
def test_the_services_refusals_are_400s_under_inputs(
    client_for, patient, live_inference, score, inputs, field
):
    response = client_for(patient).post(RISK, {"score": score, "inputs": inputs}, format="json")
    error = assert_error(response, 400)
    assert set(error["fields"]) == {"inputs"}
    if field:
        assert field in error["fields"]["inputs"]
    assert not RiskAssessment.objects.exists()


def test_readiness_shows_the_service_up(client, live_inference):
    body = client.get("/health/ready").json()
    assert body["checks"]["inference"] == {"status": "ok"}


def test_the_wrong_key_is_a_503_not_the_patients_fault(
    client_for, patient, live_inference, settings
):
    settings.INFERENCE_API_KEY = KEY + "-wrong"
    assert_error(check(client_for, patient, {"text": "cough"}), 503, "ai_unavailable")


def test_a_dead_service_answers_503_fast_while_booking_still_works(
    client, client_for, patient, dead_inference
):
    doctor = make_doctor(weekly=EVERY_DAY, timezone="UTC")
    api = client_for(patient)

    started = time.monotonic()
    assert_error(check(client_for, patient, {"text": "cough"}), 503, "ai_unavailable")
    body = {"score": "bmi", "inputs": {"weight_kg": 70, "height_cm": 170}}
    assert_error(api.post(RISK, body, format="json"), 503, "ai_unavailable")
    assert time.monotonic() - started < 3

    today = timezone.now().date()
    slot = doctor_free_slots(
        doctor=doctor,
        first_day=today,
        last_day=today + timedelta(days=7),
        now=timezone.now(),
        busy=held_spans,
    )[0]
    booking = {"doctor": str(doctor.pk), "start": slot.start.isoformat(), "reason": "Cough"}
    response = api.post("/api/v1/appointments/", booking, format="json")
    assert response.status_code == 201, response.content
    assert api.get("/api/v1/users/me/").status_code == 200

    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["inference"]["status"] == "down"


def test_every_specialty_the_service_names_exists_in_the_portal(live_inference, db):
    conditions = httpx.get(f"{live_inference}/v1/conditions", headers={"X-API-Key": KEY}).json()
    named = {condition["specialty"] for condition in conditions}
    portal = set(Specialization.objects.values_list("slug", flat=True))
    assert named - portal == {"emergency-medicine"}  # never booked: emergencies call for help


# The sentences that a first try of the symptom checker answered routine or urgent, each with
# the flag it must raise.
REPORTED_MISSES = [
    ("I've been thinking about killing myself", "suicidal_thoughts"),
    ("my neck is so stiff and I have a fever", "possible_meningitis"),
    ("my face went lopsided and I can't talk properly", "possible_stroke"),
    ("face droopy on one side and slurred speach", "possible_stroke"),
    (
        "my lips and tongue are swelling and I'm wheezing after a bee sting",
        "possible_anaphylaxis",
    ),
    ("blood is pouring out of a deep cut", "severe_bleeding"),
    ("my toddler is breathing really fast and his ribs suck in", "child_breathing_difficulty"),
]
PARAPHRASES = ROOT / "inference" / "data" / "red_flag_paraphrases.csv"


def emergencies_of_the_paraphrase_set() -> list[tuple[str, str]]:
    with PARAPHRASES.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["category"]) for row in csv.DictReader(handle) if row["category"]]


@pytest.mark.parametrize(("text", "flag"), REPORTED_MISSES)
def test_the_reported_emergencies_are_emergencies(client_for, patient, live_inference, text, flag):
    response = check(client_for, patient, {"text": text})
    assert response.status_code == 201, response.content
    body = response.json()
    assert flag in [item["code"] for item in body["output"]["red_flags"]]
    assert body["urgency"] == "emergency" and body["output"]["booking_offered"] is False
    assert body["recommendation"] is None
    assert "emergency services" in body["output"]["advice"]


# Every eighth emergency of the set, each category among them: the path through the portal and
# the service is the same for every text, and that every one of them raises its own flag is
# inference's whole-set test (inference/tests/test_test_sets.py).
SAMPLE_EVERY = 8


@pytest.mark.backend_independent  # 1,504 calls to the service; the database part is covered
def test_a_sample_of_the_paraphrase_sets_emergencies_raise_their_flags_through_the_api(
    client_for, patient, live_inference, monkeypatch
):
    """Emergencies of the independent set, each through the portal's API and the real service."""
    # httpx builds a TLS context, loading the whole CA bundle, for every client the portal makes:
    # more time than the service takes to answer, and of no use on its plain-HTTP address. One
    # context serves the sample; each call still makes its own client, transport and connection.
    tls = httpx.create_ssl_context()
    monkeypatch.setattr(inference_client, "_transport", lambda: httpx.HTTPTransport(verify=tls))
    api = client_for(patient)
    every = emergencies_of_the_paraphrase_set()
    rows = every[::SAMPLE_EVERY]
    assert {flag for _, flag in rows} == {flag for _, flag in every}
    missed = []
    for number, (text, flag) in enumerate(rows):
        if number % 500 == 0:
            cache.clear()  # the AI throttle allows a patient 1,000 checks a minute in tests
        response = api.post(RUN, {"text": text}, format="json")
        assert response.status_code == 201, (text, response.content)
        body = response.json()
        if flag not in [item["code"] for item in body["output"]["red_flags"]] or (
            body["urgency"] != "emergency" or body["recommendation"] is not None
        ):
            missed.append((flag, text))
    assert missed == []
    assert SymptomCheck.objects.count() == len(rows) > 1000
