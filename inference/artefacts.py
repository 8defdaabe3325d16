"""Trained objects kept on disk, so that each process does not train them again.

Training is seeded, so what it makes depends only on the data files, the code that reads them and
the versions of the libraries: the key of an artefact is a hash of all three. A process that finds
no artefact under its key, or one it cannot read, trains as before and writes what it trained
(to a temporary file that is then renamed, so that a reader never sees half a file).

The artefacts live in .cache/inference/ at the repository root (ignored by git).
INFERENCE_CACHE_DIR names another directory; set to an empty value, it turns the cache off."""

import ast
import hashlib
import importlib.metadata
import logging
import os
import pickle
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

try:
    import fcntl
except ImportError:  # not POSIX: processes that start together may each train once
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
DEFAULT_DIRECTORY = HERE.parent / ".cache" / "inference"
# Every library whose version can change what training makes: the learners and the text reading.
LIBRARIES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "pyspellchecker",
    "snowballstemmer",
    "rapidfuzz",
)
T = TypeVar("T")


def directory() -> Path | None:
    """Where artefacts are kept, or None when the cache is off."""
    configured = os.environ.get("INFERENCE_CACHE_DIR")
    if configured is None:
        return DEFAULT_DIRECTORY
    return Path(configured) if configured.strip() else None


def sources(module: str, package: Path = HERE) -> list[Path]:
    """The module's file and the files of every module of the package that it imports, directly
    or through another one: the code that a training run executes."""
    seen: set[str] = set()
    waiting = [module]
    while waiting:
        name = waiting.pop()
        path = package / f"{name}.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = f"{package.name}.{node.module or ''}" if node.level else node.module or ""
                imported = [base, *(f"{base.rstrip('.')}.{alias.name}" for alias in node.names)]
            else:
                continue
            for dotted in imported:
                top, _, rest = dotted.rstrip(".").partition(".")
                if top == package.name and rest and "." not in rest:
                    waiting.append(rest)
    return sorted(package / f"{name}.py" for name in seen)


def data_files(package: Path = HERE) -> list[Path]:
    """Every table and calibration that training may read."""
    return sorted(p for p in (package / "data").iterdir() if p.suffix in (".csv", ".json"))


def library_versions() -> dict[str, str]:
    versions = {
        "python": f"{platform.python_implementation()} {sys.version_info[:3]}",
        "machine": platform.machine(),
    }
    for library in LIBRARIES:
        try:
            versions[library] = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            versions[library] = "absent"
    return versions


def key(module: str, package: Path = HERE) -> str:
    """A hash of everything that training in `module` reads, runs with and runs on."""
    digest = hashlib.sha256()
    package_file = [package / "__init__.py"] if (package / "__init__.py").exists() else []
    for path in [*package_file, *sources(module, package), *data_files(package)]:
        content = path.read_bytes()
        name = path.relative_to(package).as_posix()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    digest.update(repr(sorted(library_versions().items())).encode())
    return digest.hexdigest()[:24]


def _read(path: Path, expected_key: str) -> object | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
        if stored["key"] == expected_key:
            return stored["artefact"]
        logger.warning("%s holds another key: training again", path.name)
    except Exception as exc:  # any damage to the file means training again, never a failure
        logger.warning("%s cannot be read (%r): training again", path.name, exc)
    return None


def _write(path: Path, name: str, artefact_key: str, artefact: object) -> None:
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            pickle.dump(
                {"key": artefact_key, "artefact": artefact},
                handle,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(temporary, path)
    except Exception as exc:  # the trained object serves this process all the same
        logger.warning("%s cannot be written: %r", path.name, exc)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        return
    for older in path.parent.glob(f"{name}-*.pickle"):  # keys of earlier data or code
        if older != path:
            older.unlink(missing_ok=True)


def load_or_train(name: str, module: str, train: Callable[[], T]) -> T:
    """The artefact `name` that `train` (in the package's `module`) makes: read from the cache
    when it holds one under the current key, else trained and kept there."""
    folder = directory()
    if folder is None:
        return train()
    artefact_key = key(module)
    path = folder / f"{name}-{artefact_key}.pickle"
    found = _read(path, artefact_key)
    if found is not None:
        return cast(T, found)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / f"{name}.lock").open("a")
    except OSError as exc:
        logger.warning("no artefact cache in %s (%r): training", folder, exc)
        return train()
    with lock:  # closing the file releases the lock
        if fcntl is not None:
            # One process trains; the others that want the same artefact wait, then read it.
            fcntl.flock(lock, fcntl.LOCK_EX)
        found = _read(path, artefact_key)
        if found is not None:
            return cast(T, found)
        trained = train()
        _write(path, name, artefact_key, trained)
        return trained
