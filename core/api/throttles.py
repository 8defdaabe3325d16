"""Rate limits that never lock everyone out when the cache holding their counters is down."""

import logging
import threading
import time

from redis.exceptions import RedisError
from rest_framework.throttling import ScopedRateThrottle

logger = logging.getLogger(__name__)

# After a failure, the throttles leave the cache alone for this long, so that an outage does
# not add a failed connection to every request.
RETRY_AFTER_SECONDS = 5.0
CACHE_ERRORS = (RedisError, OSError)


class _Outage:
    """How often the throttles went without their cache in this process, and until when they
    leave it alone."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failures = 0
        self.skip_until = 0.0

    def recorded(self) -> int:
        with self.lock:
            self.failures += 1
            self.skip_until = time.monotonic() + RETRY_AFTER_SECONDS
            return self.failures

    def skipping(self) -> bool:
        return time.monotonic() < self.skip_until

    def reset(self) -> None:
        with self.lock:
            self.failures = 0
            self.skip_until = 0.0


outage = _Outage()


class FailOpenScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, except that a cache error lets the request through (logged and
    counted). `/health/ready` reports the cache down meanwhile."""

    def allow_request(self, request, view) -> bool:
        if outage.skipping():
            return True
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            failures = outage.recorded()
            logger.warning(
                "throttle cache unavailable: request allowed",
                extra={
                    "scope": getattr(self, "scope", None),
                    "error": type(exc).__name__,
                    "throttle_failures": failures,
                },
            )
            return True
