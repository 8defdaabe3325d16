"""Prometheus metrics: request latency per view, bookings and cancellations, and gauges read
when Prometheus scrapes (the outbox's pending count, the inference circuit breaker's state).

Counters and histograms live in each process. Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR to an empty directory before the workers start (config/gunicorn.py
clears it and forgets dead workers): each worker then writes its values there, and a scrape
answered by any worker adds them all up. Gauges read at scrape time (a database count, a state
shared through Redis) need no such help: every worker reads the same source."""

import logging
import os
from collections.abc import Callable, Iterator

from django.db import transaction
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

# A command run before gunicorn has created the directory (a migration, a shell) still works.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

CONTENT_TYPE = CONTENT_TYPE_LATEST

# From a cached health check (about a millisecond) to a slow page (over a second).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "portal_request_duration_seconds",
    "Time from the request reaching Django to the response, per view (URL pattern).",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "portal_responses",
    "Responses per view (URL pattern), method and status code.",
    ["view", "method", "status"],
)
APPOINTMENTS_BOOKED = Counter(
    "portal_appointments_booked",
    "Appointments booked (each visit of a series counts), counted once committed.",
)
APPOINTMENTS_CANCELLED = Counter(
    "portal_appointments_cancelled",
    "Appointments cancelled (each visit of a cancelled series counts), counted once committed.",
)


def count_on_commit(counter: Counter, amount: int = 1) -> None:
    """Count `amount` once the surrounding transaction commits: a booking rolled back (a clash,
    a failed rule) is no booking."""
    if amount:
        transaction.on_commit(lambda: counter.inc(amount))


# name -> (help text, label name or "", a function returning {label value: number})
_ScrapeReading = Callable[[], dict[str, float]]
_scrape_gauges: dict[str, tuple[str, str, _ScrapeReading]] = {}


def register_scrape_gauge(name: str, documentation: str, read: _ScrapeReading, label: str = ""):
    """A gauge computed when Prometheus scrapes. `read` returns {label value: number}; with no
    `label`, the single value under the key "". Apps register theirs in AppConfig.ready(): core
    knows none of them."""
    _scrape_gauges[name] = (documentation, label, read)


class ScrapeGauges(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, (documentation, label, read) in _scrape_gauges.items():
            try:
                values = read()
            except Exception as exc:  # a source that is down leaves its gauge out, not the page
                logger.warning("metric unavailable", extra={"metric": name, "error": repr(exc)})
                continue
            family = GaugeMetricFamily(name, documentation, labels=[label] if label else None)
            for label_value, value in values.items():
                family.add_metric([label_value] if label else [], value)
            yield family


def exposition() -> bytes:
    """Everything, in Prometheus' text format: this process's values (or, in multiprocess mode,
    every worker's, added up) and the gauges read now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        recorded = generate_latest(registry)
    else:
        recorded = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(ScrapeGauges())
    return recorded + generate_latest(scraped)
