"""/metrics under a real gunicorn with two workers in Prometheus' multiprocess mode: whichever
worker answers the scrape, it reports every worker's requests, including those of workers that
have since been replaced (gunicorn's --max-requests recycles them here)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 30
RECYCLE_AFTER = 10  # each worker is replaced after this many requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_environment() -> dict[str, str]:
    """Point the workers at the test database this test's data lives in."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(settings["NAME"]), "DATABASE_URL": ""}
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return {"DATABASE_URL": f"postgres://{user}@{host}:{port}/{settings['NAME']}"}


def health_requests(samples_text: str) -> float:
    for family in text_string_to_metric_families(samples_text):
        for sample in family.samples:
            if (
                sample.name == "portal_responses_total"
                and sample.labels.get("view") == "/health/live"
                and sample.labels.get("status") == "200"
            ):
                return sample.value
    return 0.0


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    port = free_port()
    multiprocess_directory = tmp_path / "prometheus"
    environment = {
        **os.environ,
        **database_environment(),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "PROMETHEUS_MULTIPROC_DIR": str(multiprocess_directory),
        "METRICS_ALLOWED_IPS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--max-requests", str(RECYCLE_AFTER), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=environment,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded CI machine starts workers slowly
    try:
        while True:
            try:
                # Not /health/live: a poll that times out could be counted after the test's
                # baseline.
                if httpx.get(f"{url}/metrics", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start", pytrace=False)
            time.sleep(0.2)
        yield url, multiprocess_directory
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_every_workers_requests_are_counted_whichever_worker_is_scraped(gunicorn):
    url, multiprocess_directory = gunicorn
    before = health_requests(httpx.get(f"{url}/metrics", timeout=10).text)
    for _ in range(REQUESTS):
        # A new connection each time, so that any worker may take it.
        assert httpx.get(f"{url}/health/live", timeout=10).status_code == 200
    scrapes = [health_requests(httpx.get(f"{url}/metrics", timeout=10).text) for _ in range(4)]
    assert scrapes == [before + REQUESTS] * 4
    # More processes wrote values than the two alive now: recycled workers still count.
    writers = {path.stem.rsplit("_", 1)[-1] for path in multiprocess_directory.glob("counter_*")}
    assert len(writers) > 2, writers
