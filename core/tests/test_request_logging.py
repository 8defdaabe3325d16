import json
import logging

import pytest

from core.logging import JsonFormatter, RequestContextFilter


@pytest.fixture
def access_lines():
    """Capture the access log as the JSON lines production writes."""
    lines: list[str] = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = ListHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("core.access")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.mark.django_db
def test_one_json_line_per_request_with_id_user_status_duration(
    api_client, patient, access_lines, user_password
):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": patient.email, "password": user_password},
        HTTP_X_REQUEST_ID="trace-abc-123",
    )
    assert response["X-Request-ID"] == "trace-abc-123"
    token = response.json()["access"]
    api_client.get("/api/v1/users/me/?secret=1", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert len(access_lines) == 2
    login_line, me_line = (json.loads(line) for line in access_lines)
    assert login_line["request_id"] == "trace-abc-123"
    assert login_line["status"] == 200
    assert me_line["user_id"] == str(patient.pk)
    assert me_line["path"] == "/api/v1/users/me/"
    assert isinstance(me_line["duration_ms"], float)
    joined = "\n".join(access_lines)
    assert token not in joined
    assert user_password not in joined
    assert patient.email not in joined
    assert "secret=1" not in joined


@pytest.mark.django_db
def test_paths_are_logged_as_routes_so_tokens_in_urls_stay_out(client, access_lines):
    client.get("/accounts/reset/MTIz/abc-secret-token/")
    client.get("/api/v1/users/00000000-0000-0000-0000-000000000000/")
    paths = [json.loads(line)["path"] for line in access_lines]
    assert paths == ["/accounts/reset/<str:uidb64>/<str:token>/", "/api/v1/users/<pk>/"]
    assert "abc-secret-token" not in "\n".join(access_lines)


def test_a_bad_request_id_is_replaced(client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_a_request_id_is_made_when_none_is_given(client):
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]
    assert first != second
