"""The only door to the inference service.

httpx with connect and read timeouts; retries with backoff on connection errors only (a request
that reached the service is never sent twice); a circuit breaker that opens after repeated
failures, so that a dead service costs nothing, and half-opens after a cool-down; the API key.
With the defaults the worst case is 3 x 0.3 s of connecting + 0.3 s of backoff + 1.5 s of
reading = 2.7 s, inside the 3 s that a caller is promised."""

import logging
from typing import Any

import httpx
import pybreaker
import redis
from django.conf import settings
from redis.exceptions import RedisError
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from core.exceptions import DependencyUnavailable, ValidationFailed

logger = logging.getLogger(__name__)

UNAVAILABLE = "The AI assistant is unavailable right now. Please try again in a few minutes."


class ServiceDown(Exception):
    """A failure that counts against the breaker: no answer, or a 5xx."""


class SharedBreakerStorage(pybreaker.CircuitRedisStorage):
    """The breaker's state in Redis, so that every worker opens and closes together. Redis
    being away never fails a call: pybreaker then reads the breaker as closed with no
    failures, and this class lets the portal start while Redis is away."""

    def _initialize_redis_state(self, state: str) -> None:
        try:
            super()._initialize_redis_state(state)
        except RedisError as exc:
            logger.warning("breaker state store unavailable", extra={"error": repr(exc)})


def make_breaker(redis_url: str, namespace: str = "inference") -> pybreaker.CircuitBreaker:
    """A breaker shared through Redis when there is one, else one per process."""
    storage: pybreaker.CircuitBreakerStorage
    if redis_url:
        connection = redis.Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
        prefix = settings.CACHES["default"].get("KEY_PREFIX") or "clinic"
        storage = SharedBreakerStorage(pybreaker.STATE_CLOSED, connection, f"{prefix}:{namespace}")
    else:
        storage = pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)
    return pybreaker.CircuitBreaker(
        fail_max=settings.INFERENCE_BREAKER_FAILURES,
        reset_timeout=settings.INFERENCE_BREAKER_RESET_SECONDS,
        state_storage=storage,
        name=namespace,
    )


breaker = make_breaker(settings.REDIS_URL)


def _transport() -> httpx.BaseTransport | None:
    """Tests swap in an httpx.MockTransport here; None means the real network."""
    return None


def _client() -> httpx.Client:
    timeout = httpx.Timeout(
        connect=settings.INFERENCE_CONNECT_TIMEOUT,
        read=settings.INFERENCE_READ_TIMEOUT,
        write=settings.INFERENCE_CONNECT_TIMEOUT,
        pool=settings.INFERENCE_CONNECT_TIMEOUT,
    )
    return httpx.Client(
        base_url=settings.INFERENCE_URL,
        timeout=timeout,
        headers={"X-API-Key": settings.INFERENCE_API_KEY},
        transport=_transport(),
    )


def _send(method: str, path: str, payload: dict | None) -> httpx.Response:
    attempts = Retrying(
        retry=retry_if_exception_type((httpx.ConnectError, httpx.ConnectTimeout)),
        stop=stop_after_attempt(settings.INFERENCE_CONNECT_ATTEMPTS),
        wait=wait_exponential(multiplier=0.1, max=0.2),
        reraise=True,
    )
    with _client() as client:
        return attempts(client.request, method, path, json=payload)


@breaker
def _call(method: str, path: str, payload: dict | None) -> httpx.Response:
    try:
        response = _send(method, path, payload)
    except httpx.HTTPError as exc:
        raise ServiceDown(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400 and response.status_code != 422:
        # Only a 422 is about the caller's input. A 401 means the two sides disagree on the key,
        # a 404 or 405 on the API: faults of ours, and the service is as good as down.
        raise ServiceDown(f"HTTP {response.status_code}")
    return response


def request(method: str, path: str, payload: dict | None = None) -> dict[str, Any]:
    """The service's JSON answer. Its 422 about the input becomes a ValidationFailed (400) with
    the service's field errors; anything else that goes wrong becomes a 503."""
    try:
        response = _call(method, path, payload)
    except pybreaker.CircuitBreakerError as exc:
        logger.warning("inference breaker open", extra={"path": path})
        raise DependencyUnavailable(UNAVAILABLE, code="ai_unavailable") from exc
    except ServiceDown as exc:
        logger.warning("inference call failed", extra={"path": path, "error": str(exc)})
        raise DependencyUnavailable(UNAVAILABLE, code="ai_unavailable") from exc
    try:
        body = response.json()
    except ValueError as exc:
        raise DependencyUnavailable(UNAVAILABLE, code="ai_unavailable") from exc
    if response.status_code == 422:
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        fields = error.get("fields")
        raise ValidationFailed(
            str(error.get("message") or "The input was not accepted."),
            code=str(error.get("code") or "invalid"),
            fields=fields if isinstance(fields, dict) else {},
        )
    return body


def check_inference() -> None:
    """Readiness: the service answers its health endpoint (a non-critical check)."""
    if breaker.current_state == pybreaker.STATE_OPEN:
        raise ServiceDown("the circuit breaker is open")
    with _client() as client:
        client.get("/health").raise_for_status()
