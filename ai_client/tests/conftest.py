"""The inference service, two ways: replaced by a handler (unit tests: timeouts, retries, the
breaker), or the real service started on a free port (contract tests)."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from ai_client import client
from patients import services as patient_services
from patients.models import Patient
from users.models import Role
from users.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
KEY = "contract-test-inference-key"

ANALYSIS = {
    "urgency": "routine",
    "advice": "Book a routine visit with a doctor.",
    "specialty": "dermatology",
    "booking_offered": True,
    "red_flags": [],
    "conditions": [
        {
            "code": "eczema",
            "name": "Eczema",
            "probability": 0.71,
            "specialty": "dermatology",
            "urgency": "routine",
        }
    ],
    "symptoms_present": [{"code": "itching", "name": "Itching"}],
    "symptoms_negated": [],
    "unknown_words": [],
    "model_version": "triage-test",
    "disclaimer": "This is not a diagnosis.",
}


class FakeInference:
    """Stands in for the service's transport; `handler` answers each request."""

    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.handler: Callable[[httpx.Request], httpx.Response] = self.analysis

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        return self.handler(request)

    def sent(self, index: int = -1) -> dict:
        return json.loads(self.calls[index].content)

    @staticmethod
    def analysis(request: httpx.Request, **changes) -> httpx.Response:
        return httpx.Response(200, json={**ANALYSIS, **changes})


@pytest.fixture(autouse=True)
def closed_breaker():
    client.breaker.close()
    yield
    client.breaker.close()


@pytest.fixture
def fake_inference(monkeypatch) -> FakeInference:
    fake = FakeInference()
    monkeypatch.setattr(client, "_transport", lambda: httpx.MockTransport(fake))
    return fake


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def inference_server() -> str:
    """The real inference service in its own process, as `make run` starts it."""
    port = free_port()
    options = ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "inference.app:app", *options],
        cwd=ROOT,
        env={**os.environ, "INFERENCE_API_KEY": KEY},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the inference service did not start", pytrace=False)
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def live_inference(inference_server, settings) -> str:
    settings.INFERENCE_URL = inference_server
    settings.INFERENCE_API_KEY = KEY
    return inference_server


@pytest.fixture
def dead_inference(settings) -> str:
    """Nothing listens on this port: every connection is refused."""
    settings.INFERENCE_URL = f"http://127.0.0.1:{free_port()}"
    return settings.INFERENCE_URL


@pytest.fixture
def silent_inference(settings):
    """A port that accepts connections and never answers: the read times out."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        settings.INFERENCE_URL = f"http://127.0.0.1:{listener.getsockname()[1]}"
        yield settings.INFERENCE_URL


@pytest.fixture
def link():
    """link(doctor_user, patient_user): an active care assignment, made by the service."""

    def make(doctor_user, patient_user):
        return patient_services.care_assignment_create(
            actor=UserFactory(role=Role.STAFF),
            doctor=doctor_user.doctor_profile,
            patient=Patient.objects.get(user=patient_user),
        )

    return make
