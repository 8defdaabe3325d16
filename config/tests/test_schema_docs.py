"""The OpenAPI schema says what the API really answers: nullability, shapes, formats, the
error answers of each operation, and the limits of its parameters."""

import re
from typing import Any

import pytest
from django.test import Client

ERROR_REF = "#/components/schemas/Error"
UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def _component(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return schema["components"]["schemas"][name]


def _operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _query_parameter(operation: dict[str, Any], name: str) -> dict[str, Any]:
    found = [p for p in operation.get("parameters", []) if p["in"] == "query" and p["name"] == name]
    assert found, (name, [p["name"] for p in operation.get("parameters", [])])
    return found[0]


def test_links_that_may_be_empty_are_nullable(schema):
    assert _component(schema, "Appointment")["properties"]["rescheduled_from"]["nullable"] is True
    audit = _component(schema, "AuditEvent")["properties"]
    assert audit["actor_email"]["nullable"] is True
    assert audit["patient_email"]["nullable"] is True


def test_calendar_feed_is_one_object_not_a_list(schema):
    answer = schema["paths"]["/api/v1/calendar/feed/"]["get"]["responses"]["200"]
    body = answer["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Feed"}


def test_unicode_post_slugs_fit_the_documented_slug(schema):
    slug = _component(schema, "Post")["properties"]["slug"]
    # JSON Schema patterns are ECMA-262: \w is ASCII there, as re.ASCII makes it here.
    pattern = slug.get("pattern")
    for real in ["sleep-and-health", "здоровый-сон", "睡眠と健康", "schlaf_gesundheit-2"]:
        assert pattern is None or re.search(pattern, real, re.ASCII), (pattern, real)


def test_time_fields_document_the_wall_clock_times_they_answer(schema):
    # RFC 3339 `time` needs an offset; the API answers local wall-clock times without one.
    formats = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("format") == "time":
                formats.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(schema, "#")
    assert formats == []
    window = _component(schema, "AvailabilityWindow")["properties"]
    for field in ("start_time", "end_time"):
        pattern = window[field]["pattern"]
        for answered in ["09:00:00", "17:30:00", "23:59:59.500000", "08:15"]:
            assert re.search(pattern, answered, re.ASCII), (field, answered)
        assert not re.search(pattern, "25:00:00", re.ASCII)


def test_the_one_error_shape_is_a_component(schema):
    error = _component(schema, "Error")
    assert error["required"] == ["error"]
    detail = error["properties"]["error"]
    assert sorted(detail["required"]) == ["code", "fields", "message"]
    assert detail["properties"]["code"]["type"] == "string"
    assert detail["properties"]["message"]["type"] == "string"
    assert detail["properties"]["fields"]["type"] == "object"


def _error_codes(operation: dict[str, Any]) -> set[str]:
    codes = set()
    for code, answer in operation["responses"].items():
        if code.startswith("4") or code.startswith("5"):
            assert answer["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, code
            codes.add(code)
    return codes


def test_every_operation_documents_its_error_answers_in_the_error_shape(schema):
    for path, method, operation in _operations(schema):
        codes = _error_codes(operation)
        where = (method, path, sorted(codes))
        needs_sign_in = {} not in operation.get("security", [{}])
        if needs_sign_in:
            assert {"401", "403"} <= codes, where
        if "{" in path:
            assert "404" in codes, where
        if "requestBody" in operation:
            assert {"400", "413"} <= codes, where
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in codes, where
        if method == "get" and "page" in {p["name"] for p in operation.get("parameters", [])}:
            assert "404" in codes, where  # a page past the end


@pytest.mark.parametrize(
    ("path", "method", "expected", "absent"),
    [
        ("/api/v1/appointments/", "post", {"400", "401", "403", "404", "409", "413"}, set()),
        ("/api/v1/appointments/{id}/", "get", {"401", "403", "404"}, {"409", "413", "429"}),
        ("/api/v1/appointments/{id}/reschedule/", "post", {"400", "404", "409"}, set()),
        ("/api/v1/appointments/series/", "post", {"400", "409"}, set()),
        ("/api/v1/doctors/", "get", {"400", "401", "404"}, {"403", "409", "429"}),
        ("/api/v1/auth/token/", "post", {"400", "401", "413", "429"}, {"404"}),
        ("/api/v1/auth/token/refresh/", "post", {"400", "401", "429"}, set()),
        ("/api/v1/auth/logout/", "post", {"400", "401", "429"}, set()),
        ("/api/v1/auth/password/reset/", "post", {"400", "429"}, {"401", "403"}),
        ("/api/v1/auth/register/", "post", {"400", "403", "413", "429"}, {"401", "404"}),
        ("/api/v1/ai/symptom-check/", "post", {"400", "401", "403", "429", "503"}, set()),
        ("/api/v1/blogs/{id}/comments/", "post", {"400", "401", "404", "429"}, set()),
        ("/api/v1/blogs/{id}/comments/", "get", {"404"}, {"429"}),
    ],
)
def test_operations_document_the_errors_they_give(schema, path, method, expected, absent):
    codes = _error_codes(schema["paths"][path][method])
    assert expected <= codes, expected - codes
    assert not (absent & codes), absent & codes


def test_page_size_and_ordering_choices_are_documented(schema):
    listing = schema["paths"]["/api/v1/appointments/"]["get"]
    page_size = _query_parameter(listing, "page_size")
    assert page_size["schema"]["maximum"] == 100
    assert page_size["schema"]["minimum"] == 1
    assert "100" in page_size["description"]
    ordering = _query_parameter(listing, "ordering")
    choices = set(ordering["schema"]["items"]["enum"])
    assert choices == {"start", "-start", "created_at", "-created_at", "status", "-status"}
    assert ordering["explode"] is False  # comma-separated, as DRF reads it


def test_slot_date_range_limits_are_documented(schema):
    for path in ["/api/v1/doctors/{id}/slots/", "/api/v1/slots/"]:
        operation = schema["paths"][path]["get"]
        assert "62 days" in _query_parameter(operation, "end")["description"]
        assert "two years" in _query_parameter(operation, "start")["description"]


def test_lists_that_are_not_paginated_are_documented_as_plain_lists(schema):
    cancel = schema["paths"]["/api/v1/appointments/series/{id}/cancel/"]["post"]
    body = cancel["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": "#/components/schemas/Appointment"}}
    assert [p["name"] for p in cancel["parameters"]] == ["id"]


def test_the_notification_pages_document_the_unread_count(schema):
    page = _component(schema, "PaginatedNotificationList")
    assert page["properties"]["unread_count"]["type"] == "integer"
    assert "unread_count" in page["required"]
