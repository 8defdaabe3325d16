"""The triage measured on the independent test sets: red-flag sensitivity per category and
specificity on controls (rules, learned detector, and both), and the advice level and
condition on the vignettes.

    python -m inference.evaluate                    # the held-out half
    python -m inference.evaluate --split tune       # or all; --json for machine-readable
    python -m inference.evaluate --read-shares      # the share of the advice model's reading
                                                    # of the condition, out of fold"""

import argparse
import json
from collections import Counter
from dataclasses import dataclass

from inference.advice_model import AdviceModel, advice_model, out_of_fold_models
from inference.flag_detector import FlagDetector, detector
from inference.model import Model, model
from inference.paraphrases import Paraphrase, Vignette, in_split, paraphrases, vignettes
from inference.red_flags import MESSAGES
from inference.text import read
from inference.triage import READ_SHARE, analyze, find_flags

# What counts as appropriate advice for each level of the vignettes (Semigran et al. 2015).
APPROPRIATE = {
    "emergency": {"emergency"},
    "doctor": {"routine", "soon", "urgent"},
    "self_care": {"self_care"},
}
SOURCES = ("rules", "detector", "combined")


@dataclass
class FlagResult:
    row: Paraphrase
    flags: dict[str, list[str]]  # by source


def flag_results(rows: list[Paraphrase], trained: FlagDetector) -> list[FlagResult]:
    results = []
    for row in rows:
        reading = read(row.text)
        findings = find_flags(trained, present=reading.present, reading=reading, age=None)
        results.append(
            FlagResult(
                row,
                {
                    "rules": findings.by_rules,
                    "detector": findings.by_detector,
                    "combined": findings.codes,
                },
            )
        )
    return results


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def flag_report(results: list[FlagResult]) -> dict:
    emergencies = [r for r in results if r.row.category]
    controls = [r for r in results if not r.row.category]
    per_category = {}
    for category in MESSAGES:  # the rule-only flags too: the detector's share stays 0
        rows = [r for r in emergencies if r.row.category == category]
        per_category[category] = {
            "cases": len(rows),
            **{s: _share(sum(category in r.flags[s] for r in rows), len(rows)) for s in SOURCES},
        }
    return {
        "emergencies": len(emergencies),
        "controls": len(controls),
        "sensitivity": {
            s: _share(sum(r.row.category in r.flags[s] for r in emergencies), len(emergencies))
            for s in SOURCES
        },
        "any_flag_on_emergencies": _share(
            sum(bool(r.flags["combined"]) for r in emergencies), len(emergencies)
        ),
        "specificity": {
            s: _share(sum(not r.flags[s] for r in controls), len(controls)) for s in SOURCES
        },
        "per_category": per_category,
        "missed": [
            {
                "id": r.row.id,
                "category": r.row.category,
                "raised": r.flags["combined"],
                "text": r.row.text,
            }
            for r in emergencies
            if r.row.category not in r.flags["combined"]
        ],
        "false_alarms": [
            {"id": r.row.id, "raised": r.flags["combined"], "text": r.row.text}
            for r in controls
            if r.flags["combined"]
        ],
    }


def vignette_report(
    rows: list[Vignette],
    trained: Model,
    flags: FlagDetector,
    advice: AdviceModel | None,
    read_share: float = READ_SHARE,
) -> dict:
    outcomes = []
    for row in rows:
        analysis = analyze(
            trained,
            flags,
            advice,
            codes=[],
            text=row.text,
            sex=row.sex,
            age=row.age,
            read_share=read_share,
        )
        ranked = [code for code, _ in analysis.conditions]
        outcomes.append(
            {
                "id": row.id,
                "expected_advice": row.expected_advice,
                "expected_condition": row.expected_condition,
                "urgency": analysis.urgency,
                "appropriate": analysis.urgency in APPROPRIATE[row.expected_advice],
                "top1": ranked[:1] == [row.expected_condition],
                "top3": row.expected_condition in ranked[:3],
                "conditions": ranked[:3],
                "red_flags": [f.code for f in analysis.red_flags],
                "text": row.text,
            }
        )
    by_level = {}
    for level in APPROPRIATE:
        level_rows = [o for o in outcomes if o["expected_advice"] == level]
        by_level[level] = {
            "cases": len(level_rows),
            "appropriate": _share(sum(o["appropriate"] for o in level_rows), len(level_rows)),
            "advised": dict(Counter(o["urgency"] for o in level_rows)),
        }
    return {
        "cases": len(outcomes),
        "appropriate_advice": _share(sum(o["appropriate"] for o in outcomes), len(outcomes)),
        "by_level": by_level,
        "condition_top1": _share(sum(o["top1"] for o in outcomes), len(outcomes)),
        "condition_top3": _share(sum(o["top3"] for o in outcomes), len(outcomes)),
        "misses": [o for o in outcomes if not (o["appropriate"] and o["top3"])],
    }


def report(split: str) -> dict:
    trained_flags = detector()
    return {
        "split": split,
        "red_flags": flag_report(flag_results(in_split(paraphrases(), split), trained_flags)),
        "vignettes": vignette_report(
            in_split(vignettes(), split), model(), trained_flags, advice_model()
        ),
    }


def read_share_report(shares: tuple[float, ...] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)) -> dict:
    """For each share of the advice model's reading of the condition: appropriate advice and
    the right condition first and in the top three on the tuning vignettes, each answered with
    an advice model that did not learn it (five folds)."""
    rows = in_split(vignettes(), "tune")
    folds = out_of_fold_models(rows)
    trained, flags = model(), detector()
    result = {}
    for share in shares:
        parts = [
            vignette_report([rows[i] for i in unseen], trained, flags, fitted, share)
            for fitted, unseen in folds
        ]
        result[share] = {
            figure: round(sum(part[figure] * part["cases"] for part in parts) / len(rows), 4)
            for figure in ("appropriate_advice", "condition_top1", "condition_top3")
        }
    return result


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def print_report(result: dict) -> None:
    flags, cases = result["red_flags"], result["vignettes"]
    print(f"Split: {result['split']}\n")
    print(f"Red flags: {flags['emergencies']} emergencies, {flags['controls']} controls")
    print(f"{'category':<28}{'cases':>6}{'rules':>10}{'detector':>10}{'combined':>10}")
    for category, row in flags["per_category"].items():
        shares = "".join(f"{_percent(row[s]):>10}" for s in SOURCES)
        print(f"{category:<28}{row['cases']:>6}{shares}")
    print(
        f"{'sensitivity, all':<28}{flags['emergencies']:>6}"
        + "".join(f"{_percent(flags['sensitivity'][s]):>10}" for s in SOURCES)
    )
    print(
        f"{'specificity (controls)':<28}{flags['controls']:>6}"
        + "".join(f"{_percent(flags['specificity'][s]):>10}" for s in SOURCES)
    )
    print(f"Emergencies with any flag: {_percent(flags['any_flag_on_emergencies'])}")
    print(f"\nMissed emergencies ({len(flags['missed'])}):")
    for miss in flags["missed"]:
        print(f"  {miss['id']} {miss['category']} (raised {miss['raised']}): {miss['text']}")
    print(f"\nControls flagged ({len(flags['false_alarms'])}):")
    for alarm in flags["false_alarms"]:
        print(f"  {alarm['id']} {alarm['raised']}: {alarm['text']}")
    print(f"\nVignettes: {cases['cases']}")
    print(f"Appropriate advice: {_percent(cases['appropriate_advice'])}")
    for level, row in cases["by_level"].items():
        share = _percent(row["appropriate"])
        print(f"  {level:<10} {row['cases']:>4} cases {share:>8}  {row['advised']}")
    print(f"Right condition first: {_percent(cases['condition_top1'])}")
    print(f"Right condition in the top 3: {_percent(cases['condition_top3'])}")
    print(f"\nWrong advice, or the condition outside the top 3 ({len(cases['misses'])}):")
    for miss in cases["misses"]:
        print(
            f"  {miss['id']} expected {miss['expected_advice']}/{miss['expected_condition']}, "
            f"got {miss['urgency']} {miss['conditions']} {miss['red_flags']}: {miss['text']}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("held_out", "tune", "all"), default="held_out")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--read-shares", action="store_true")
    arguments = parser.parse_args(argv)
    if arguments.read_shares:
        print(json.dumps(read_share_report(), indent=2))
        return
    result = report(arguments.split)
    if arguments.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
