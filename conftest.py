"""Shared fixtures. Services a test needs are real: a test marked `postgres`, `redis` or
`browser` is skipped when that service is not configured, and fails when REQUIRE_SERVICES=1."""

import os
import re
import shutil
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from rest_framework.test import APIClient

from doctors.tests.factories import make_doctor
from patients.services import care_assignment_create
from patients.tests.factories import make_patient
from users.models import Role, User
from users.tests.factories import PASSWORD, UserFactory
from users.tests.utils import client_for as _client_for

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Files whose tests that use no database read and write nothing that differs between SQLite with
# the local-memory cache and PostgreSQL with Redis: pure functions, checks of the source code,
# and settings loaded in subprocesses with environments of their own. Those tests are marked
# backend_independent (CI runs them in its first pass only); the files' database tests are not.
BACKEND_INDEPENDENT_FILES = {
    "blogs/tests/test_excerpts.py",
    "blogs/tests/test_markdown_xss.py",
    "config/tests/test_one_door.py",
    "config/tests/test_settings.py",
    "core/tests/test_clock.py",
    "doctors/tests/test_slots.py",
    "prescriptions/tests/test_drug_classes.py",
    "prescriptions/tests/test_drug_classes_cases.py",
}
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if (
            item.nodeid.split("::")[0] in BACKEND_INDEPENDENT_FILES
            and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
            and not item.get_closest_marker("django_db")
        ):
            item.add_marker(pytest.mark.backend_independent)


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1 asks for it)", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _unavailable("PostgreSQL is not configured: set DATABASE_URL")
    if item.get_closest_marker("redis"):
        if not settings.REDIS_URL:
            _unavailable("Redis is not configured: set REDIS_URL")
        else:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            except redis.RedisError as exc:
                pytest.fail(f"Redis at REDIS_URL cannot be reached: {exc}", pytrace=False)
    if item.get_closest_marker("browser") and not shutil.which("chromium"):
        _unavailable("chromium is not installed (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and other cached state never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_user(db):
    """make_user(role="doctor", **fields) -> a saved account, made by the users services."""
    return UserFactory


@pytest.fixture
def client_for():
    """client_for(user) -> an API client signed in with a real JWT."""
    return _client_for


@pytest.fixture
def user_password() -> str:
    """The password of every account the fixtures make."""
    return PASSWORD


@pytest.fixture
def patient(db) -> User:
    """A patient account with its patient record (`patient.patient_profile`)."""
    return make_patient().user


@pytest.fixture
def other_patient(db) -> User:
    return make_patient().user


@pytest.fixture
def doctor(db) -> User:
    """A doctor account with its profile (`doctor.doctor_profile`) and no schedule."""
    return make_doctor().user


@pytest.fixture
def other_doctor(db) -> User:
    return make_doctor().user


@pytest.fixture
def staff(db) -> User:
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def browser():
    """Debian's chromium driven by Playwright (Playwright cannot download browsers here).

    One per test: while Playwright runs, its event loop counts as running in this thread, so
    Django keeps separate database connections for code run meanwhile. They are closed before
    Playwright stops, and later tests, outside any loop, share the usual connection."""
    chromium_path = shutil.which("chromium")
    if chromium_path is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()
        connections.close_all()


BROWSER_FAILURES = Path(__file__).resolve().parent / "test-artifacts" / "browser"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Keep each phase's report on the test, so that fixtures know whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh browser tab. Every page it visits must run without a CSP violation or a script
    error; when the test fails, a screenshot is kept in test-artifacts/browser/."""
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    problems: list[str] = []
    opened.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and problems.append(f"{opened.url}: {message.text}")
        ),
    )
    opened.on("pageerror", lambda error: problems.append(f"{opened.url}: {error}"))
    yield opened
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        BROWSER_FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        opened.screenshot(path=str(BROWSER_FAILURES / f"{name}.png"), full_page=True)
    context.close()
    assert problems == [], "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def linked(doctor, patient, staff):
    """`doctor` on `patient`'s care team (made by the service, as staff do)."""
    care_assignment_create(
        actor=staff, doctor=doctor.doctor_profile, patient=patient.patient_profile
    )
    return doctor


@pytest.fixture
def as_user():
    """as_user(user) -> an API client of its own, signed in as `user`."""

    def sign_in(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return sign_in
