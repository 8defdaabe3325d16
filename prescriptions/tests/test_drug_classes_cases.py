"""The independently written drug/allergy pairs (prescriptions/data/allergy_cases_heldout.csv)
stay right: every conflict refused, every cross-reactivity warned, nothing raised otherwise."""

import csv
from pathlib import Path

from prescriptions.drug_classes import CONFLICT, allergy_findings

CASES = Path(__file__).resolve().parents[1] / "data" / "allergy_cases_heldout.csv"


def verdict(drug: str, allergy: str) -> str:
    findings = allergy_findings(drug, [allergy])
    if any(finding.severity == CONFLICT for finding in findings):
        return "conflict"
    return "warning" if findings else "none"


def test_every_independent_case_gets_its_expected_verdict():
    rows = list(csv.DictReader(CASES.open(encoding="utf-8")))
    assert len(rows) == 160
    wrong = [
        (row["id"], row["drug_as_prescribed"], row["allergy_as_recorded"], row["expected"], got)
        for row in rows
        if (got := verdict(row["drug_as_prescribed"], row["allergy_as_recorded"]))
        != row["expected"]
    ]
    assert wrong == []
