"""The door to the inference service: retries on connection errors only, timeouts, the
circuit breaker, and how the service's answers become the portal's."""

import time
from datetime import timedelta

import httpx
import pybreaker
import pytest
import time_machine
from django.utils import timezone

from ai_client import client
from core.exceptions import DependencyUnavailable, ValidationFailed


def refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_a_connection_error_is_retried_then_succeeds(fake_inference):
    answers = iter([refuse, refuse, fake_inference.analysis])
    fake_inference.handler = lambda request: next(answers)(request)
    assert client.request("POST", "/v1/symptoms/analyze", {"symptoms": ["itching"]})
    assert len(fake_inference.calls) == 3


def test_retries_are_bounded(fake_inference, settings):
    fake_inference.handler = refuse
    with pytest.raises(DependencyUnavailable) as raised:
        client.request("POST", "/v1/symptoms/analyze", {})
    assert raised.value.status_code == 503 and raised.value.code == "ai_unavailable"
    assert len(fake_inference.calls) == settings.INFERENCE_CONNECT_ATTEMPTS


@pytest.mark.parametrize(
    "failure",
    [
        lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=request)),
        lambda request: httpx.Response(500, json={"error": {"code": "boom"}}),
        lambda request: httpx.Response(502, text="<html>bad gateway</html>"),
    ],
    ids=["read-timeout", "500", "502"],
)
def test_a_request_that_reached_the_service_is_never_sent_twice(fake_inference, failure):
    fake_inference.handler = failure
    with pytest.raises(DependencyUnavailable):
        client.request("POST", "/v1/symptoms/analyze", {})
    assert len(fake_inference.calls) == 1


def test_the_api_key_is_sent(fake_inference, settings):
    settings.INFERENCE_API_KEY = "the-shared-key"
    client.request("POST", "/v1/symptoms/analyze", {})
    assert fake_inference.calls[0].headers["X-API-Key"] == "the-shared-key"


def test_a_wrong_key_is_our_fault_not_the_callers(fake_inference):
    fake_inference.handler = lambda request: httpx.Response(
        401, json={"error": {"code": "not_authenticated", "message": "key", "fields": {}}}
    )
    with pytest.raises(DependencyUnavailable):
        client.request("POST", "/v1/symptoms/analyze", {})


def test_the_services_input_errors_become_a_400_with_its_fields(fake_inference):
    fake_inference.handler = lambda request: httpx.Response(
        422,
        json={
            "error": {
                "code": "out_of_range",
                "message": "age must be 40-79",
                "fields": {"age": ["age must be 40-79"]},
            }
        },
    )
    with pytest.raises(ValidationFailed) as raised:
        client.request("POST", "/v1/risk/ascvd", {"age": 30})
    assert raised.value.status_code == 400
    assert raised.value.code == "out_of_range"
    assert raised.value.fields == {"age": ["age must be 40-79"]}


def test_an_answer_that_is_not_json_is_a_503(fake_inference):
    fake_inference.handler = lambda request: httpx.Response(200, text="not json")
    with pytest.raises(DependencyUnavailable):
        client.request("POST", "/v1/symptoms/analyze", {})


def test_the_breaker_opens_after_repeated_failures_and_half_opens_later(fake_inference, settings):
    fake_inference.handler = lambda request: httpx.Response(503, text="down")
    for _ in range(settings.INFERENCE_BREAKER_FAILURES):
        with pytest.raises(DependencyUnavailable):
            client.request("GET", "/v1/symptoms")
    assert client.breaker.current_state == pybreaker.STATE_OPEN
    calls = len(fake_inference.calls)

    started = time.monotonic()
    with pytest.raises(DependencyUnavailable):  # open: no call at all, an instant answer
        client.request("GET", "/v1/symptoms")
    assert len(fake_inference.calls) == calls
    assert time.monotonic() - started < 0.1

    later = timezone.now() + timedelta(seconds=settings.INFERENCE_BREAKER_RESET_SECONDS + 1)
    fake_inference.handler = lambda request: httpx.Response(200, json=[])
    with time_machine.travel(later):
        assert client.request("GET", "/v1/symptoms") == []  # the trial call goes through
    assert len(fake_inference.calls) == calls + 1
    assert client.breaker.current_state == pybreaker.STATE_CLOSED


def test_a_failed_trial_call_opens_the_breaker_again(fake_inference, settings):
    fake_inference.handler = refuse
    for _ in range(settings.INFERENCE_BREAKER_FAILURES):
        with pytest.raises(DependencyUnavailable):
            client.request("GET", "/v1/symptoms")
    later = timezone.now() + timedelta(seconds=settings.INFERENCE_BREAKER_RESET_SECONDS + 1)
    with time_machine.travel(later), pytest.raises(DependencyUnavailable):
        client.request("GET", "/v1/symptoms")
    assert client.breaker.current_state == pybreaker.STATE_OPEN


def test_input_errors_do_not_count_against_the_breaker(fake_inference, settings):
    fake_inference.handler = lambda request: httpx.Response(
        422, json={"error": {"code": "validation_error", "message": "no", "fields": {}}}
    )
    for _ in range(settings.INFERENCE_BREAKER_FAILURES + 2):
        with pytest.raises(ValidationFailed):
            client.request("POST", "/v1/symptoms/analyze", {})
    assert client.breaker.current_state == pybreaker.STATE_CLOSED


def test_a_service_that_never_answers_gives_up_within_three_seconds(silent_inference):
    started = time.monotonic()
    with pytest.raises(DependencyUnavailable):
        client.request("POST", "/v1/symptoms/analyze", {"symptoms": ["cough"]})
    assert time.monotonic() - started < 3


def test_a_dead_service_is_reported_at_once(dead_inference):
    started = time.monotonic()
    with pytest.raises(DependencyUnavailable):
        client.request("POST", "/v1/symptoms/analyze", {"symptoms": ["cough"]})
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("status", [400, 404, 405])
def test_other_4xx_mean_the_two_sides_disagree_and_count_as_down(fake_inference, settings, status):
    fake_inference.handler = lambda request: httpx.Response(
        status, json={"error": {"code": "not_found", "message": "Not Found", "fields": {}}}
    )
    for _ in range(settings.INFERENCE_BREAKER_FAILURES):
        with pytest.raises(DependencyUnavailable):
            client.request("POST", "/v1/symptoms/analyze", {})
    assert client.breaker.current_state == pybreaker.STATE_OPEN


def test_a_422_with_a_strange_body_still_gives_the_one_error_shape(fake_inference):
    fake_inference.handler = lambda request: httpx.Response(
        422, json={"error": {"code": 7, "message": None, "fields": ["not", "a", "dict"]}}
    )
    with pytest.raises(ValidationFailed) as raised:
        client.request("POST", "/v1/symptoms/analyze", {})
    assert raised.value.fields == {} and raised.value.code == "7" and raised.value.message


def fail() -> None:
    raise client.ServiceDown("HTTP 503")


@pytest.mark.redis
def test_with_redis_every_worker_shares_one_breaker(fake_inference, settings):
    """Another worker's breaker is a second object reading the same Redis keys."""
    other_worker = client.make_breaker(settings.REDIS_URL)
    fake_inference.handler = lambda request: httpx.Response(503, text="down")
    for _ in range(settings.INFERENCE_BREAKER_FAILURES):
        with pytest.raises(DependencyUnavailable):
            client.request("GET", "/v1/symptoms")
    assert other_worker.current_state == pybreaker.STATE_OPEN
    with pytest.raises(pybreaker.CircuitBreakerError):
        other_worker.call(fail)  # refused without calling: the other worker saw the failures

    client.breaker.close()
    assert other_worker.current_state == pybreaker.STATE_CLOSED


def test_a_breaker_kept_in_a_dead_redis_still_lets_calls_through():
    breaker = client.make_breaker("redis://127.0.0.1:1/0", namespace="dead-redis")
    assert breaker.call(lambda: "answered") == "answered"
    with pytest.raises(client.ServiceDown):
        breaker.call(fail)
    assert breaker.current_state == pybreaker.STATE_CLOSED
