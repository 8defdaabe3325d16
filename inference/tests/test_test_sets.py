"""The triage measured on the independent test sets (data/red_flag_paraphrases.csv and
data/vignettes.csv): the shape of the sets, the figures that must hold, and the report."""

from collections import Counter

import pytest

from inference.evaluate import APPROPRIATE, flag_results, main, report
from inference.first_contact import report as first_contact_report
from inference.flag_detector import detector, shipped_calibration
from inference.paraphrases import SPLITS, in_split, paraphrases, vignettes
from inference.red_flags import CATEGORIES, MESSAGES


@pytest.fixture(scope="module")
def whole_set_flags():
    return flag_results(list(paraphrases()), detector())


def test_the_paraphrase_set_covers_every_flag_and_has_near_miss_controls():
    rows = paraphrases()
    emergencies = [row for row in rows if row.category]
    per_category = Counter(row.category for row in emergencies)
    assert len(emergencies) >= 300 and len(rows) - len(emergencies) >= 150
    assert set(per_category) == set(MESSAGES)
    assert set(CATEGORIES) == set(MESSAGES)
    assert min(per_category.values()) >= 20
    assert {row.split for row in rows} <= set(SPLITS)
    assert len(in_split(rows, "held_out")) >= 300
    assert len({row.id for row in rows}) == len(rows)


def test_the_vignette_set_has_a_third_per_advice_level_in_both_halves():
    rows = vignettes()
    assert len(rows) >= 150
    for split in SPLITS:
        levels = Counter(row.expected_advice for row in in_split(rows, split))
        assert set(levels) == set(APPROPRIATE)
        assert max(levels.values()) == min(levels.values()), levels
    assert len({row.id for row in rows}) == len(rows)


def test_every_emergency_of_the_whole_set_raises_its_own_flag(whole_set_flags):
    missed = [
        (result.row.id, result.row.category, result.row.text)
        for result in whole_set_flags
        if result.row.category and result.row.category not in result.flags["combined"]
    ]
    assert missed == []


def test_the_learned_detector_only_adds_flags(whole_set_flags):
    for result in whole_set_flags:
        rules, combined = result.flags["rules"], result.flags["combined"]
        assert combined[: len(rules)] == rules
        assert set(combined) == set(rules) | set(result.flags["detector"])


def test_nine_in_ten_controls_raise_no_flag(whole_set_flags):
    controls = [result for result in whole_set_flags if not result.row.category]
    quiet = sum(not result.flags["combined"] for result in controls)
    assert quiet / len(controls) >= 0.9


def test_the_shipped_calibration_matches_the_data_and_code():
    """Rebuild it with `python -m inference.flag_detector` after changing either."""
    calibration = shipped_calibration()
    assert calibration is not None
    assert calibration["thresholds"] == detector().thresholds
    assert set(calibration["thresholds"]) == set(CATEGORIES)
    assert 0 < calibration["metrics"]["out_of_fold_sensitivity"] <= 1


def test_the_held_out_vignettes_find_the_right_condition_in_the_top_three():
    figures = report("held_out")["vignettes"]
    assert figures["cases"] >= 150
    assert figures["condition_top3"] >= 0.8


def test_the_report_prints_every_figure(capsys):
    main(["--split", "held_out"])
    shown = capsys.readouterr().out
    for category in MESSAGES:
        assert category in shown
    for line in ("sensitivity, all", "specificity (controls)", "Appropriate advice"):
        assert line in shown
    assert "Right condition in the top 3" in shown


def test_the_first_contact_report_counts_flags_misses_and_quiet_controls(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text(
        "id,category,text\n"
        'e1,possible_stroke,"her face is drooping and her speech is slurred"\n'
        'e2,possible_stroke,"my knee aches a little"\n'
        'c1,control,"I would like a repeat prescription for my inhaler"\n',
        encoding="utf-8",
    )
    printed = first_contact_report(batch)
    assert "possible_stroke                    2     50.0 %    50.0 %" in printed
    assert "controls left quiet                1    100.0 %" in printed
    assert "e2 possible_stroke (raised []): my knee aches a little" in printed
