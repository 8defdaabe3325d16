"""The learned second opinion on the level of advice (inference.advice_model): what it may and
may not change, that it learns the tuning half only, and that it is measured on rows it did
not learn."""

from types import SimpleNamespace

import numpy as np
import pytest

from inference import advice_model as advice
from inference.advice_model import DOCTOR_FROM, EMERGENCY_FROM, LEVELS, SELF_CARE_FROM
from inference.flag_detector import detector
from inference.model import model
from inference.paraphrases import in_split, vignettes
from inference.text import read
from inference.triage import analyze, second_opinion, self_care


def levels(doctor: float = 0.0, emergency: float = 0.0, self_care: float = 0.0) -> dict:
    return {"doctor": doctor, "emergency": emergency, "self_care": self_care}


@pytest.fixture(scope="module")
def conditions():
    return model().by_code


def test_a_confident_emergency_raises_any_answer_and_nothing_lowers_one(conditions):
    earache = conditions["otitis_media"]
    for urgency in ("self_care", "routine", "soon", "urgent"):
        raised, _ = second_opinion(levels(emergency=EMERGENCY_FROM), urgency, [earache], earache)
        assert raised == "emergency"
    almost = levels(emergency=EMERGENCY_FROM - 0.01)
    assert second_opinion(almost, "soon", [earache], earache)[0] == "soon"
    # however sure it is that this is self-care or a doctor's case
    for sure in (levels(self_care=1.0), levels(doctor=1.0)):
        assert second_opinion(sure, "emergency", [earache], earache)[0] == "emergency"


def test_it_sends_home_only_with_a_home_care_condition_among_the_three_likeliest(conditions):
    shingles, earache = conditions["shingles"], conditions["otitis_media"]
    angina, gord = conditions["angina"], conditions["gord"]
    assert "shingles" not in self_care() and "angina" not in self_care()
    sure = levels(self_care=SELF_CARE_FROM)
    # the likeliest condition has no home care, the second has: that one's advice is given
    assert second_opinion(sure, "routine", [shingles, earache], shingles) == ("self_care", earache)
    assert second_opinion(sure, "routine", [angina, shingles], angina) == ("routine", angina)
    # only a routine visit becomes self-care: a visit within a day or two stays
    assert second_opinion(sure, "soon", [gord], gord) == ("soon", gord)
    assert second_opinion(sure, "urgent", [gord], gord) == ("urgent", gord)
    unsure = levels(self_care=SELF_CARE_FROM - 0.01)
    assert second_opinion(unsure, "routine", [gord], gord) == ("routine", gord)


def test_a_confident_doctor_turns_self_care_into_a_visit(conditions):
    cold = conditions["common_cold"]
    assert second_opinion(levels(doctor=DOCTOR_FROM), "self_care", [cold], cold)[0] == "routine"
    assert second_opinion(levels(doctor=DOCTOR_FROM - 0.01), "self_care", [cold], cold)[0] == (
        "self_care"
    )


def test_little_recognised_stays_a_routine_visit_whatever_it_reads():
    """The issue's rule: too little recognised is never self-care and never an emergency
    without a flag, so the second opinion is not asked."""
    trained = advice.advice_model()
    for text in ("zzz qqq", "my thing is bad again", "the usual problem, same as before"):
        result = analyze(model(), detector(), trained, codes=[], text=text)
        assert result.urgency == "routine" and not result.red_flags


def test_a_red_flag_answer_is_left_as_it_is():
    text = "my husband collapsed and I can't wake him, he's breathing oddly"
    result = analyze(model(), detector(), advice.advice_model(), codes=[], text=text)
    assert result.red_flags and result.urgency == "emergency"


def test_training_learns_the_tuning_half_only(monkeypatch):
    """Which rows a training reads; that a fresh training scores exactly as the kept model is
    test_artefacts' (one training of the whole model takes most of a minute)."""
    learned = {}

    def record(texts: list[str], levels: list[str], conditions: list[str]) -> SimpleNamespace:
        learned.update(texts=texts, levels=levels, conditions=conditions)
        return SimpleNamespace()

    monkeypatch.setattr(advice, "_fit", record)
    advice.train()
    tune, held_out = in_split(vignettes(), "tune"), in_split(vignettes(), "held_out")
    assert tune and held_out
    assert learned["texts"] == [read(row.text).affirmed_text for row in tune]
    assert learned["levels"] == [row.expected_advice for row in tune]
    assert learned["conditions"] == [row.expected_condition for row in tune]
    assert tuple(advice.advice_model().classifier.classes_) == LEVELS


def test_its_out_of_fold_figures_on_the_tuning_half_are_what_the_thresholds_were_chosen_from():
    """Each tuning vignette scored by a model that did not see it: the thresholds change an
    answer rarely where the writer meant another level."""
    rows = in_split(vignettes(), "tune")
    scores = advice.out_of_fold(rows)
    expected = np.array([row.expected_advice for row in rows])
    emergency, self_care_column = LEVELS.index("emergency"), LEVELS.index("self_care")
    said_emergency = scores[:, emergency] >= EMERGENCY_FROM
    said_home = scores[:, self_care_column] >= SELF_CARE_FROM
    # an emergency raised where the writer meant self-care would be a false alarm; a self-care
    # said where the writer meant an emergency would be the worst mistake: rare, and never the
    # answer, because the advice model sends home only what the rest of the triage calls routine
    sent_home = [row for row, home in zip(rows, said_home, strict=True) if home]
    emergencies_sent_home = [row for row in sent_home if row.expected_advice == "emergency"]
    assert len(emergencies_sent_home) <= 0.002 * len(rows)
    for row in emergencies_sent_home:
        alone = analyze(model(), detector(), codes=[], text=row.text, sex=row.sex, age=row.age)
        assert alone.urgency == "emergency", row.text
    assert (said_emergency & (expected == "self_care")).sum() <= 0.01 * len(rows)
    assert (said_emergency & (expected == "emergency")).sum() >= 0.8 * (
        expected == "emergency"
    ).sum()


def test_its_reading_of_the_condition_is_a_distribution_over_known_conditions():
    read_conditions = advice.advice_model().conditions("stung by a wasp on my arm, red and puffy")
    assert set(read_conditions) <= set(model().by_code)
    assert sum(read_conditions.values()) == pytest.approx(1.0)
    # the sting itself among the two likeliest (the set holds many stings that turned severe)
    assert "insect_bite" in sorted(read_conditions, key=read_conditions.get)[-2:]


def test_its_reading_of_the_condition_is_mixed_into_the_ranking():
    """Told in words that the phrase table reads as bare vomiting, food poisoning is a guess for
    the condition model alone and the likeliest condition once the text is read as a whole."""
    text = "ate a dodgy kebab last night, been throwing up and on the loo since, drinking water ok"
    trained = advice.advice_model()
    alone = analyze(model(), detector(), trained, codes=[], text=text, read_share=0.0)
    mixed = analyze(model(), detector(), trained, codes=[], text=text)
    assert not alone.conditions  # too little recognised to name anything
    assert mixed.conditions[0][0] == "food_poisoning"
    assert mixed.urgency == "self_care" and not mixed.red_flags
    # symptom codes alone have no text to read: the condition model's answer stands
    codes = ["sting", "red_hot_swollen_skin"]
    assert (
        analyze(model(), detector(), trained, codes=codes).conditions
        == analyze(model(), detector(), trained, codes=codes, read_share=0.0).conditions
    )
