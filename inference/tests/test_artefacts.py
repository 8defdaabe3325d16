"""The trained model and flag detector kept on disk (inference.artefacts): read back, they answer
exactly as a fresh training does, and any change to what training reads makes a new key."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from inference import advice_model, artefacts, flag_detector
from inference import model as triage_model
from inference.paraphrases import paraphrases, vignettes
from inference.text import read

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent


def must_not_train():
    raise AssertionError("trained although the artefact was on disk")


def kept_and_read_back(name: str, module: str, trained):
    """`trained` written to the cache as a process that trained it would, then read back."""
    assert artefacts.load_or_train(name, module, lambda: trained) is trained
    loaded = artefacts.load_or_train(name, module, must_not_train)
    assert loaded is not trained
    return loaded


def test_the_kept_model_predicts_exactly_as_a_fresh_training(tmp_path, monkeypatch):
    shared = triage_model.model()  # this process's: read from the cache, or trained
    monkeypatch.setenv("INFERENCE_CACHE_DIR", str(tmp_path))
    fresh = triage_model.train()
    loaded = kept_and_read_back("triage-model", "model", fresh)
    rows = np.random.default_rng(7).integers(-1, 2, size=(2000, len(fresh.symptom_codes)))
    for other in (loaded, shared):
        assert other.version == fresh.version and other.metrics == fresh.metrics
        assert other.conditions == fresh.conditions
        assert other.symptom_codes == fresh.symptom_codes
        assert np.array_equal(
            other.classifier.predict_proba(rows), fresh.classifier.predict_proba(rows)
        )
        for condition in fresh.conditions:
            said = list(condition.weights)
            assert other.probabilities(said, []) == fresh.probabilities(said, [])


def test_the_kept_flag_detector_scores_exactly_as_a_fresh_training(tmp_path, monkeypatch):
    shared = flag_detector.detector()  # this process's: read from the cache, or trained
    monkeypatch.setenv("INFERENCE_CACHE_DIR", str(tmp_path))
    fresh = flag_detector.train()
    loaded = kept_and_read_back("flag-detector", "flag_detector", fresh)
    texts = ([row.text for row in paraphrases()] + [case.text for case in vignettes()])[::4]
    expected = fresh.probabilities(texts)
    for other in (loaded, shared):
        assert other.version == fresh.version and other.metrics == fresh.metrics
        assert other.thresholds == fresh.thresholds
        assert np.array_equal(other.probabilities(texts), expected)
        assert [other.detect(text) for text in texts[:300]] == [
            fresh.detect(text) for text in texts[:300]
        ]


def test_the_kept_advice_model_scores_exactly_as_a_fresh_training(tmp_path, monkeypatch):
    shared = advice_model.advice_model()  # this process's: read from the cache, or trained
    monkeypatch.setenv("INFERENCE_CACHE_DIR", str(tmp_path))
    fresh = advice_model.train()
    loaded = kept_and_read_back("advice-model", "advice_model", fresh)
    texts = [row.affirmed_text for row in map(read, (case.text for case in vignettes()))]
    expected = fresh.probabilities(texts)
    for other in (loaded, shared):
        assert other.version == fresh.version
        assert np.array_equal(other.probabilities(texts), expected)


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """The package's code and data, to change one file at a time."""
    copy = tmp_path / PACKAGE.name
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    return copy


@pytest.mark.parametrize(
    ("module", "changed"),
    [
        ("model", "data/conditions.csv"),
        ("model", "data/symptoms.csv"),
        ("model", "model.py"),
        ("model", "vocabulary.py"),
        ("model", "artefacts.py"),
        ("model", "__init__.py"),
        ("flag_detector", "data/red_flag_paraphrases.csv"),
        ("flag_detector", "data/vignettes.csv"),
        ("flag_detector", "data/flag_calibration.json"),
        ("flag_detector", "flag_detector.py"),
        ("flag_detector", "text.py"),
        ("flag_detector", "red_flags.py"),
        ("flag_detector", "paraphrases.py"),
        ("advice_model", "advice_model.py"),
        ("advice_model", "data/vignettes.csv"),
        ("advice_model", "text.py"),
    ],
)
def test_a_changed_input_changes_the_key(package_copy, module, changed):
    before = artefacts.key(module, package_copy)
    assert before == artefacts.key(module, PACKAGE)  # the key names no place on disk
    with (package_copy / changed).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert artefacts.key(module, package_copy) != before


def test_what_training_does_not_read_leaves_the_key(package_copy):
    before = artefacts.key("model", package_copy)
    for unread in ("risk.py", "app.py", "data/README.md"):
        with (package_copy / unread).open("a", encoding="utf-8") as handle:
            handle.write("\n")
    assert artefacts.key("model", package_copy) == before


@pytest.mark.parametrize("library", [*artefacts.LIBRARIES, "python"])
def test_another_library_version_changes_the_key(monkeypatch, library):
    before = artefacts.key("flag_detector")
    versions = {**artefacts.library_versions(), library: "0.0.0-other"}
    monkeypatch.setattr(artefacts, "library_versions", lambda: versions)
    assert artefacts.key("flag_detector") != before


@pytest.mark.parametrize("module", ["model", "flag_detector", "advice_model"])
def test_the_key_covers_every_module_that_training_imports(module):
    """Read from the import statements; checked against what Python really loads."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, {PACKAGE.name}.{module}; "
            f"print(*(m for m in sys.modules if m.startswith('{PACKAGE.name}.')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    imported = {name.split(".", 1)[1] for name in loaded.stdout.split()}
    assert {path.stem for path in artefacts.sources(module)} == imported


class Counting:
    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> dict:
        self.runs += 1
        return {"weights": [0.25, 0.5], "run": self.runs}


def test_a_missing_stale_or_unreadable_artefact_is_trained_again(tmp_path, monkeypatch):
    monkeypatch.setenv("INFERENCE_CACHE_DIR", str(tmp_path / "cache"))
    train = Counting()
    assert artefacts.load_or_train("toy", "model", train) == {"weights": [0.25, 0.5], "run": 1}
    (kept,) = (tmp_path / "cache").glob("toy-*.pickle")
    assert artefacts.load_or_train("toy", "model", train)["run"] == 1  # read, not trained
    assert train.runs == 1

    kept.write_bytes(kept.read_bytes()[:20])  # cut short
    assert artefacts.load_or_train("toy", "model", train)["run"] == 2
    kept.write_bytes(b"not a pickle")
    assert artefacts.load_or_train("toy", "model", train)["run"] == 3
    assert artefacts.load_or_train("toy", "model", train)["run"] == 3

    monkeypatch.setattr(artefacts, "key", lambda module: "0" * 24)  # the data or code changed
    assert artefacts.load_or_train("toy", "model", train)["run"] == 4
    assert [path.name for path in (tmp_path / "cache").glob("toy-*")] == [f"toy-{'0' * 24}.pickle"]

    kept.parent.joinpath(f"toy-{'0' * 24}.pickle").rename(kept)  # a file under the wrong name
    monkeypatch.undo()
    monkeypatch.setenv("INFERENCE_CACHE_DIR", str(tmp_path / "cache"))
    assert artefacts.load_or_train("toy", "model", train)["run"] == 5
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_without_a_usable_cache_directory_it_trains_every_time(tmp_path, monkeypatch):
    train = Counting()
    monkeypatch.setenv("INFERENCE_CACHE_DIR", "")
    assert artefacts.load_or_train("toy", "model", train)["run"] == 1
    assert artefacts.load_or_train("toy", "model", train)["run"] == 2
    occupied = tmp_path / "a-file"
    occupied.write_text("", encoding="utf-8")
    monkeypatch.setenv("INFERENCE_CACHE_DIR", str(occupied))
    assert artefacts.load_or_train("toy", "model", train)["run"] == 3
    assert artefacts.load_or_train("toy", "model", train)["run"] == 4
