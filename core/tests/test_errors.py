"""Every API error leaves in one shape; nothing leaks a traceback."""

import pytest

from core.testing import assert_error

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_404_in_the_error_shape(api_client):
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api_client.post("/api/v2/users/", {}), 404, "not_found")


def test_missing_trailing_slash_gets_a_hint(patient, client_for):
    error = assert_error(client_for(patient).get("/api/v1/users/me"), 404, "not_found")
    assert "/api/v1/users/me/" in error["message"]


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_body_over_the_limit_is_413(api_client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    response = api_client.post(
        "/api/v1/auth/register/", "x" * 2048, content_type="application/json"
    )
    assert_error(response, 413, "payload_too_large")


def test_default_limit_refuses_three_megabytes(api_client):
    body = '{"email": "a@b.example", "full_name": "' + "y" * 3_000_000 + '"}'
    response = api_client.post("/api/v1/auth/register/", body, content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_bad_content_length_is_400(api_client):
    response = api_client.generic(
        "POST",
        "/api/v1/auth/register/",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH="abc",
    )
    assert_error(response, 400)


def test_method_not_allowed_is_405_in_the_error_shape(api_client):
    assert_error(api_client.get("/api/v1/auth/register/"), 405, "method_not_allowed")


def test_unsupported_media_type_is_415(api_client):
    response = api_client.post("/api/v1/auth/register/", "<x/>", content_type="application/xml")
    assert_error(response, 415, "unsupported_media_type")


def test_unicode_and_emoji_are_kept(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "email": "nguyen@example.com",
            "password": "Lantern-river-93",
            "full_name": "Nguyễn Thị 🌸",
        },
    )
    assert response.status_code == 201
    assert response.json()["full_name"] == "Nguyễn Thị 🌸"
