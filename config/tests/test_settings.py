"""Settings as each environment loads them, read in a fresh interpreter with its own environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "DJANGO_ALLOWED_HOSTS": "clinic.example",
    "INFERENCE_API_KEY": "test-only-inference-key",
    "DATABASE_URL": "postgres://clinic@127.0.0.1:5432/clinic",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    # Not secret: made for these tests (its bytes read "test-only-key-for-settings-tests").
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWtleS1mb3Itc2V0dGluZ3MtdGVzdHM=",
}
READ_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'databases': s.DATABASES, 'debug': s.DEBUG, "
    "'secret': s.SECRET_KEY, 'broker': s.CELERY_BROKER_URL, "
    "'cookies_secure': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY], "
    "'csp': s.CONTENT_SECURITY_POLICY}, default=str))"
)


def load(environment: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_URL", "REDIS_URL", "SQLITE_", "FIELD_ENCRYPTION_KEYS")
        )
    }
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        env={**clean, **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded(environment: dict[str, str]) -> dict:
    result = load(environment)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_sqlite_through_database_url_keeps_the_write_lock_timeout_and_wal(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    database = loaded({"DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": url})[
        "databases"
    ]["default"]
    embedded = loaded({"DJANGO_SETTINGS_MODULE": "config.settings.local"})["databases"]["default"]
    assert database["NAME"] == str(tmp_path / "clinic.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"] == embedded["OPTIONS"]


def test_32_concurrent_bookings_on_sqlite_through_database_url_make_one_and_31_clashes(tmp_path):
    """The race test, run in its own process on a SQLite database named by DATABASE_URL."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
            "appointments/tests/test_concurrency.py::"
            "test_32_concurrent_bookings_of_one_slot_make_exactly_one",
        ],
        env={
            **clean,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.sqlite3'}",
            "SQLITE_TEST_PATH": str(tmp_path / "test-clinic.sqlite3"),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout


def test_production_refuses_to_start_without_a_database_or_a_broker():
    for missing in ("DATABASE_URL", "REDIS_URL"):
        environment = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
        result = load(environment)
        assert result.returncode != 0
        assert f"Set {missing}" in result.stderr
    started = loaded(PRODUCTION_ENV)
    assert started["debug"] is False
    assert started["databases"]["default"]["ENGINE"].endswith("postgresql")
    assert started["broker"] == PRODUCTION_ENV["REDIS_URL"]
    assert started["cookies_secure"] == [True, True, True]
    assert started["csp"]["DIRECTIVES"]["frame-ancestors"] == ["'none'"]


def test_production_refuses_to_start_without_encryption_keys_of_its_own():
    without = {
        key: value for key, value in PRODUCTION_ENV.items() if key != "FIELD_ENCRYPTION_KEYS"
    }
    result = load(without)
    assert result.returncode != 0
    assert "Set FIELD_ENCRYPTION_KEYS" in result.stderr
    development = settings.DEVELOPMENT_FIELD_ENCRYPTION_KEY
    for keys in (development, f"{PRODUCTION_ENV['FIELD_ENCRYPTION_KEYS']},{development}"):
        result = load({**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": keys})
        assert result.returncode != 0
        assert "published development key" in result.stderr
    result = load({**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"})
    assert result.returncode != 0
    assert "key 1 is not a Fernet key" in result.stderr
    assert "not-a-fernet-key" not in result.stderr  # keys are never echoed
    assert loaded(PRODUCTION_ENV)["debug"] is False


def test_a_dot_env_file_is_read_only_when_asked_for(tmp_path: Path):
    dot_env = tmp_path / ".env"
    dot_env.write_text("DJANGO_SECRET_KEY=from-the-dot-env-file\n")
    base = {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DOT_ENV_FILE": str(dot_env)}
    assert loaded(base)["secret"] != "from-the-dot-env-file"
    asked = loaded({**base, "DJANGO_READ_DOT_ENV_FILE": "true"})
    assert asked["secret"] == "from-the-dot-env-file"
