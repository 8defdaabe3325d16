import pytest
from django.db import connection


def test_live_needs_nothing(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_reports_each_configured_dependency(client, settings):
    # The critical ones; the inference service's check is tested with the real service.
    settings.HEALTH_CHECKS = {
        name: check for name, check in settings.HEALTH_CHECKS.items() if check[1]
    }
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == set(settings.HEALTH_CHECKS)
    assert all(check["status"] == "ok" for check in body["checks"].values())


def failing_check() -> None:
    raise ConnectionError("refused")


@pytest.mark.django_db
def test_ready_is_503_and_names_the_failing_dependency(client, settings):
    settings.HEALTH_CHECKS = {
        **settings.HEALTH_CHECKS,
        "broker": ("core.tests.test_health.failing_check", True),
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == {"status": "down", "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_a_non_critical_dependency_only_degrades(client, settings):
    settings.HEALTH_CHECKS = {
        **settings.HEALTH_CHECKS,
        "optional": ("core.tests.test_health.failing_check", False),
    }
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


@pytest.mark.django_db
def test_ready_with_an_unreachable_broker_is_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTH_CHECKS = {
        **settings.HEALTH_CHECKS,
        "broker": ("core.health.check_broker", True),
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "down"


@pytest.mark.redis
@pytest.mark.django_db
def test_ready_checks_the_real_redis_cache_and_broker(client, settings):
    assert "broker" in settings.HEALTH_CHECKS
    body = client.get("/health/ready").json()
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"


@pytest.mark.postgres
@pytest.mark.django_db
def test_ready_runs_on_postgresql(client):
    assert connection.vendor == "postgresql"
    assert client.get("/health/ready").json()["checks"]["database"]["status"] == "ok"
