"""The independent test sets that the triage is measured on (data/red_flag_paraphrases.csv and
data/vignettes.csv). Each row belongs to the `tune` half, which rules and thresholds may be
fitted to, or to the `held_out` half, which only measures them."""

import csv
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from inference.vocabulary import DATA

SPLITS = ("tune", "held_out")


@dataclass(frozen=True)
class Paraphrase:
    id: str
    category: str  # a red-flag code, or "" for a control that is not an emergency
    split: str
    text: str


@dataclass(frozen=True)
class Vignette:
    id: str
    split: str
    age: int
    sex: str
    expected_advice: str  # "emergency", "doctor" or "self_care"
    expected_condition: str
    text: str


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def paraphrases() -> tuple[Paraphrase, ...]:
    return tuple(Paraphrase(**row) for row in _rows("red_flag_paraphrases.csv"))


@cache
def vignettes() -> tuple[Vignette, ...]:
    return tuple(Vignette(**{**row, "age": int(row["age"])}) for row in _rows("vignettes.csv"))


Row = TypeVar("Row", "Paraphrase", "Vignette")


def in_split(rows: tuple[Row, ...], split: str) -> list[Row]:
    """The rows of one split, or all of them for split "all"."""
    return [row for row in rows if split in ("all", row.split)]
