"""Test helpers for every app (imports nothing from the apps)."""

from typing import Any


def assert_error(response, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an error in the one shape, with this status (and code)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


# A Redis cache nobody listens at (port 1): every call fails at once with a connection error.
DEAD_REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
