"""Domain errors raised by services. Every door (API, pages, admin, tasks) turns them into its
own kind of answer; the API turns them into the one error shape."""

from typing import Any


class ServiceError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fields = fields or {}


class ValidationFailed(ServiceError):
    status_code = 400
    default_code = "validation_error"


class NotAllowed(ServiceError):
    status_code = 403
    default_code = "permission_denied"


class NotFound(ServiceError):
    status_code = 404
    default_code = "not_found"


class Conflict(ServiceError):
    status_code = 409
    default_code = "conflict"


class DependencyUnavailable(ServiceError):
    status_code = 503
    default_code = "service_unavailable"
