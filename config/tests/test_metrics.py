"""/metrics: who may read it, and what it counts (latency per view, bookings and cancellations
once committed, the outbox's pending deliveries, the inference circuit breaker's state)."""

from datetime import UTC, datetime, time

import pybreaker
import pytest
import time_machine
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from ai_client import client as inference_client
from core.models import Channel, Delivery, DeliveryStatus
from core.testing import assert_error
from doctors.tests.factories import make_doctor
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday morning
TUESDAY_9_BERLIN = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)
APPOINTMENTS = "/api/v1/appointments/"


def scrape(client: Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def scraper(settings) -> Client:
    """Prometheus, from the configured internal address, with no account."""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.9"]
    return Client(REMOTE_ADDR="10.0.0.9")


def test_staff_and_the_internal_address_read_it_and_nobody_else(
    settings, staff, patient, doctor, admin_user
):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.9"]
    for refused in (Client(), Client(REMOTE_ADDR="10.0.0.10")):
        assert_error(refused.get("/metrics"), 404, "not_found")
    for user in (patient, doctor):
        signed_in = Client()
        signed_in.force_login(user)
        assert_error(signed_in.get("/metrics"), 404, "not_found")
    for user in (staff, admin_user):
        signed_in = Client()
        signed_in.force_login(user)
        assert signed_in.get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.0.0.9").get("/metrics").status_code == 200
    # A forged forwarding header is not the scraper's address.
    forged = Client(REMOTE_ADDR="10.0.0.10", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert_error(forged.get("/metrics"), 404, "not_found")


def test_latency_and_responses_are_counted_per_url_pattern_not_per_path(scraper, patient):
    before = scrape(scraper)
    api = client_for(patient)
    for _ in range(3):
        assert api.get("/api/v1/appointments/").status_code == 200
    api.get("/api/v1/appointments/00000000-0000-0000-0000-000000000000/")
    after = scrape(scraper)
    listed = {"view": "/api/v1/appointments/", "method": "GET"}
    counted = value(after, "portal_request_duration_seconds_count", **listed) - value(
        before, "portal_request_duration_seconds_count", **listed
    )
    assert counted == 3
    ok = {**listed, "status": "200"}
    assert (
        value(after, "portal_responses_total", **ok) - value(before, "portal_responses_total", **ok)
        == 3
    )
    detail = {"view": "/api/v1/appointments/<pk>/", "method": "GET", "status": "404"}
    assert (
        value(after, "portal_responses_total", **detail)
        - value(before, "portal_responses_total", **detail)
        == 1
    )
    assert not any("00000000" in str(labels) for _, labels in after)


@pytest.fixture
def working_doctor(db):
    with time_machine.travel(NOW, tick=False):
        yield make_doctor(weekly={day: (time(9), time(17)) for day in range(7)}, slot_minutes=30)


def test_bookings_and_cancellations_are_counted_once_committed(
    scraper, working_doctor, patient, django_capture_on_commit_callbacks
):
    api = client_for(patient)
    with time_machine.travel(NOW, tick=False):
        before = scrape(scraper)
        body = {"doctor": str(working_doctor.pk), "start": TUESDAY_9_BERLIN.isoformat()}
        with django_capture_on_commit_callbacks(execute=True):
            booked = api.post(APPOINTMENTS, body, format="json")
        assert booked.status_code == 201, booked.content
        with django_capture_on_commit_callbacks(execute=True):
            clash = api.post(APPOINTMENTS, body, format="json")  # the same slot again
        assert clash.status_code == 409
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = api.post(
                f"{APPOINTMENTS}{booked.json()['id']}/cancel/", {"reason": "Better"}, format="json"
            )
        assert cancelled.status_code == 200, cancelled.content
        after = scrape(scraper)
    for name in ("portal_appointments_booked_total", "portal_appointments_cancelled_total"):
        assert value(after, name) - value(before, name) == 1, name


def test_the_outbox_gauge_counts_pending_deliveries_per_channel(scraper):
    def delivery(channel: str, status: str) -> Delivery:
        return Delivery(channel=channel, to="someone@example.org", body="Hello", status=status)

    Delivery.objects.bulk_create(
        [
            delivery(Channel.EMAIL, DeliveryStatus.PENDING),
            delivery(Channel.EMAIL, DeliveryStatus.PENDING),
            delivery(Channel.SMS, DeliveryStatus.PENDING),
            delivery(Channel.EMAIL, DeliveryStatus.SENT),
            delivery(Channel.SMS, DeliveryStatus.FAILED),
        ]
    )
    samples = scrape(scraper)
    assert value(samples, "portal_outbox_pending", channel="email") == 2
    assert value(samples, "portal_outbox_pending", channel="sms") == 1


def test_the_breaker_gauge_shows_its_state(scraper):
    inference_client.breaker.close()
    closed = scrape(scraper)
    assert value(closed, "portal_inference_breaker_state", state="closed") == 1
    assert value(closed, "portal_inference_breaker_state", state="open") == 0
    try:
        inference_client.breaker.open()
        opened = scrape(scraper)
        assert value(opened, "portal_inference_breaker_state", state="open") == 1
        assert value(opened, "portal_inference_breaker_state", state="closed") == 0
        assert inference_client.breaker.current_state == pybreaker.STATE_OPEN
    finally:
        inference_client.breaker.close()
