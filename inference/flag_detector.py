"""A second, learned red-flag detector that can only add flags, never remove one.

Rules and phrase lists never cover every wording ("can't get any air in", "gone a funny
colour"). This detector reads the words and letters of the whole text: word and character
n-gram TF-IDF, and one logistic regression per red-flag category. It learns from the tuning
half of data/red_flag_paraphrases.csv, the tuning vignettes that are no emergency
(data/vignettes.csv), and the phrase table itself: each red-flag phrase (or, for flags that
need two findings, seeded pairs of phrases) as an example of its flag, each other phrase as
an example of no flag.

It reads what the rules leave after taking out denied findings, history and figures of speech
(Reading.affirmed_text), so that "no thoughts of self-harm" is no flag. Each category's
threshold is chosen on the training data for sensitivity first: a margin below the lowest
out-of-fold probability of the category's tuning paraphrases, raised only as far as needed
to flag at most MAX_CONTROL_FLAG_SHARE of the tuning controls, and never below FLOOR.
Training is seeded."""

import hashlib
import json
import logging
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import sklearn
from scipy.sparse import hstack
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from inference.artefacts import load_or_train
from inference.paraphrases import in_split, paraphrases, vignettes
from inference.red_flags import CATEGORIES
from inference.text import read
from inference.vocabulary import DATA, symptoms, with_implied

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
# Thresholds and figures computed by `python -m inference.flag_detector` (about 10 s), so that
# start-up only fits the classifiers (about 3 s). A stale file is ignored and recomputed.
CALIBRATION = DATA / "flag_calibration.json"
SEED = 20261202
FOLDS = 5
REGULARISATION = 4.0  # the C of each logistic regression
MAX_CONTROL_FLAG_SHARE = 0.005  # at most this share of tuning controls flagged, per category
FLOOR = 0.3  # never a threshold below this: noise would flag everything
PAIRS_PER_COMBINATION = 60
MARGIN = 0.8  # the threshold sits this far below the lowest tuning emergency's score

# Flags raised by one symptom alone, and flags that need two findings together.
SINGLE = {
    "severe_bleeding": "severe_bleeding",
    "vomiting_blood": "severe_bleeding",
    "throat_swelling": "possible_anaphylaxis",
    "non_blanching_rash": "possible_meningitis",
    "bulging_fontanelle": "possible_meningitis",
    "suicidal_thoughts": "suicidal_thoughts",
    "worst_headache": "thunderclap_headache",
    "overdose": "possible_poisoning",
    "deliberate_overdose": "possible_poisoning",  # and "suicidal_thoughts", which it implies
    "unresponsive": "unresponsive",
    "seizure": "seizure",
    "stated_emergency": "stated_emergency",
    "gtn_not_working": "possible_heart_attack",
    "says_heart_attack": "possible_heart_attack",  # and "stated_emergency", which it implies
    "says_stroke": "possible_stroke",
    "collapse": "stated_emergency",  # and "unresponsive", which it implies
    "major_injury": "stated_emergency",
    "fall_from_height": "stated_emergency",  # a serious injury
    "hypothermia": "stated_emergency",
    "heatstroke": "stated_emergency",
    "choking": "stated_emergency",
    "emergency_birth": "stated_emergency",
    "face_droop": "possible_stroke",
    "arm_weakness": "possible_stroke",
    "speech_difficulty": "possible_stroke",
    "severe_breathlessness": "severe_breathing_difficulty",
    "blue_lips": "severe_breathing_difficulty",
    "inhaler_not_helping": "severe_breathing_difficulty",
}
CHILD_WORDS = ("my son", "my daughter", "my baby", "my toddler", "my little boy", "our child")
INFANT_WORDS = ("my 3 week old", "my newborn", "our 6 week old baby", "my 2 month old")
AFTER_A_KNOCK = (
    "confusion",
    "drowsiness",
    "vomiting",
    "fluid_from_nose_or_ear",
    "memory_problems",
    "unequal_pupils",
)
HEART_ATTACK_SECONDS = ("shortness_of_breath", "sweating", "arm_or_jaw_pain")
ALLERGY_FIRSTS = ("allergic_reaction", "hives", "lip_swelling")
PAIRED = {
    "possible_heart_attack": (("chest_pain",), HEART_ATTACK_SECONDS),
    "possible_meningitis": (("fever",), ("stiff_neck",)),
    "possible_anaphylaxis": (ALLERGY_FIRSTS, ("wheezing", "shortness_of_breath")),
    "child_breathing_difficulty": (CHILD_WORDS, ("shortness_of_breath", "wheezing", "blue_lips")),
    "infant_fever": (INFANT_WORDS, ("fever",)),
    "possible_ectopic_pregnancy": (("pregnancy", "missed_period"), ("pelvic_pain", "fainting")),
    "serious_head_injury": (("head_injury",), AFTER_A_KNOCK),
}  # fmt: skip


@dataclass
class FlagDetector:
    words: TfidfVectorizer
    letters: TfidfVectorizer
    classifiers: dict[str, LogisticRegression]
    thresholds: dict[str, float]
    metrics: dict = field(default_factory=dict)
    version: str = ""
    # All categories' weights side by side: one product scores every category at once.
    _weights: np.ndarray = field(init=False, repr=False)
    _intercepts: np.ndarray = field(init=False, repr=False)
    _cutoffs: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        models = [self.classifiers[category] for category in CATEGORIES]
        # In the row-major layout that scipy's sparse product takes: not copied at each call.
        self._weights = np.ascontiguousarray(np.vstack([m.coef_[0] for m in models]).T)
        self._intercepts = np.array([m.intercept_[0] for m in models])
        self._cutoffs = np.array([self.thresholds[category] for category in CATEGORIES])

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text, one column per category (in CATEGORIES order)."""
        features = hstack([self.words.transform(texts), self.letters.transform(texts)]).tocsr()
        return expit(features @ self._weights + self._intercepts)

    def detect(self, text: str) -> list[str]:
        """The categories whose probability reaches their threshold, in category order."""
        reached = self.probabilities([text])[0] >= self._cutoffs
        return [category for category, hit in zip(CATEGORIES, reached, strict=True) if hit]


def _phrases(source: str) -> tuple[str, ...]:
    """A symptom's phrases, or the words themselves for the child and infant openers."""
    table = symptoms()
    phrases = table[source].phrases if source in table else (source,)
    return tuple(phrase.replace(" & ", " ") for phrase in phrases)


def training_examples() -> tuple[list[str], list[set[str]], list[bool]]:
    """Texts, the flags each one carries, and whether it is a tuning example."""
    texts: list[str] = []
    labels: list[set[str]] = []
    tuning: list[bool] = []
    for row in in_split(paraphrases(), "tune"):
        texts.append(read(row.text).affirmed_text)
        labels.append({row.category} if row.category else set())
        tuning.append(True)
    for case in in_split(vignettes(), "tune"):  # real complaints that are no emergency
        if case.expected_advice != "emergency":
            texts.append(read(case.text).affirmed_text)
            labels.append(set())
            tuning.append(True)
    rng = random.Random(SEED)
    for code, symptom in symptoms().items():
        for phrase in symptom.phrases:
            texts.append(phrase.replace(" & ", " "))
            labels.append({SINGLE[c] for c in with_implied([code]) if c in SINGLE})
            tuning.append(False)
    for category, (firsts, seconds) in PAIRED.items():
        first_phrases = [p for source in firsts for p in _phrases(source)]
        second_phrases = [p for source in seconds for p in _phrases(source)]
        for _ in range(PAIRS_PER_COMBINATION):
            first, second = rng.choice(first_phrases), rng.choice(second_phrases)
            texts.append(f"{first} and {second}")
            labels.append({category})
            tuning.append(False)
    return texts, labels, tuning


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
    letters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True
    )
    return words, letters


def _fit(texts: list[str], targets: np.ndarray) -> tuple:
    words, letters = _vectorizers()
    features = hstack([words.fit_transform(texts), letters.fit_transform(texts)]).tocsr()
    classifiers = {}
    for column, category in enumerate(CATEGORIES):
        classifier = LogisticRegression(
            C=REGULARISATION, class_weight="balanced", max_iter=2000, solver="liblinear"
        )
        classifier.fit(features, targets[:, column])
        classifiers[category] = classifier
    return words, letters, classifiers


def _out_of_fold(texts: list[str], targets: np.ndarray) -> np.ndarray:
    """Each example's probabilities from a model that did not see it."""
    scores = np.zeros(targets.shape)
    strata = targets.argmax(axis=1) + targets.any(axis=1)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train_index, test_index in folds.split(texts, strata):
        words, letters, classifiers = _fit([texts[i] for i in train_index], targets[train_index])
        held = [texts[i] for i in test_index]
        features = hstack([words.transform(held), letters.transform(held)]).tocsr()
        for column, category in enumerate(CATEGORIES):
            scores[test_index, column] = classifiers[category].predict_proba(features)[:, 1]
    return scores


def _threshold(positives: np.ndarray, controls: np.ndarray) -> float:
    """Sensitivity first: a margin below the lowest positive's score, raised only as far as
    needed to flag at most MAX_CONTROL_FLAG_SHARE of the controls."""
    lowest_positive = float(positives.min()) * MARGIN if len(positives) else 0.5
    allowed = int(MAX_CONTROL_FLAG_SHARE * len(controls))
    control_bound = float(np.sort(controls)[::-1][allowed]) if len(controls) > allowed else 0.0
    return max(FLOOR, lowest_positive, control_bound + 1e-6)


def calibrate() -> dict:
    """Thresholds and out-of-fold figures, from five models that each left a fifth out."""
    texts, labels, tuning = training_examples()
    targets = _targets(labels)
    out_of_fold = _out_of_fold(texts, targets)
    is_tuning = np.array(tuning)
    is_control = is_tuning & ~targets.any(axis=1)
    thresholds = {}
    for column, category in enumerate(CATEGORIES):
        positives = out_of_fold[is_tuning & targets[:, column], column]
        thresholds[category] = round(_threshold(positives, out_of_fold[is_control, column]), 4)
    flagged = np.array([out_of_fold[:, i] >= thresholds[c] for i, c in enumerate(CATEGORIES)]).T
    emergencies = is_tuning & targets.any(axis=1)
    return {
        "version": version(),
        "thresholds": thresholds,
        "metrics": {
            "training_examples": len(texts),
            "tuning_examples": int(is_tuning.sum()),
            "out_of_fold_sensitivity": round(
                float((flagged & targets)[emergencies].any(axis=1).mean()), 4
            ),
            "out_of_fold_specificity": round(float(1 - flagged[is_control].any(axis=1).mean()), 4),
            "seed": SEED,
        },
    }


def _targets(labels: list[set[str]]) -> np.ndarray:
    return np.array([[category in label for category in CATEGORIES] for label in labels])


def shipped_calibration() -> dict | None:
    """The calibration written by `python -m inference.flag_detector`, if it still matches
    the data and code it was computed from."""
    if not CALIBRATION.exists():
        return None
    calibration = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return calibration if calibration.get("version") == version() else None


def train() -> FlagDetector:
    calibration = shipped_calibration()
    if calibration is None:
        logger.warning("%s is stale or missing: calibrating at start-up", CALIBRATION.name)
        calibration = calibrate()
    texts, labels, _ = training_examples()
    words, letters, classifiers = _fit(texts, _targets(labels))
    return FlagDetector(
        words,
        letters,
        classifiers,
        calibration["thresholds"],
        calibration["metrics"],
        calibration["version"],
    )


def version() -> str:
    """A hash of everything the detector learns from and reads with."""
    digest = hashlib.sha256()
    for name in ("red_flag_paraphrases.csv", "vignettes.csv", "symptoms.csv"):
        digest.update((DATA / name).read_bytes())
    for module in ("text.py", "vocabulary.py", "flag_detector.py", "red_flags.py"):
        digest.update((HERE / module).read_bytes())
    digest.update(sklearn.__version__.encode())
    return digest.hexdigest()[:12]


@cache
def detector() -> FlagDetector:
    """The one trained detector of this process: the artefact that an earlier process trained
    from the same data, calibration and code (inference.artefacts), or trained now."""
    return load_or_train("flag-detector", "flag_detector", train)


if __name__ == "__main__":
    CALIBRATION.write_text(json.dumps(calibrate(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {CALIBRATION}")
