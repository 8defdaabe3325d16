"""Requests at the edges still answer in the one error shape: extreme dates in every date query
parameter the schema documents, writes to unknown API paths, and a crash under DEBUG."""

import logging
import re

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from blogs import services as blog_services
from blogs.models import PostStatus
from users.tests.utils import assert_error, client_for

pytestmark = pytest.mark.django_db

EXTREMES = {
    "date": ["0001-01-01", "9999-12-31"],
    "date-time": ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-12:00"],
}


def _date_parameters() -> list[tuple[str, str, str]]:
    """(path, parameter, format) for every date or datetime query parameter of a GET."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            fmt = parameter.get("schema", {}).get("format")
            if parameter["in"] == "query" and fmt in EXTREMES:
                found.append((path, parameter["name"], fmt))
    return found


def test_the_schema_has_date_parameters_to_check():
    names = {(path, name) for path, name, _ in _date_parameters()}
    assert ("/api/v1/doctors/", "available_on") in names
    assert ("/api/v1/slots/", "start") in names
    assert len(names) >= 10


@pytest.mark.parametrize(("path", "name", "fmt"), _date_parameters())
def test_extreme_dates_answer_200_or_400_in_the_shape(path, name, fmt, admin_user, doctor):
    post = blog_services.post_create(
        actor=doctor, title="Dates", body="Body.", status=PostStatus.PUBLISHED
    )
    concrete = path.replace("{id}", str(doctor.doctor_profile.pk))
    if path.startswith("/api/v1/blogs/{id}"):
        concrete = path.replace("{id}", str(post.pk))
    client = client_for(admin_user)
    for value in EXTREMES[fmt]:
        response = client.get(concrete, {name: value})
        assert response.status_code in (200, 400), (concrete, name, value, response.status_code)
        if response.status_code == 400:
            assert_error(response, 400)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-01-01"])
def test_available_on_outside_the_booking_horizon_is_refused(api_client, doctor, day):
    error = assert_error(api_client.get("/api/v1/doctors/", {"available_on": day}), 400)
    assert error["code"] == "out_of_range"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appointments",
        "/api/v1/appointments/not.a.uuid/cancel/",
        "/api/v1/no-such-thing/",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_to_unknown_api_paths_answer_json_404(path, method, patient):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert_error(response, 404, "not_found")


@override_settings(ROOT_URLCONF="config.tests.urls_boom", DEBUG=True)
def test_api_500_under_debug_is_json_and_the_traceback_is_logged(api_client, caplog):
    api_client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = api_client.get("/api/v1/boom/")
    assert response["Content-Type"].startswith("application/json")
    assert_error(response, 500, "server_error")
    assert "secret-internal-detail" not in response.content.decode()
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and "secret-internal-detail" in str(logged[0].exc_info[1])


@override_settings(ROOT_URLCONF="config.tests.urls_boom", DEBUG=True)
def test_page_500_under_debug_keeps_django_s_debug_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"secret-internal-detail" in response.content


@pytest.mark.parametrize("role", ["patient", "staff"])
def test_options_on_every_api_path_answers_without_a_crash(role, patient, staff):
    # DRF's OPTIONS metadata asks a PUT route for its object: a list route that takes PUT (the
    # notification preferences) crashed on it.
    client = client_for(patient if role == "patient" else staff)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in schema["paths"]:
        url = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
        response = client.options(url)
        assert response.status_code < 500, (url, response.status_code)
    preferences = client.options("/api/v1/notifications/preferences/")
    assert preferences.status_code == 200
    assert set(preferences.json()["actions"]["PUT"]) == {"kind", "channel", "enabled"}
