"""FHIR answers its errors as OperationOutcome resources, with the HTTP status that fits."""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response

from core.exceptions import ServiceError

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"

# HTTP status -> the issue type (http://hl7.org/fhir/issue-type) it is reported as.
ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    413: "too-costly",
    415: "not-supported",
    429: "throttled",
    500: "exception",
    503: "transient",
}


class FhirError(Exception):
    """A request the FHIR API refuses, with its status and what to tell the client."""

    def __init__(self, status: int, diagnostics: str, *, issue_type: str | None = None) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.diagnostics = diagnostics
        self.issue_type = issue_type or ISSUE_TYPES.get(status, "processing")


def bad_search(diagnostics: str) -> FhirError:
    return FhirError(400, diagnostics, issue_type="invalid")


def operation_outcome(status: int, diagnostics: str, issue_type: str | None = None) -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error" if status < 500 else "fatal",
                "code": issue_type or ISSUE_TYPES.get(status, "processing"),
                "diagnostics": diagnostics,
            }
        ],
    }


def _outcome_of(exc: Exception) -> tuple[int, str, str | None, dict[str, str]]:
    """status, diagnostics, issue type and extra headers for an exception a view raised."""
    if isinstance(exc, FhirError):
        return exc.status, exc.diagnostics, exc.issue_type, {}
    if isinstance(exc, ServiceError):
        return exc.status_code, exc.message, None, {}
    if isinstance(exc, Http404):
        return 404, "Not found.", None, {}
    if isinstance(exc, RequestDataTooBig):
        return 413, "The request body is too large.", None, {}
    if isinstance(exc, SuspiciousOperation):  # e.g. more query parameters than allowed
        return 400, "The request is not valid.", None, {}
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        detail = exc.detail
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
        return (
            401,
            message or "Authentication is required.",
            None,
            {"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, dict):
            message = str(detail.get("detail", next(iter(detail.values()), exc.default_detail)))
        elif isinstance(detail, list):
            message = str(detail[0]) if detail else str(exc.default_detail)
        else:
            message = str(detail)
        headers = {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait))
        return exc.status_code, message, None, headers
    return 500, "Something went wrong on our side. The error has been logged.", None, {}


def fhir_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Every error of a FHIR view, as an OperationOutcome; an unexpected one is logged."""
    status, diagnostics, issue_type, headers = _outcome_of(exc)
    if status >= 500:
        logger.exception("FHIR request failed", exc_info=exc)
    response = Response(
        operation_outcome(status, diagnostics, issue_type), status=status, headers=headers
    )
    response.content_type = FHIR_JSON
    return response


@csrf_exempt  # nothing is changed here; a CSRF page would hide the real answer, a 404
def fhir_not_found(request: HttpRequest, unmatched: str = "") -> JsonResponse:
    """Unknown paths under /fhir/ answer in FHIR's error shape."""
    return JsonResponse(
        operation_outcome(404, f"No FHIR endpoint at {request.path}."),
        status=404,
        content_type=FHIR_JSON,
    )
