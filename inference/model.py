"""The triage model: a logistic regression trained, with a fixed seed, on cases drawn from the
conditions table that the repository ships (data/conditions.csv).

A case is what a patient tells us. Each symptom of a condition is present with its weight in
the table (the share of patients who have it); a patient mentions only some of what they have,
denies some of what they do not have, and now and then mentions something unrelated. The
features are +1 (mentioned), -1 (denied) and 0 (not said), so that "no fever" counts against
the flu while silence about fever does not.

Metrics are top-1 and top-3 accuracy on cases held out from training. They measure how well the
model recovers the table from incomplete reports; they are not a clinical validation."""

import csv
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from inference.artefacts import load_or_train
from inference.vocabulary import DATA, symptoms

URGENCIES = ("self_care", "routine", "soon", "urgent", "emergency")

SEED = 20261123
CASES_PER_CONDITION = 240
HELD_OUT_SHARE = 0.2
MENTION_RATE = 0.8  # a symptom the patient has is mentioned this often
DENIAL_RATE = 0.1  # a symptom of the table the patient does not have is denied this often
STRAY_RATE = 0.01  # any other symptom is mentioned this often (noise, other illnesses)
REGULARISATION = 0.5  # the C of the logistic regression; weaker fits the table better
TOLERANCE = 1e-3


@dataclass(frozen=True)
class Condition:
    code: str
    name: str
    specialty: str
    urgency: str
    sex: str  # "", "female" or "male": a condition of one sex only
    # What the condition is never offered without: each group needs one of its symptoms
    # ("fever+young_infant": both; "headache/blurred_vision": either).
    requires: tuple[frozenset[str], ...]
    weights: dict[str, float]

    def offered(self, present: set[str]) -> bool:
        return all(group & present for group in self.requires)


@dataclass
class Model:
    version: str
    conditions: list[Condition]
    symptom_codes: list[str]
    classifier: LogisticRegression
    metrics: dict = field(default_factory=dict)
    by_code: dict[str, Condition] = field(init=False)
    _column: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {condition.code: condition for condition in self.conditions}
        self._column = {code: i for i, code in enumerate(self.symptom_codes)}

    def features(self, present: list[str], negated: list[str]) -> np.ndarray:
        row = np.zeros((1, len(self.symptom_codes)))
        for code in negated:
            if code in self._column:  # the rules' own symptoms are no feature
                row[0, self._column[code]] = -1.0
        for code in present:
            if code in self._column:
                row[0, self._column[code]] = 1.0
        return row

    def probabilities(self, present: list[str], negated: list[str]) -> dict[str, float]:
        """Each condition's probability given what was said, in table order."""
        scores = self.classifier.predict_proba(self.features(present, negated))[0]
        by_class = dict(zip(self.classifier.classes_, scores, strict=True))
        return {condition.code: float(by_class[condition.code]) for condition in self.conditions}


def _weights(cell: str) -> dict[str, float]:
    pairs = (item.split(":") for item in cell.split("|") if item.strip())
    return {code.strip(): float(weight) for code, weight in pairs}


def load_conditions(path: Path = DATA / "conditions.csv") -> list[Condition]:
    known = symptoms()
    conditions = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            weights = {**_weights(row["typical"]), **_weights(row["less_typical"])}
            requires = tuple(
                frozenset(group.split("/")) for group in row["requires"].split("+") if group
            )
            required = set().union(*requires)
            unknown = sorted(set(weights) - set(known) | (required - set(known)))
            if unknown:
                raise ValueError(f"{row['code']}: unknown symptoms {unknown}")
            if row["urgency"] not in URGENCIES:
                raise ValueError(f"{row['code']}: unknown urgency {row['urgency']!r}")
            conditions.append(
                Condition(
                    code=row["code"],
                    name=row["name"],
                    specialty=row["specialty"],
                    urgency=row["urgency"],
                    sex=row["sex"],
                    requires=requires,
                    weights=weights,
                )
            )
    return conditions


def draw_cases(
    conditions: list[Condition], symptom_codes: list[str], rng: np.random.Generator
) -> tuple[np.ndarray, list[str]]:
    """CASES_PER_CONDITION reports of each condition, as feature rows and labels."""
    rows, labels = [], []
    for condition in conditions:
        weights = np.array([condition.weights.get(code, 0.0) for code in symptom_codes])
        in_table = weights > 0
        taken = 0
        while taken < CASES_PER_CONDITION:
            shape = (CASES_PER_CONDITION, len(symptom_codes))
            has = rng.random(shape) < weights
            mentioned = has & (rng.random(shape) < MENTION_RATE)
            denied = ~has & in_table & (rng.random(shape) < DENIAL_RATE)
            stray = ~in_table & (rng.random(shape) < STRAY_RATE)
            batch = (mentioned | stray).astype(float) - denied.astype(float)
            batch = batch[(batch > 0).any(axis=1)]  # nobody asks about nothing
            batch = batch[: CASES_PER_CONDITION - taken]
            rows.append(batch)
            labels += [condition.code] * len(batch)
            taken += len(batch)
    return np.vstack(rows), labels


def _version(conditions_path: Path) -> str:
    digest = hashlib.sha256()
    for path in (DATA / "symptoms.csv", conditions_path):
        digest.update(path.read_bytes())
    settings = (SEED, CASES_PER_CONDITION, HELD_OUT_SHARE, MENTION_RATE, DENIAL_RATE)
    digest.update(
        repr((settings, STRAY_RATE, REGULARISATION, TOLERANCE, sklearn.__version__)).encode()
    )
    return f"triage-lr-{digest.hexdigest()[:12]}"


def _top_k_accuracy(probabilities: np.ndarray, classes: np.ndarray, truth: list[str], k: int):
    best = np.argsort(-probabilities, axis=1)[:, :k]
    hits = [label in set(classes[row]) for row, label in zip(best, truth, strict=True)]
    return round(float(np.mean(hits)), 4)


def train(conditions_path: Path = DATA / "conditions.csv") -> Model:
    conditions = load_conditions(conditions_path)
    # Only the symptoms some condition has: the rules' own (an overdose, a fall) tell the model
    # nothing, and leaving them out keeps its random draws unchanged when the rules grow.
    used = {code for condition in conditions for code in condition.weights}
    symptom_codes = [code for code in symptoms() if code in used]
    features, labels = draw_cases(conditions, symptom_codes, np.random.default_rng(SEED))
    train_x, test_x, train_y, test_y = train_test_split(
        features, labels, test_size=HELD_OUT_SHARE, random_state=SEED, stratify=labels
    )
    classifier = LogisticRegression(C=REGULARISATION, tol=TOLERANCE, max_iter=2000)
    classifier.fit(train_x, train_y)
    held_out = classifier.predict_proba(test_x)
    metrics = {
        "top1_accuracy": _top_k_accuracy(held_out, classifier.classes_, test_y, 1),
        "top3_accuracy": _top_k_accuracy(held_out, classifier.classes_, test_y, 3),
        "training_cases": len(train_y),
        "held_out_cases": len(test_y),
        "conditions": len(conditions),
        "symptoms": len(symptom_codes),
        "seed": SEED,
    }
    return Model(
        version=_version(conditions_path),
        conditions=conditions,
        symptom_codes=symptom_codes,
        classifier=classifier,
        metrics=metrics,
    )


@cache
def model() -> Model:
    """The one trained model of this process: the artefact that an earlier process trained from
    the same data and code (inference.artefacts), or trained now, in a few seconds."""
    return load_or_train("triage-model", "model", train)
