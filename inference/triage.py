"""Symptom analysis: what the patient said, the red-flag rules, then the model.

Red flags come first and override the model: any flag means an emergency, the advice to call
emergency services, and no booking. Otherwise the urgency is the most urgent base urgency among
the conditions the model finds likely, so that a less likely but serious condition still counts,
and a learned second opinion on the whole text may then raise it to an emergency or move it
between self-care and a routine visit (second_opinion)."""

import csv
from dataclasses import dataclass, field
from functools import cache

from inference.advice_model import DOCTOR_FROM, EMERGENCY_FROM, SELF_CARE_FROM, AdviceModel
from inference.flag_detector import FlagDetector
from inference.model import URGENCIES, Condition, Model
from inference.red_flags import CALL, WATCHED_CONDITIONS, RedFlag, flag, red_flag_codes
from inference.text import Reading, read
from inference.vocabulary import DATA, symptoms, with_implied

DISCLAIMER = (
    "This is not a diagnosis. It is a guide to how soon and whom to see, based only on what "
    "you told us. If you feel very unwell or are worried, contact a doctor or emergency "
    "services."
)
ADVICE = {  # self-care advice is per condition: data/self_care.csv
    "routine": "Book a routine visit with a doctor.",
    "soon": "See a doctor within a day or two.",
    "urgent": "See a doctor today. If no visit is free today, go to an urgent care clinic.",
    "emergency": CALL,
}
NOTHING_RECOGNISED = (
    "We could not recognise a symptom in what you wrote, so we cannot say more. Book a routine "
    "visit, or describe how you feel in other words. If this may be an emergency: " + CALL
)
UNSURE_PREFIX = "We recognised too little of what you wrote to be sure."
LITTLE_RECOGNISED = (
    f"{UNSURE_PREFIX} Book a routine visit, and see a doctor sooner if it gets worse. If this "
    "may be an emergency: " + CALL
)
LASTED_TOO_LONG = "This has gone on longer than it usually takes to get better on its own."
SHOWN_CONDITIONS = 5
LIKELY = 0.2  # a condition at least this probable sets the urgency floor
SERIOUS_LIKELY = 0.15  # lower for a condition that is an emergency in itself: safety first
UNSURE = 0.15  # below this, the likeliest condition is a guess: never self-care, never emergency
SHOWN_FROM = 0.01
# The advice model's reading of the condition from the whole text, mixed with the condition
# model's reading of the recognised symptoms: half each. From 0.3 to 0.6, appropriate advice
# out of fold on the tuning vignettes is within 0.1 point, and half is in the middle
# (python -m inference.evaluate --read-shares).
READ_SHARE = 0.5
CHILD_AGE = 16


@dataclass(frozen=True)
class FlagFindings:
    by_rules: list[str]
    by_detector: list[str]

    @property
    def codes(self) -> list[str]:
        """The rules' flags, then any the detector adds: it never removes one."""
        return self.by_rules + [c for c in self.by_detector if c not in self.by_rules]


def find_flags(
    detector: FlagDetector | None,
    *,
    present: list[str],
    reading: Reading | None,
    age: int | None,
) -> FlagFindings:
    child = (age is not None and age < CHILD_AGE) or bool(reading and reading.mentions_child)
    # "young_infant": a baby under 3 months, from the text's ages or words ("newborn")
    infant = "young_infant" in present
    by_rules = red_flag_codes(set(present), child=child, infant=infant)
    by_detector = detector.detect(reading.affirmed_text) if detector and reading else []
    # The detector cannot read ages: a text that says the baby is 3 months or older rules out a
    # fever in a baby under 3 months.
    # Nor a text with no word for a baby or a child, nor an age in weeks or months, from a
    # patient not known to be a baby ("on chemo, temperature 38.4").
    may_be_baby = (age is not None and age < 1) or bool(reading and reading.may_be_baby)
    # Nor a fever that the text denies or measured normal ("no temperature", "36.9 on the
    # thermometer").
    denied_fever = bool(reading and "fever" in reading.negated and "fever" not in present)
    if (
        not may_be_baby
        or (reading and reading.age_in_months is not None and not infant)
        or denied_fever
    ):
        by_detector = [code for code in by_detector if code != "infant_fever"]
    # Nor a child's: a patient known to be an adult who writes of no child struggles to breathe
    # as an adult (the rules' severe_breathing_difficulty), not as a child.
    if age is not None and not child:
        by_detector = [code for code in by_detector if code != "child_breathing_difficulty"]
    # A knock to the head with nothing after it ("bumped my head, just a bruise") is no
    # emergency: the detector's head-injury flag needs some other finding read in the text.
    if not set(present) - {"head_injury", "fall", "injury"}:
        by_detector = [code for code in by_detector if code != "serious_head_injury"]
    # Nor is someone who says they can talk normally too breathless to speak: the detector reads
    # "breathless" and "inhaler" alone as a struggle for breath. The rules still hear blue lips,
    # gasping or an inhaler that does not help.
    if (
        reading
        and reading.talks_normally
        and not {"severe_breathlessness", "speech_difficulty"} & set(present)
    ):
        by_detector = [code for code in by_detector if code != "severe_breathing_difficulty"]
    return FlagFindings(by_rules, by_detector)


@dataclass
class Analysis:
    present: list[str]
    negated: list[str]
    unknown_words: list[str]
    red_flags: list[RedFlag]
    conditions: list[tuple[str, float]] = field(default_factory=list)  # (code, probability)
    urgency: str = "routine"
    specialty: str = "family-medicine"
    advice: str = ""

    @property
    def booking_offered(self) -> bool:
        """Never in an emergency: call emergency services instead."""
        return self.urgency != "emergency"


def unknown_codes(codes: list[str]) -> list[str]:
    known = symptoms()
    return [code for code in codes if code not in known]


# Seen the same day whatever else is found (and whatever the model thinks likely).
URGENT_ALONE = {"shortness_of_breath", "coughing_blood", "confusion"}


def likely_from(condition: Condition) -> float:
    """How probable a condition must be to set the urgency: less for an emergency that no red
    flag rule watches for (appendicitis, testicular torsion), since nothing else would."""
    if condition.urgency == "emergency" and condition.code not in WATCHED_CONDITIONS:
        return SERIOUS_LIKELY
    return LIKELY


def urgency_of(
    ranked: list[tuple[str, float]], by_code: dict[str, Condition], present: list[str]
) -> str:
    """The most urgent base urgency among the likely conditions (ranked, most probable first).
    A condition none of whose symptoms was recognised sets none, when others were: the reading
    of the whole text can find "sudden", "red" and "swollen" in a torsion of the testicle and
    in gout of the big toe alike."""
    likely = [
        by_code[code]
        for code, p in ranked
        if p >= likely_from(by_code[code])
        and (not present or set(present) & set(by_code[code].weights))
    ]
    if likely:
        return max((c.urgency for c in likely), key=URGENCIES.index)
    top = by_code[ranked[0][0]]
    # An emergency that its rules did not raise, and too unlikely to call: seen the same day.
    return "urgent" if top.urgency == "emergency" else top.urgency


def second_opinion(
    levels: dict[str, float], urgency: str, likeliest: list[Condition], top: Condition
) -> tuple[str, Condition]:
    """The urgency after the advice model's reading of the whole text (inference.advice_model),
    and the condition whose home care a self-care answer gives. It may raise any answer to an
    emergency; it may send home only with a condition that has home care (data/self_care.csv)
    among the three likeliest."""
    if urgency != "emergency" and levels["emergency"] >= EMERGENCY_FROM:
        return "emergency", top
    if urgency == "self_care" and levels["doctor"] >= DOCTOR_FROM:
        return "routine", top
    home = next((c for c in likeliest if c.code in self_care()), None)
    if urgency == "routine" and home and levels["self_care"] >= SELF_CARE_FROM:
        return "self_care", home
    return urgency, top


def analyze(
    model: Model,
    detector: FlagDetector | None = None,
    advice: AdviceModel | None = None,
    *,
    codes: list[str],
    text: str = "",
    sex: str | None = None,
    age: int | None = None,
    read_share: float = READ_SHARE,
) -> Analysis:
    reading = read(text) if text else None
    if reading and reading.about_someone_else:  # the account holder's age and sex are not theirs
        sex, age = None, None
    present = with_implied(codes + (reading.present if reading else []))
    negated = [code for code in (reading.negated if reading else []) if code not in present]
    findings = find_flags(detector, present=present, reading=reading, age=age)
    analysis = Analysis(
        present=present,
        negated=negated,
        unknown_words=reading.unknown if reading else [],
        red_flags=[flag(code) for code in findings.codes],
    )
    if analysis.red_flags:
        analysis.urgency, analysis.specialty = "emergency", "emergency-medicine"
        analysis.advice = ADVICE["emergency"]
    if not present:
        if not analysis.red_flags:
            analysis.advice = NOTHING_RECOGNISED
        return analysis

    by_code = model.by_code
    probabilities = model.probabilities(present, negated)
    if advice and reading and read_share:
        read_conditions = advice.conditions(reading.affirmed_text)
        probabilities = {
            code: (1 - read_share) * p + read_share * read_conditions.get(code, 0.0)
            for code, p in probabilities.items()
        }
    if sex:  # a condition of the other sex is impossible, not merely unlikely
        probabilities = {
            code: p for code, p in probabilities.items() if by_code[code].sex in ("", sex)
        }
    # "A fever in a baby under 3 months" is no answer without a fever, nor for an older child.
    probabilities = {
        code: p for code, p in probabilities.items() if by_code[code].offered(set(present))
    }
    total = sum(probabilities.values()) or 1.0
    ranked = sorted(
        ((code, p / total) for code, p in probabilities.items()), key=lambda item: -item[1]
    )
    if ranked[0][1] >= UNSURE:  # guesses are not shown: they would only mislead
        analysis.conditions = [
            (code, round(p, 4)) for code, p in ranked[:SHOWN_CONDITIONS] if p >= SHOWN_FROM
        ]
    if analysis.red_flags:
        return analysis
    top = by_code[ranked[0][0]]
    analysis.urgency = urgency_of(ranked, by_code, present)
    analysis.specialty = top.specialty
    baby = "young_infant" in present
    same_day = baby or bool(URGENT_ALONE & set(present))
    if same_day and URGENCIES.index(analysis.urgency) < URGENCIES.index("urgent"):
        # A baby under 3 months is seen the same day, whatever it is (NICE NG143), and so is
        # anyone short of breath, coughing blood or newly confused (NHS: urgent GP or 111).
        analysis.urgency = "urgent"
    if ranked[0][1] < UNSURE:
        # A guess is no ground for sending someone home, nor for an ambulance without a flag;
        # a guess that points to a doctor within a day or two keeps that.
        if analysis.urgency in ("self_care", "emergency"):
            analysis.urgency = "urgent" if same_day else "routine"
        if top.urgency == "emergency":  # emergency medicine is never booked
            analysis.specialty = "family-medicine"
        if analysis.urgency == "routine":
            analysis.advice = LITTLE_RECOGNISED
        else:
            analysis.advice = f"{UNSURE_PREFIX} {ADVICE[analysis.urgency]}"
        return analysis
    home = top  # the condition whose home care a self-care answer gives
    if advice and reading:
        analysis.urgency, home = second_opinion(
            advice.levels(reading.affirmed_text),
            analysis.urgency,
            [by_code[code] for code, _ in analysis.conditions[:3]],
            home,
        )
    if analysis.urgency == "emergency":
        analysis.specialty = "emergency-medicine"
    if analysis.urgency != "self_care":
        analysis.advice = ADVICE[analysis.urgency]
        return analysis
    # What to do at home and when to see a doctor after all, unless it has gone on too long.
    care = self_care()[home.code]
    lasted = reading.duration_days if reading else None
    if care.days and lasted and lasted >= care.days:
        analysis.urgency = "routine"
        analysis.advice = f"{LASTED_TOO_LONG} {ADVICE['routine']}"
    else:
        analysis.advice = care.advice
    return analysis


@dataclass(frozen=True)
class SelfCare:
    advice: str  # what to do at home, and the signs that mean a doctor after all
    days: int | None  # how long self-care may take before a doctor should see it


def _how_long(days: int) -> str:
    if days % 30 == 0 and days >= 60:
        return f"{days // 30} months"
    if days % 7 == 0 and days >= 14:
        return f"{days // 7} weeks"
    return f"{days} days"


@cache
def self_care() -> dict[str, SelfCare]:
    """Each self-care condition's advice and time limit (data/self_care.csv)."""
    with (DATA / "self_care.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    care = {}
    for row in rows:
        days = int(row["days"]) if row["days"] else None
        when = row["see_a_doctor_if"]
        if days:
            when = f"it lasts more than {_how_long(days)}, {when}"
        care[row["code"]] = SelfCare(f"{row['advice']} See a doctor if {when}.", days)
    return care
