"""The portal keeps working when a service behind it is down."""

import logging
import time

import pytest
from django.test import override_settings

from blogs import services as blog_services
from blogs.models import PostStatus
from core.api import throttles
from core.testing import DEAD_REDIS_CACHES
from users import services as user_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage_carried_over():
    throttles.outage.reset()
    yield
    throttles.outage.reset()


def test_with_the_cache_down_every_throttled_endpoint_still_answers(
    api_client, patient, doctor, user_password, caplog
):
    post = blog_services.post_create(
        actor=doctor, title="Open doors", body="Body.", status=PostStatus.PUBLISHED
    )
    refresh = user_services.token_pair_for(patient)["refresh"]
    with override_settings(CACHES=DEAD_REDIS_CACHES), caplog.at_level(logging.WARNING):
        started = time.monotonic()
        signed_in = api_client.post(
            "/api/v1/auth/token/",
            {"email": patient.email, "password": user_password},
            format="json",
        )
        assert signed_in.status_code == 200, signed_in.content
        registered = api_client.post(
            "/api/v1/auth/register/",
            {
                "email": "new.patient@example.com",
                "password": "Lantern-river-93",
                "full_name": "New Patient",
            },
            format="json",
        )
        assert registered.status_code == 201, registered.content
        refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": refresh})
        assert refreshed.status_code == 200, refreshed.content
        reset = api_client.post("/api/v1/auth/password/reset/", {"email": patient.email})
        assert reset.status_code == 202, reset.content
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in.json()['access']}")
        commented = api_client.post(f"/api/v1/blogs/{post.pk}/comments/", {"body": "Thanks!"})
        assert commented.status_code == 201, commented.content
        elapsed = time.monotonic() - started
    warnings = [r for r in caplog.records if r.getMessage().startswith("throttle cache")]
    assert warnings and warnings[0].throttle_failures == 1
    assert elapsed < 5


def test_with_the_cache_down_the_pages_still_sign_in_and_answer(client, patient, user_password):
    with override_settings(CACHES=DEAD_REDIS_CACHES):
        signed_in = client.post(
            "/accounts/login/", {"username": patient.email, "password": user_password}
        )
        assert signed_in.status_code == 302
        home = client.get("/patient/")
        assert home.status_code == 200
        assert patient.full_name in home.content.decode()
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/patient/").status_code == 302  # signed out on the server too
