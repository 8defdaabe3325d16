"""The one error shape: {"error": {"code": ..., "message": ..., "fields": {...}}}."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ServiceError

logger = logging.getLogger(__name__)

DEFAULT_MESSAGES = {
    400: "The request is not valid.",
    401: "Authentication is required.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    405: "This method is not allowed here.",
    409: "The request conflicts with the current state.",
    413: "The request body is too large.",
    415: "Unsupported media type.",
    429: "Too many requests.",
    500: "Something went wrong on our side. The error has been logged.",
    503: "A service this request depends on is unavailable.",
}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_json_response(status_code: int, code: str, message: str | None = None) -> JsonResponse:
    return JsonResponse(
        error_body(code, message or DEFAULT_MESSAGES.get(status_code, "Error.")),
        status=status_code,
    )


def _flatten(detail: Any) -> Any:
    """Turn DRF ErrorDetail trees into plain lists/dicts of strings."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(fields: dict[str, Any]) -> str | None:
    for name, errors in fields.items():
        while isinstance(errors, (list, dict)) and errors:
            errors = errors[0] if isinstance(errors, list) else next(iter(errors.values()))
        if isinstance(errors, str):
            return errors if name == "non_field_errors" else f"{name}: {errors}"
    return None


def _validation_response(detail: Any) -> Response:
    if isinstance(detail, dict):
        fields = _flatten(detail)
        non_field = fields.pop("non_field_errors", None)
        message = non_field[0] if non_field else _first_message(fields)
    else:
        fields = {}
        flat = _flatten(detail)
        message = flat[0] if isinstance(flat, list) and flat else str(flat)
    return Response(
        error_body("validation_error", message or DEFAULT_MESSAGES[400], fields),
        status=status.HTTP_400_BAD_REQUEST,
    )


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF exception handler: every API error leaves in the one shape."""
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, exc.message, _flatten(exc.fields)), exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return _validation_response(detail)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("payload_too_large", DEFAULT_MESSAGES[413]), status=413)
    if isinstance(exc, (Http404, DjangoPermissionDenied)):
        exc = exceptions.NotFound() if isinstance(exc, Http404) else exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc.detail)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's handler500 answers, without a traceback

    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, dict) and "detail" in detail:  # simplejwt's token errors
            message, code = str(detail["detail"]), str(detail.get("code", exc.default_code))
        elif isinstance(detail, (dict, list)):
            message, code = DEFAULT_MESSAGES.get(response.status_code, "Error."), exc.default_code
        else:
            message, code = str(detail), str(getattr(detail, "code", None) or exc.default_code)
        if isinstance(exc, exceptions.ParseError):
            code = "malformed_request"
        response.data = error_body(code, message)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler400(request: HttpRequest, exception: Exception | None = None):
    if _is_api(request):
        return error_json_response(400, "bad_request")
    return render(request, "errors/error.html", {"status": 400}, status=400)


def handler403(request: HttpRequest, exception: Exception | None = None):
    if _is_api(request):
        return error_json_response(403, "permission_denied")
    return render(request, "errors/error.html", {"status": 403}, status=403)


def handler404(request: HttpRequest, exception: Exception | None = None):
    if _is_api(request):
        return error_json_response(404, "not_found")
    return render(request, "errors/error.html", {"status": 404}, status=404)


def handler500(request: HttpRequest):
    if _is_api(request):
        return error_json_response(500, "server_error")
    return render(request, "errors/error.html", {"status": 500}, status=500)


@csrf_exempt  # nothing is changed here; a CSRF page would hide the real answer, a 404
def api_not_found(request: HttpRequest, unmatched: str = "") -> JsonResponse:
    """Catch-all for unknown /api/ paths, so that they answer in the error shape."""
    message = f"No API endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            message += f" Did you mean {request.path}/ ?"
    return error_json_response(404, "not_found", message)
