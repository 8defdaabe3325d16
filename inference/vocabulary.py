"""Symptom codes and the lay phrases patients use for them, from data/symptoms.csv."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Symptom:
    code: str
    name: str
    phrases: tuple[str, ...]


@cache
def symptoms() -> dict[str, Symptom]:
    with (DATA / "symptoms.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Symptom(row["code"], row["name"], tuple(row["phrases"].split("|")))
        for row in rows
    }


# A symptom that is a severe form of another counts as that one too; an overdose taken on
# purpose is both a poisoning and self-harm; "I'm having a heart attack" states an emergency.
IMPLIES = {
    "severe_breathlessness": ("shortness_of_breath",),
    "drowsiness": ("fatigue",),
    "band_rash": ("rash",),
    "collapse": ("unresponsive",),
    "deliberate_overdose": ("overdose", "suicidal_thoughts"),
    "says_heart_attack": ("stated_emergency",),
    "says_stroke": ("stated_emergency",),
    "fall_from_height": ("fall", "major_injury"),
    "sudden_breathlessness": ("shortness_of_breath",),
    "mottled_skin": ("pale_skin",),
    "severe_bp_reading": ("high_bp_reading",),
    "ketosis_sign": ("high_sugar_signs",),
    "very_high_sugar": ("high_sugar_signs",),
}


def with_implied(codes: list[str]) -> list[str]:
    """`codes` and, after them, what they imply (each code once, in order)."""
    implied = [more for code in codes for more in IMPLIES.get(code, ())]
    return list(dict.fromkeys([*codes, *implied]))
