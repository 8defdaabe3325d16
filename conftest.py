"""Shared fixtures. Services a test needs are real: a test marked `postgres`, `redis` or
`browser` is skipped when that service is not configured, and fails when REQUIRE_SERVICES=1."""

import os
import shutil

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from users.models import Role, User
from users.tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


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
def patient(db) -> User:
    return UserFactory(role=Role.PATIENT)


@pytest.fixture
def other_patient(db) -> User:
    return UserFactory(role=Role.PATIENT)


@pytest.fixture
def doctor(db) -> User:
    return UserFactory(role=Role.DOCTOR)


@pytest.fixture
def staff(db) -> User:
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(role=Role.ADMIN)
