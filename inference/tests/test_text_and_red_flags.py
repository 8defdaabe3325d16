"""Lay words to symptoms, negation, unknown words, and the red flags, case by case."""

import pytest

from inference.red_flags import red_flags
from inference.text import read
from inference.vocabulary import symptoms


def flags_for(text: str) -> set[str]:
    reading = read(text)
    return {flag.code for flag in red_flags(set(reading.present), child=reading.mentions_child)}


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I have chest pain and I'm short of breath", "possible_heart_attack"),
        ("crushing chest, cold sweat", "possible_heart_attack"),
        ("My husband's face is drooping on one side", "possible_stroke"),
        ("my mum has slurred speech since an hour", "possible_stroke"),
        ("I suddenly can't lift my arm", "possible_stroke"),
        ("the cut won't stop bleeding", "severe_bleeding"),
        ("I'm bleeding heavily from a wound", "severe_bleeding"),
        ("after eating peanuts my throat is closing", "possible_anaphylaxis"),
        ("hives all over and I can't breathe", "possible_anaphylaxis"),
        ("high temperature and a stiff neck", "possible_meningitis"),
        ("fever with purple spots on her legs", "possible_meningitis"),
        ("I want to die", "suicidal_thoughts"),
        ("lately I think about ending my life", "suicidal_thoughts"),
        ("my son is struggling to breathe", "child_breathing_difficulty"),
        ("my baby is wheezing", "child_breathing_difficulty"),
        ("the worst headache of my life started suddenly", "thunderclap_headache"),
    ],
)
def test_red_flags_in_the_words_patients_use(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have a headache and a runny nose",
        "chest pain when I cough, no shortness of breath and no sweating",
        "fever but no stiff neck",
        "I am an adult and short of breath after running",  # breathless, but not a child
        "sore throat and a cough for three days",
        "my father had a heart attack last year and I have a cough",
    ],
)
def test_ordinary_complaints_raise_no_red_flag(text):
    assert flags_for(text) == set()


@pytest.mark.parametrize(
    ("text", "present", "negated"),
    [
        ("no fever", [], ["fever"]),
        ("I have a cough and no fever", ["cough"], ["fever"]),
        ("no fever or cough", [], ["fever", "cough"]),
        ("I don't have a fever but my chest hurts", ["chest_pain"], ["fever"]),
        ("Denies nausea. Vomiting since morning.", ["vomiting"], ["nausea"]),
        ("without headache, I feel dizzy", ["dizziness"], ["headache"]),
        ("no energy and chest pain", ["fatigue", "chest_pain"], []),  # "no" inside a phrase
    ],
)
def test_negation(text, present, negated):
    reading = read(text)
    assert sorted(reading.present) == sorted(present)
    assert sorted(reading.negated) == sorted(negated)


def test_unknown_words_are_reported_not_dropped():
    reading = read("I have a headache and my elbow feels wobbly")
    assert reading.present == ["headache"]
    assert reading.unknown == ["elbow", "wobbly"]


def test_unicode_apostrophes_and_case_are_understood():
    assert read("I CAN\u2019T BREATHE").present == ["shortness_of_breath"]


def test_every_symptom_has_a_name_and_phrases():
    table = symptoms()
    assert len(table) >= 40
    for code, symptom in table.items():
        assert symptom.name and symptom.phrases, code
        for phrase in symptom.phrases:
            assert code in read(phrase).present, (code, phrase)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # negation must not swallow what follows it
        ("No idea what's wrong, chest pain and short of breath", "possible_heart_attack"),
        ("Not feeling well at all, crushing chest pain, sweating", "possible_heart_attack"),
        ("I've never felt chest pain like this and I'm sweating", "possible_heart_attack"),
        ("no appetite for days and now chest pain and sweating", "possible_heart_attack"),
        ("fever, no cough, stiff neck", "possible_meningitis"),
        ("I never had a headache this bad, it came on suddenly", "thunderclap_headache"),
        # other words for the same thing
        ("chest pains and breathing difficulties", "possible_heart_attack"),
        ("chest pain, can't catch my breath", "possible_heart_attack"),
        ("chest pain and I'm drenched in sweat", "possible_heart_attack"),
        ("high fevers and a stiff neck", "possible_meningitis"),
        ("a rash that won't go away when pressed and a fever", "possible_meningitis"),
        ("my baby struggles to breathe", "child_breathing_difficulty"),
        ("worst headache I have ever had", "thunderclap_headache"),
        ("the worst headache of my whole life", "thunderclap_headache"),
        ("her face drooped suddenly", "possible_stroke"),
        ("his words are slurred", "possible_stroke"),
        ("I'm bleeding badly from my leg", "severe_bleeding"),
        ("the bleeding won't stop", "severe_bleeding"),
        ("my throat is swelling up after a bee sting", "possible_anaphylaxis"),
        ("I want to end it all", "suicidal_thoughts"),
        ("I keep thinking about suicide", "suicidal_thoughts"),
        ("I think about taking my own life", "suicidal_thoughts"),
        ("I took an overdose of paracetamol", "possible_poisoning"),
        ("my dad collapsed and won't wake up", "unresponsive"),
        ("my daughter is having a seizure", "seizure"),
        ("I think I'm having a heart attack", "stated_emergency"),
        ("my wife is having a stroke", "stated_emergency"),
    ],
)
def test_red_flags_survive_loose_negation_and_other_wordings(text, flag):
    assert flag in flags_for(text)


@pytest.mark.parametrize(
    ("text", "present", "negated"),
    [
        ("no fever, cough and a sore throat", ["cough", "sore_throat"], ["fever"]),
        ("I have no history of anything like this, just a headache", ["headache"], []),
        ("the cough is not going away", ["cough"], []),
        ("no runny nose and a headache", ["headache"], ["runny_nose"]),
    ],
)
def test_negation_reaches_only_what_it_is_next_to(text, present, negated):
    reading = read(text)
    assert sorted(reading.present) == sorted(present)
    assert sorted(reading.negated) == sorted(negated)
