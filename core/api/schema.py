"""OpenAPI: the one error shape as a component, and each operation's error answers.

`document_error_answers` is a drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS). It
reads each operation's view, as DRF will run it, and documents the 4xx answers that follow from
it: 401/403 where it authenticates and checks permissions, 404 on a detail route or a page past
the end, 400/413/415 where it reads a body or query parameters, 429 where it is throttled. What
only a service knows (a 409 conflict, a 404 for an id in the body, a 503 from a dependency) is
declared at the view with `error_responses(...)`. Each list's ordering choices come from its
view too."""

from copy import deepcopy
from typing import TYPE_CHECKING, Any

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiResponse
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from core.errors import DEFAULT_MESSAGES

if TYPE_CHECKING:
    from drf_spectacular.generators import SchemaGenerator

ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer of the API has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Machine-readable, e.g. validation_error, not_found, "
                    "slot_taken, throttled.",
                },
                "message": {"type": "string", "description": "For people: what went wrong."},
                "fields": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Per-field messages (a list of strings, or an object of "
                    "them for a nested field); empty when the error is about no one field.",
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    400: "The request is not valid: a field, a query parameter or the body is wrong.",
    401: "No valid credentials: the token is missing, expired or revoked.",
    403: "Signed in, but not allowed to do this.",
    404: "Not found, or not yours to see (or a page past the last one).",
    409: "Conflicts with the current state (e.g. the slot was just taken).",
    413: "The request body is too large.",
    415: "The body's content type is not accepted.",
    429: "Too many requests: wait for Retry-After seconds.",
    503: "A service this request depends on is unavailable.",
}
METHODS = ("get", "post", "put", "patch", "delete")


def error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(status, DEFAULT_MESSAGES.get(status, "Error.")),
        "content": {"application/json": {"schema": dict(ERROR_REF)}},
    }


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """For `extend_schema(responses=...)`: errors only the service behind a view knows of."""
    return {
        status: OpenApiResponse(response=dict(ERROR_REF), description=DESCRIPTIONS[status])
        for status in statuses
    }


def _views(generator: "SchemaGenerator", request: Request | None) -> dict[tuple[str, str], APIView]:
    """Each operation's view, as drf-spectacular builds it: with a mock request of its method,
    so that get_permissions() and get_throttles() answer as they will for a real one."""
    views = {}
    for path, _path_regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, request)
        views[path, method.lower()] = view
    return views


def _error_statuses(view: APIView, method: str, operation: dict[str, Any]) -> set[int]:
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p["in"] == "query"}
    statuses = set()
    if view.get_authenticators():
        statuses.add(401)  # a bad token is refused even where signing in is optional
    if not all(isinstance(permission, AllowAny) for permission in view.get_permissions()):
        statuses |= {401, 403}
    if any(p["in"] == "path" for p in parameters) or (method == "get" and "page" in query):
        statuses.add(404)
    if query:
        statuses.add(400)
    if "requestBody" in operation:
        statuses |= {400, 413, 415}
    if view.get_throttles():
        statuses.add(429)
    return statuses


def _document_ordering(view: APIView, operation: dict[str, Any]) -> None:
    fields = getattr(view, "ordering_fields", None)
    if not isinstance(fields, (list, tuple)):
        return
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter["name"] == OrderingFilter.ordering_param:
            choices = [order for field in fields for order in (field, f"-{field}")]
            parameter["description"] = (
                f"Order by {', '.join(fields)}; prefix - for descending, join several with "
                "commas. Other values are ignored."
            )
            parameter["schema"] = {"type": "array", "items": {"type": "string", "enum": choices}}
            parameter["style"] = "form"
            parameter["explode"] = False  # ?ordering=start,-created_at, as DRF reads it


def document_error_answers(
    result: dict[str, Any], generator: "SchemaGenerator", request: Request | None, public: bool
) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_COMPONENT] = deepcopy(ERROR_SCHEMA)
    views = _views(generator, request)
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            view = views.get((path, method))
            if operation is None or view is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(view, method, operation):
                responses.setdefault(str(status), error_response(status))
            operation["responses"] = dict(sorted(responses.items()))
            _document_ordering(view, operation)
    return result
