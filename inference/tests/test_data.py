"""The conditions table that the triage model is trained from, checked as plain CSV.

The file is meant to be read and edited by clinicians, so these tests guard its shape: valid
specialties and urgencies, known symptom codes, weights in their bands, and conditions that the
model can tell apart."""

import csv
from pathlib import Path

import pytest

from inference.text import read
from inference.vocabulary import symptoms

DATA = Path(__file__).resolve().parent.parent / "data"
COLUMNS = [
    "code",
    "name",
    "specialty",
    "urgency",
    "sex",
    "requires",
    "typical",
    "less_typical",
    "source",
]
SPECIALTIES = {
    "family-medicine",
    "internal-medicine",
    "cardiology",
    "dermatology",
    "endocrinology",
    "psychiatry",
    "neurology",
    "gastroenterology",
    "pulmonology",
    "otolaryngology-ent",
    "ophthalmology",
    "urology",
    "obstetrics-and-gynecology",
    "orthopedics",
    "rheumatology",
    "emergency-medicine",
}
URGENCIES = {"self_care", "routine", "soon", "urgent", "emergency"}
SEXES = {"", "female", "male"}
# Symptoms that only the red-flag rules act on: heavy bleeding is an injury, not a condition.
RED_FLAG_ONLY = {
    "collapse",
    "low_oxygen",
    "electric_shock",
    "severe_bp_reading",
    "after_tonsillectomy",
    "ketosis_sign",
    "very_high_sugar",
    "rigid_belly",
    "skull_fracture_sign",
    "reduced_fetal_movements",
    "raised_top_of_head",
    "pinpoint_pupils",
    "large_area",
    "on_purpose",
    "one_sided_pain",
    "hypothermia",
    "heatstroke",
    "choking",
    "emergency_birth",
    "cold_exposure",
    "heat_exposure",
    "no_urine",
    "dehydration_sign",
    "decompression_illness",
    "mottled_skin",
    "sudden_breathlessness",
    "major_injury",
    "gtn_not_working",
    "fall_from_height",
    "says_heart_attack",
    "says_stroke",
    "deliberate_overdose",
    "on_chemotherapy",
    "narrow_range_medicine",
    "bulging_fontanelle",
    "drowsiness",
    "anticoagulant",
    "fall",
    "fluid_from_nose_or_ear",
    "unequal_pupils",
    "severe_bleeding",
    "overdose",
    "unresponsive",
    "breathing_pauses",
    "seizure",
    "stated_emergency",
    "sudden_onset",
    "severe_breathlessness",
    "head_injury",
}


def load(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def weights(cell: str) -> list[tuple[str, float]]:
    pairs = []
    for item in cell.split("|"):
        code, weight = item.split(":")
        pairs.append((code.strip(), float(weight)))
    return pairs


COLUMNS_FOUND, CONDITIONS = load("conditions.csv")
IDS = [row["code"] for row in CONDITIONS]


def test_the_columns_are_exactly_the_documented_ones():
    assert COLUMNS_FOUND == COLUMNS


def test_there_are_at_least_sixty_conditions_with_unique_codes():
    assert len(CONDITIONS) >= 60
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("row", CONDITIONS, ids=IDS)
def test_each_row_is_well_formed(row):
    assert row["code"] == row["code"].strip().lower() and " " not in row["code"]
    assert row["name"].strip()
    assert row["specialty"] in SPECIALTIES
    assert row["urgency"] in URGENCIES
    assert row["sex"] in SEXES
    required = [code for group in row["requires"].split("+") for code in group.split("/")]
    assert all(code in symptoms() for code in required if code)
    assert row["source"].strip()


@pytest.mark.parametrize("row", CONDITIONS, ids=IDS)
def test_symptoms_exist_and_weights_are_in_their_bands(row):
    known = symptoms()
    typical = weights(row["typical"])
    less_typical = weights(row["less_typical"])
    assert 2 <= len(typical) <= 6
    assert 1 <= len(less_typical) <= 6
    for code, weight in typical:
        assert code in known, code
        assert 0.5 <= weight <= 0.95, (code, weight)
    for code, weight in less_typical:
        assert code in known, code
        assert 0.05 <= weight < 0.5, (code, weight)
    codes = [code for code, _ in typical + less_typical]
    assert len(codes) == len(set(codes)), "a symptom is listed twice"


def test_no_two_conditions_share_the_same_typical_symptoms():
    seen: dict[frozenset[str], str] = {}
    for row in CONDITIONS:
        key = frozenset(code for code, _ in weights(row["typical"]))
        assert key not in seen, (row["code"], seen.get(key))
        seen[key] = row["code"]


def test_every_symptom_code_is_unique_and_read_back_from_its_phrases():
    header, rows = load("symptoms.csv")
    assert header == ["code", "name", "phrases"]
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    phrases = [phrase for row in rows for phrase in row["phrases"].split("|")]
    assert len(phrases) == len(set(phrases)), "a phrase belongs to two symptoms"
    for row in rows:
        for phrase in row["phrases"].split("|"):
            assert phrase == phrase.strip().lower(), phrase
            assert row["code"] in read(phrase).present, (row["code"], phrase)


def test_every_symptom_is_used_by_some_condition():
    used = {
        code
        for row in CONDITIONS
        for code, _ in weights(row["typical"]) + weights(row["less_typical"])
    }
    assert set(symptoms()) - used == RED_FLAG_ONLY


def test_every_self_care_condition_has_advice_with_the_signs_to_watch_for():
    with (DATA / "self_care.csv").open(newline="", encoding="utf-8") as handle:
        advice = {row["code"]: row for row in csv.DictReader(handle)}
    self_care = {row["code"] for row in CONDITIONS if row["urgency"] == "self_care"}
    # and conditions usually seen by a doctor but often cared for at home (an earache after a
    # cold, occasional heartburn, a flare of known eczema): the advice model may send those home
    often_at_home = {row["code"] for row in CONDITIONS if row["urgency"] == "routine"}
    assert self_care <= set(advice) <= self_care | often_at_home
    for row in advice.values():
        assert row["advice"].strip() and row["see_a_doctor_if"].strip(), row["code"]
        assert row["days"] == "" or 0 < int(row["days"]) <= 365, row["code"]
