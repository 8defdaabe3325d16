"""A crash answers in the error shape (API) or a plain page, never with a traceback."""

import pytest
from django.test import override_settings

from users.tests.utils import assert_error

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="config.tests.urls_boom")
def test_api_500_has_the_error_shape_and_no_traceback(api_client):
    api_client.raise_request_exception = False
    response = api_client.get("/api/v1/boom/")
    error = assert_error(response, 500, "server_error")
    assert "secret-internal-detail" not in response.content.decode()
    assert "Traceback" not in error["message"]


@override_settings(ROOT_URLCONF="config.tests.urls_boom")
def test_page_500_is_a_plain_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"secret-internal-detail" not in response.content
    assert b"Something went wrong" in response.content
