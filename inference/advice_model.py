"""A learned second opinion on the level of advice and on the condition, read from the
patient's own words.

The condition model (model.py) knows only the symptoms that the phrase table recognises, so a
mild complaint told in words the table lacks ("otherwise fine", "settles with antacids") and a
grave one told calmly both reach it as a few bare symptoms. This model reads the whole text, as
the flag detector does: word and character n-gram TF-IDF and two multinomial logistic
regressions, one over the three levels of the vignettes (emergency, doctor, self-care) and one
over their expected conditions, trained on the tuning half of data/vignettes.csv. Training is
seeded.

It never decides alone. triage.analyze lets it:
- raise an answer to an emergency when it is confident of one (never lower one);
- turn a routine visit into self-care only when a condition with home care (data/self_care.csv)
  is among the three likeliest, so that the answer can name its home care and warning signs;
- turn self-care into a routine visit when it is confident that a doctor is needed.
Where too little is recognised, or a red flag is raised, it changes nothing. Its thresholds are
chosen from out-of-fold figures on the tuning half (`python -m inference.advice_model`).

Its reading of the condition is mixed half and half with the condition model's
(triage.READ_SHARE), before anything else is decided: the share with the best appropriate advice
out of fold on the tuning half. `python -m inference.advice_model` prints the ranking's
out-of-fold figures for other shares."""

import json
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from inference.artefacts import key, load_or_train
from inference.paraphrases import Vignette, in_split, vignettes
from inference.text import read

LEVELS = ("doctor", "emergency", "self_care")  # the classifier's columns (sorted labels)
SEED = 20261203
FOLDS = 5
REGULARISATION = 4.0
# How sure it must be to change an answer, chosen on the tuning half's out-of-fold figures
# (see __main__): an emergency is raised from 0.7, self-care and a doctor from 0.6.
EMERGENCY_FROM = 0.7
SELF_CARE_FROM = 0.6
DOCTOR_FROM = 0.6


@dataclass
class AdviceModel:
    words: TfidfVectorizer
    letters: TfidfVectorizer
    classifier: LogisticRegression  # the level of advice
    condition_classifier: LogisticRegression | None  # None: trained for the levels only
    version: str = ""
    _classes: list[str] = field(init=False)

    def __post_init__(self) -> None:
        fitted = self.condition_classifier
        self._classes = [str(code) for code in fitted.classes_] if fitted else []

    def _features(self, affirmed_texts: list[str]):
        return hstack(
            [self.words.transform(affirmed_texts), self.letters.transform(affirmed_texts)]
        ).tocsr()

    def probabilities(self, affirmed_texts: list[str]) -> np.ndarray:
        """One row per text, one column per level (in LEVELS order)."""
        return self.classifier.predict_proba(self._features(affirmed_texts))

    def levels(self, affirmed_text: str) -> dict[str, float]:
        return dict(zip(LEVELS, self.probabilities([affirmed_text])[0].tolist(), strict=True))

    def conditions(self, affirmed_text: str) -> dict[str, float]:
        """Each condition's probability as read from the text; a condition that no tuning
        vignette expects is absent (zero)."""
        if self.condition_classifier is None:
            return {}
        scores = self.condition_classifier.predict_proba(self._features([affirmed_text]))[0]
        return dict(zip(self._classes, scores.tolist(), strict=True))


def _fit(texts: list[str], levels: list[str], conditions: list[str] | None) -> AdviceModel:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    features = hstack([words.fit_transform(texts), letters.fit_transform(texts)]).tocsr()
    classifier = LogisticRegression(C=REGULARISATION, max_iter=3000, random_state=SEED)
    classifier.fit(features, levels)
    assert tuple(classifier.classes_) == LEVELS
    if conditions is None:
        return AdviceModel(words, letters, classifier, None)
    condition_classifier = LogisticRegression(C=REGULARISATION, max_iter=3000, random_state=SEED)
    condition_classifier.fit(features, conditions)
    return AdviceModel(words, letters, classifier, condition_classifier)


def _examples(rows: list[Vignette]) -> tuple[list[str], list[str], list[str]]:
    return (
        [read(row.text).affirmed_text for row in rows],
        [row.expected_advice for row in rows],
        [row.expected_condition for row in rows],
    )


def _fold_models(
    texts: list[str], levels: list[str], expected: list[str] | None
) -> list[tuple[AdviceModel, list[int]]]:
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return [
        (
            _fit(
                [texts[i] for i in train_index],
                [levels[i] for i in train_index],
                [expected[i] for i in train_index] if expected is not None else None,
            ),
            test_index.tolist(),
        )
        for train_index, test_index in folds.split(texts, levels)
    ]


def out_of_fold_models(rows: list[Vignette]) -> list[tuple[AdviceModel, list[int]]]:
    """Five models (levels and conditions), each with the rows it did not see."""
    return _fold_models(*_examples(rows))


def out_of_fold(rows: list[Vignette]) -> np.ndarray:
    """Each row's level probabilities from a model that did not see it."""
    texts, levels, _ = _examples(rows)
    scores = np.zeros((len(rows), len(LEVELS)))
    for fitted, unseen in _fold_models(texts, levels, None):  # the levels only: faster
        scores[unseen] = fitted.probabilities([texts[i] for i in unseen])
    return scores


def version() -> str:
    """A hash of the data, the code and the libraries that training uses."""
    return key("advice_model")[:12]


def train() -> AdviceModel:
    fitted = _fit(*_examples(in_split(vignettes(), "tune")))
    fitted.version = version()
    return fitted


@cache
def advice_model() -> AdviceModel:
    """The one trained advice model of this process (inference.artefacts keeps it on disk)."""
    return load_or_train("advice-model", "advice_model", train)


if __name__ == "__main__":
    # The out-of-fold figures that the thresholds were chosen from.
    rows = in_split(vignettes(), "tune")
    scores = out_of_fold(rows)
    expected = np.array([row.expected_advice for row in rows])
    report = {}
    for column, level in enumerate(LEVELS):
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
            said = scores[:, column] >= threshold
            report[f"{level}>={threshold}"] = {
                "right": int((said & (expected == level)).sum()),
                "wrong": int((said & (expected != level)).sum()),
                "of": int((expected == level).sum()),
            }
    print(json.dumps(report, indent=1))
