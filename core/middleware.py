import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone

from core import metrics
from core.errors import error_json_response
from core.exceptions import NotFound
from core.logging import client_var, request_id_var, user_id_var
from core.timezones import activate_zone_of

access_logger = logging.getLogger("core.access")
request_logger = logging.getLogger("django.request")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


class RequestContextMiddleware:
    """Gives each request an id (honouring a sane X-Request-ID), echoes it, and writes one JSON
    access line with method, path, status, duration and user id. No bodies, query strings or
    headers are logged: they may hold health data or tokens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        user_token = user_id_var.set("")
        client_token = client_var.set(
            (request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:256])
        )
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            user_id = str(user.pk) if user is not None and user.is_authenticated else ""
            user_id_var.set(user_id)
            response["X-Request-ID"] = request_id
            access_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": _loggable_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)
            client_var.reset(client_token)


class MetricsMiddleware:
    """Times every request and counts its response, labelled by URL pattern (never the path
    itself: ids in paths would make a label per object)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = _loggable_path(request) if match is not None else "unmatched"
        method = request.method if request.method in _KNOWN_METHODS else "other"
        metrics.REQUEST_SECONDS.labels(view, method).observe(time.perf_counter() - started)
        metrics.RESPONSES.labels(view, method, str(response.status_code)).inc()
        return response


_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _loggable_path(request: HttpRequest) -> str:
    """The URL pattern when one matched (so that tokens in paths, such as a password reset
    link's, never reach the log), else the path cut short."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        route = _REGEX_GROUP.sub(r"<\1>", match.route)
        return "/" + route.replace("^", "").replace("$", "")
    return request.path[:200]


class RequestBodyLimitMiddleware:
    """Refuses a declared body over the limit with 413 before any parser reads it.

    DRF's JSON parser reads the stream directly and would not apply Django's own limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_json_response(400, "bad_request", "Content-Length is not a number.")
        content_type = request.META.get("CONTENT_TYPE", "")
        limit = (
            settings.MAX_UPLOAD_BODY_BYTES
            if content_type.startswith("multipart/")
            else settings.MAX_REQUEST_BODY_BYTES
        )
        if length > limit:
            return error_json_response(
                413,
                "payload_too_large",
                f"The request body is too large: the limit is {limit // 1024} KiB.",
            )
        return self.get_response(request)


# Exceptions Django itself turns into a 4xx; every other one is a crash.
_CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)


class ApiDebugErrorMiddleware:
    """Under DEBUG, a crash on an API path still answers JSON in the error shape (the
    traceback goes to the log), so that the SPA and API clients never get an HTML page.
    Without DEBUG, `handler500` already answers so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or not request.path.startswith("/api/"):
            return None
        if isinstance(exception, _CLIENT_ERRORS):
            return None
        got_request_exception.send(sender=None, request=request)
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        return error_json_response(500, "server_error")


class UserTimezoneMiddleware:
    """Pages and the admin show and read times in the signed-in user's zone, visitors in the
    clinic's. The API is left in UTC (its answers carry offsets); its date filters take the
    caller's zone themselves (core.filters.LocalDateFilter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)
        activate_zone_of(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PageNotFoundMiddleware:
    """On the pages, a service's NotFound (an object that does not exist or is not the viewer's)
    is the page-not-found answer, exactly as on the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound) and not request.path.startswith("/api/"):
            raise Http404(exception.message) from exception
        return None
