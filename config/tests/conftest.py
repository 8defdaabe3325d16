from collections.abc import Iterator

import httpx
import pytest

from ai_client import client as inference_client
from config.tests.fake_inference import inference_answer


@pytest.fixture
def inference(monkeypatch) -> Iterator[None]:
    """The inference service, answered in-process (an httpx MockTransport), with its circuit
    breaker closed before and after."""
    monkeypatch.setattr(
        inference_client, "_transport", lambda: httpx.MockTransport(inference_answer)
    )
    inference_client.breaker.close()
    yield
    inference_client.breaker.close()
