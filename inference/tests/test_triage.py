"""Symptom analysis through the real app: red flags first, then the model; negation, unknown
words, bad input; and the model's honest, reproducible metrics."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from inference.advice_model import advice_model
from inference.app import app
from inference.flag_detector import detector
from inference.metrics import main
from inference.model import model
from inference.red_flags import CALL, MESSAGES, WATCHED_CONDITIONS
from inference.triage import (
    DISCLAIMER,
    LASTED_TOO_LONG,
    LITTLE_RECOGNISED,
    NOTHING_RECOGNISED,
    UNSURE,
    UNSURE_PREFIX,
    self_care,
)
from inference.triage import analyze as analyze_directly

KEY = "test-inference-key"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("INFERENCE_API_KEY", KEY)
    with TestClient(app) as test_client:
        test_client.headers["X-API-Key"] = KEY
        yield test_client


def analyze(client, **body) -> dict:
    response = client.post("/v1/symptoms/analyze", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def top_codes(result: dict, k: int = 3) -> list[str]:
    return [condition["code"] for condition in result["conditions"][:k]]


RED_FLAG_TEXTS = [
    "I have chest pain and I'm short of breath",
    "crushing chest, cold sweat",
    "My husband's face is drooping on one side",
    "my mum has slurred speech since an hour",
    "I suddenly can't lift my arm",
    "the cut won't stop bleeding",
    "after eating peanuts my throat is closing",
    "hives all over and I can't breathe",
    "high temperature and a stiff neck",
    "fever with purple spots on her legs",
    "I want to die",
    "my son is struggling to breathe",
    "the worst headache of my life started suddenly",
    "I think I'm having a heart attack",
]


@pytest.mark.parametrize("text", RED_FLAG_TEXTS)
def test_a_red_flag_in_lay_words_is_an_emergency_with_no_booking(client, text):
    result = analyze(client, text=text)
    assert result["urgency"] == "emergency"
    assert result["red_flags"]
    assert result["advice"] == CALL
    assert result["booking_offered"] is False
    assert result["specialty"] == "emergency-medicine"


def test_red_flags_override_whatever_the_model_ranks_first(client):
    result = analyze(client, symptoms=["chest_pain", "sweating", "nausea"])
    assert result["urgency"] == "emergency" and result["booking_offered"] is False
    assert result["conditions"]  # the model's view is still shown, ranked


def test_a_child_breathing_hard_is_an_emergency_by_age_too(client):
    assert analyze(client, symptoms=["wheezing"], age=4)["urgency"] == "emergency"
    assert analyze(client, symptoms=["wheezing"], age=40)["urgency"] != "emergency"


def test_every_answer_carries_the_disclaimer_and_the_model_version(client):
    result = analyze(client, text="sore throat and a cough")
    assert result["disclaimer"] == DISCLAIMER
    assert result["model_version"] == (
        f"{model().version}+flags-{detector().version}+advice-{advice_model().version}"
    )
    health = client.get("/health").json()
    assert health["model_version"] == result["model_version"]
    assert health["flag_detector"]["thresholds"] == detector().thresholds


def test_conditions_are_ranked_probabilities_with_their_specialty(client):
    result = analyze(client, symptoms=["fever", "cough", "muscle_aches", "fatigue"])
    probabilities = [c["probability"] for c in result["conditions"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 < sum(probabilities) <= 1.0001
    assert all(c["specialty"] and c["urgency"] for c in result["conditions"])
    assert result["specialty"] and result["advice"]


def test_negation_changes_the_answer(client):
    said = analyze(client, text="fever and a cough")
    denied = analyze(client, text="a cough but no fever")
    assert [s["code"] for s in denied["symptoms_negated"]] == ["fever"]
    assert [s["code"] for s in denied["symptoms_present"]] == ["cough"]
    assert said["conditions"] != denied["conditions"]


def test_unknown_words_are_reported_back(client):
    result = analyze(client, text="headache and my elbow feels wobbly")
    assert result["unknown_words"] == ["elbow", "wobbly"]
    assert [s["code"] for s in result["symptoms_present"]] == ["headache"]


def test_text_with_no_symptom_says_so_and_advises_a_routine_visit(client):
    result = analyze(client, text="my elbow feels wobbly")
    assert result["conditions"] == [] and result["red_flags"] == []
    assert result["advice"] == NOTHING_RECOGNISED
    assert result["urgency"] == "routine" and result["booking_offered"] is True
    assert result["unknown_words"] == ["elbow", "wobbly"]


def test_a_guess_is_never_self_care_nor_an_emergency_without_a_flag():
    """One vague finding spreads the model thin: the answer says so and advises a routine
    visit (or keeps a sooner one), whatever the likeliest condition's own urgency."""
    trained = model()
    for codes in (["fatigue"], ["nausea"], ["rash"]):
        analysis = analyze_directly(trained, codes=codes)
        top = max(trained.probabilities(codes, []).values())
        assert top < UNSURE, codes  # the premise: a guess
        assert analysis.conditions == []  # guesses are not shown
        assert analysis.urgency in ("routine", "soon", "urgent"), codes
        assert analysis.advice.startswith(UNSURE_PREFIX)
        assert analysis.red_flags == []
    assert analyze_directly(trained, codes=["fatigue"]).advice == LITTLE_RECOGNISED


def test_someone_elses_symptoms_are_not_judged_by_the_writers_age_and_sex(client):
    text = "my son has sudden severe pain in his testicle and has been sick"
    result = analyze(client, text=text, age=40, sex="female")
    assert "testicular_torsion" in [c["code"] for c in result["conditions"]], result
    assert result["urgency"] == "emergency"


def test_a_diabetic_who_is_confused_sweaty_and_shaky_is_an_emergency(client):
    text = "my diabetic husband is confused, sweaty and shaky"
    result = analyze(client, text=text)
    assert result["urgency"] == "emergency", result
    assert result["conditions"][0]["code"] == "hypoglycaemia"


def test_heavy_periods_are_no_severe_bleeding(client):
    text = "my periods have been really heavy for months and I pass clots"
    result = analyze(client, text=text, age=35)
    assert result["red_flags"] == [] and result["urgency"] != "emergency", result


def test_a_guess_about_a_baby_under_three_months_is_still_seen_the_same_day():
    analysis = analyze_directly(model(), codes=["young_infant", "nausea"])
    assert analysis.conditions == []  # the premise: a guess
    assert analysis.urgency == "urgent"
    assert analysis.advice.startswith(UNSURE_PREFIX)


def test_a_baby_under_three_months_is_seen_the_same_day(client):
    result = analyze(client, text="my 5 week old has sticky eyes, feeding fine")
    assert result["urgency"] == "urgent", result


def test_self_care_answers_name_what_to_do_and_the_signs_that_mean_a_doctor(client):
    result = analyze(client, text="I have a cold sore on my lip, it tingles", age=30)
    assert result["urgency"] == "self_care", result
    assert result["conditions"][0]["code"] == "cold_sore"
    assert result["advice"] == self_care()["cold_sore"].advice
    assert "See a doctor if it lasts more than 10 days" in result["advice"]


def test_self_care_that_has_gone_on_too_long_is_a_routine_visit(client):
    short = analyze(client, text="runny nose, sneezing and a sore throat for 4 days", age=30)
    long = analyze(client, text="runny nose, sneezing and a sore throat for 5 weeks", age=30)
    assert short["urgency"] == "self_care", short
    assert long["urgency"] == "routine" and long["booking_offered"] is True
    assert long["advice"].startswith(LASTED_TOO_LONG)


def test_conditions_of_the_other_sex_are_never_offered(client):
    one_sex = {c.code: c.sex for c in model().conditions if c.sex}
    assert one_sex, "the table has conditions of one sex"
    symptoms = sorted({code for c in model().conditions if c.sex for code in c.weights})[:8]
    for sex in ("female", "male"):
        result = analyze(client, symptoms=symptoms, sex=sex)
        assert all(one_sex.get(c["code"], sex) == sex for c in result["conditions"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"symptoms": []}, "body"),
        ({"symptoms": [], "text": "   "}, "body"),
        ({"text": "a" * 10_240}, "text"),
        ({"symptoms": "cough"}, "symptoms"),
        ({"symptoms": ["cough"], "age": -1}, "age"),
        ({"symptoms": ["cough"], "sex": "robot"}, "sex"),
    ],
    ids=["nothing", "empty-list", "blank-text", "10-kB", "not-a-list", "age", "sex"],
)
def test_bad_input_is_a_422_in_the_error_shape(client, body, field):
    response = client.post("/v1/symptoms/analyze", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"]
    assert field in error["fields"]


def test_unknown_codes_are_named(client):
    response = client.post("/v1/symptoms/analyze", json={"symptoms": ["cough", "elbow_wobble"]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_symptoms"
    assert "elbow_wobble" in error["message"] and "cough" not in error["message"]


def test_malformed_json_is_a_422(client):
    response = client.post(
        "/v1/symptoms/analyze", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_the_key_is_required(client):
    response = client.post(
        "/v1/symptoms/analyze", json={"symptoms": ["cough"]}, headers={"X-API-Key": ""}
    )
    assert response.status_code == 401


def test_the_metrics_command_prints_the_held_out_accuracy_of_a_reproducible_model(capsys, tmp_path):
    """The command trains in a process of its own (with an empty artefact cache, so that it
    cannot read this process's model): equal figures mean a seeded, repeatable training."""
    printed = subprocess.run(
        [sys.executable, "-m", "inference.metrics", "--json"],
        cwd=ROOT,
        env={**os.environ, "INFERENCE_CACHE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    metrics = json.loads(printed.stdout)
    assert metrics == {"model_version": model().version, **model().metrics}
    assert 0 < metrics["top1_accuracy"] <= metrics["top3_accuracy"] <= 1
    assert metrics["held_out_cases"] > 0 and metrics["conditions"] >= 60

    main([])
    shown = capsys.readouterr().out
    assert f"top-1 accuracy   {metrics['top1_accuracy']:.1%}" in shown
    assert f"top-3 accuracy   {metrics['top3_accuracy']:.1%}" in shown


def test_health_reports_the_metrics(client):
    body = client.get("/health").json()
    assert body["metrics"]["top3_accuracy"] == model().metrics["top3_accuracy"]


def test_each_conditions_typical_picture_ranks_it_in_the_top_three():
    trained = model()
    by_code = trained.by_code
    first, missed = 0, []
    for condition in trained.conditions:
        typical = [code for code, weight in condition.weights.items() if weight >= 0.5]
        scores = trained.probabilities(typical, [])
        ranked = [
            code
            for code in sorted(scores, key=scores.get, reverse=True)
            if by_code[code].sex in ("", condition.sex)
        ]
        first += ranked[0] == condition.code
        if condition.code not in ranked[:3]:
            missed.append(condition.code)
    assert missed == []
    assert first / len(trained.conditions) >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it burns when I pee and I need to pee all the time", "uti"),
        ("sneezing, itchy watery eyes and a runny nose every spring", "allergic_rhinitis"),
        ("sudden pain in my big toe, it is red hot and swollen", "gout"),
        ("throbbing headache with nausea, light hurts my eyes", "migraine"),
    ],
)
def test_everyday_descriptions_find_the_expected_condition(client, text, expected):
    result = analyze(client, text=text)
    assert result["urgency"] != "emergency", result["red_flags"]
    assert expected in top_codes(result), (top_codes(result), result["symptoms_present"])


# Written by someone trying the portal as a patient, who had not read the rules: each was answered
# "routine" (with a booking offered) before the breathing and head-injury rules existed.
BREATHING_EMERGENCIES = [
    "I can't breathe",
    "I cannot breathe",
    "cant breathe at all",
    "gasping for air",
    "severe shortness of breath",
    "my lips are turning blue",
]


@pytest.mark.parametrize("text", BREATHING_EMERGENCIES)
def test_struggling_for_breath_or_blue_lips_is_an_emergency_at_any_age(client, text):
    answer = analyze(client, text=text, age=40)
    assert answer["urgency"] == "emergency", answer
    assert [flag["code"] for flag in answer["red_flags"]] == ["severe_breathing_difficulty"]
    assert answer["booking_offered"] is False


def test_a_picked_blue_lips_symptom_alone_is_an_emergency(client):
    answer = analyze(client, symptoms=["blue_lips"], age=40)
    assert answer["urgency"] == "emergency"


def test_a_head_injury_with_confusion_is_an_emergency(client):
    answer = analyze(client, text="I fainted and hit my head, now confused", age=40)
    assert "serious_head_injury" in [flag["code"] for flag in answer["red_flags"]]
    quiet = analyze(client, text="I bumped my head on a cupboard door, just a small bruise", age=40)
    assert quiet["red_flags"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"symptoms": ["shortness_of_breath"]},
        {"text": "difficulty breathing"},
        {"text": "trouble breathing"},
        {"symptoms": ["coughing_blood"]},
    ],
)
def test_breathlessness_or_coughing_blood_alone_is_seen_the_same_day(client, body):
    answer = analyze(client, age=40, **body)
    assert answer["urgency"] == "urgent", answer


def test_mild_breathlessness_is_not_an_emergency(client):
    answer = analyze(client, text="a bit out of breath after climbing the stairs", age=40)
    assert answer["red_flags"] == []


# Written after batches 8 and 9 (independent of the phrase table): each missed its own flag.
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("asthma attack, my blue inhaler isn't working", "severe_breathing_difficulty"),
        ("wheezing so badly I can hardly get my words out", "severe_breathing_difficulty"),
        (
            "suddenly breathless with sharp chest pain after a long flight, one calf is swollen",
            "severe_breathing_difficulty",
        ),
        ("fell off a ladder this morning and keeps falling asleep", "serious_head_injury"),
        ("bumped my head on the car door, I take warfarin", "serious_head_injury"),
        ("knocked my head and I've thrown up twice since", "serious_head_injury"),
    ],
)
def test_new_wordings_of_the_rule_only_flags_raise_them(client, text, flag):
    answer = analyze(client, text=text, age=45)
    assert flag in [found["code"] for found in answer["red_flags"]], answer["red_flags"]


@pytest.mark.parametrize(
    "text",
    [
        "sore throat and swollen glands for 3 days, no temperature",
        "I'm dying to know if my referral has gone through yet",
        "fell off my bike last week and grazed my knee, healing well",
        "my toenail fell off after the marathon",
    ],
)
def test_everyday_words_near_the_new_rules_raise_no_flag(client, text):
    assert analyze(client, text=text, age=45)["red_flags"] == []


def test_every_watched_condition_is_an_emergency_that_a_flag_rule_watches_for():
    by_code = model().by_code
    for condition, flag_code in WATCHED_CONDITIONS.items():
        assert by_code[condition].urgency == "emergency", condition
        assert flag_code in MESSAGES, flag_code
    unwatched = {c.code for c in model().conditions if c.urgency == "emergency"}
    assert {"appendicitis", "testicular_torsion", "sepsis"} <= unwatched - set(WATCHED_CONDITIONS)


def test_a_fever_during_chemotherapy_is_an_emergency():
    """Neutropenic sepsis (NICE NG151): a red flag, whatever the model ranks first."""
    fever = analyze_directly(
        model(), detector(), codes=[], text="on chemo for breast cancer, temperature 38.4 tonight"
    )
    assert fever.urgency == "emergency"
    assert [flag.code for flag in fever.red_flags] == ["stated_emergency"]
    assert fever.advice == CALL and not fever.booking_offered
    tired = analyze_directly(model(), detector(), codes=[], text="on chemo and tired, no fever")
    assert tired.urgency != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my husband just collapsed in the garden",
        "grandad has no pulse",
        "I think she has stopped breathing",
        "I cannot find a pulse on my dad",
    ],
)
def test_a_collapse_is_a_stated_emergency_and_someone_who_cannot_be_woken(client, text):
    result = analyze(client, text=text)
    flags = {found["code"] for found in result["red_flags"]}
    assert {"stated_emergency", "unresponsive"} <= flags
    assert result["urgency"] == "emergency"


FLARE = "my asthma is worse this week, using my blue inhaler every few hours and more breathless"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (FLARE, True),  # the learned detector reads a struggle for breath
        (f"{FLARE}, can talk fine", False),
        (f"{FLARE}, I can still talk normally", False),
        (f"{FLARE} and can't talk in full sentences", True),
        (f"{FLARE}, my lips look blue but I can talk fine", True),  # the rules still hear it
        (f"{FLARE}, it's hard to speak in full sentences", True),
        (f"{FLARE}, can no longer talk in full sentences", True),
    ],
)
def test_talking_normally_is_no_struggle_for_breath_unless_the_rules_find_one(text, flagged):
    analysis = analyze_directly(
        model(), detector(), advice_model(), codes=[], text=text, age=30, sex="female"
    )
    codes = [found.code for found in analysis.red_flags]
    assert ("severe_breathing_difficulty" in codes) is flagged
    # Without the flag, a worsening asthma is still seen soon (or sent in by the model), not
    # sent home.
    assert analysis.urgency in (("emergency",) if flagged else ("soon", "urgent", "emergency"))


def test_a_fever_in_a_baby_under_three_months_is_offered_only_for_such_a_baby():
    def conditions(codes: list[str]) -> list[str]:
        found = analyze_directly(model(), detector(), advice_model(), codes=codes)
        return [code for code, _ in found.conditions]

    baby = ["fever", "young_infant", "irritable_baby", "loss_of_appetite"]
    assert conditions(baby)[0] == "infant_fever"
    # the same fever and fretting without the baby under 3 months: never this condition
    assert "infant_fever" not in conditions([code for code in baby if code != "young_infant"])


@pytest.mark.parametrize(
    "text",
    [
        "I'm 8 weeks pregnant and would like to book my first appointment",
        "pregnant, can I take paracetamol?",
        "positive test today, no pain, no bleeding, what happens next",
    ],
)
def test_a_pregnancy_alone_is_no_pre_eclampsia_and_no_emergency(text):
    """Severe pre-eclampsia is offered only with one of its signs (data/conditions.csv)."""
    result = analyze_directly(model(), detector(), codes=[], text=text)
    assert "pre_eclampsia" not in [code for code, _ in result.conditions]
    assert result.urgency != "emergency" and not result.red_flags


@pytest.mark.parametrize(
    "text",
    [
        "34 weeks pregnant, bad headache since this morning and flashing lights",
        "33 weeks pregnant, my face has swollen up suddenly since this morning",
        "36 weeks pregnant, swollen ankles and a headache that paracetamol won't touch",
    ],
)
def test_pre_eclampsia_is_offered_with_its_signs(text):
    result = analyze_directly(model(), detector(), codes=[], text=text)
    assert result.conditions[0][0] == "pre_eclampsia" and result.urgency == "emergency"
