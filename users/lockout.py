"""Lockout after repeated failed logins, with django-axes, answered in the portal's own way."""

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rest_framework.exceptions import APIException

from core.errors import error_json_response

LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again in {minutes} minutes."


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account key for axes: the e-mail, lower-cased, from the JWT body or a login form."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username") or request.POST.get("email")
    return str(value or "").strip().lower()[:254]  # fits axes' column however long the input


def cool_off_seconds(request: HttpRequest | None = None, username: str = "") -> int:
    """Seconds until the account may try again: from its last recorded failure."""
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
        if username
        else None
    )
    if last is None:
        return int(cool_off.total_seconds())
    remaining = last.attempt_time + cool_off - timezone.now()
    return max(1, math.ceil(remaining.total_seconds()))


def locked_message(seconds: int) -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, math.ceil(seconds / 60)))


def sign_in_allowed(request: Any, email: str) -> bool:
    """False while the account is locked out (by wrong passwords and wrong codes alike)."""
    return AxesProxyHandler.is_allowed(request, {"email": email})


def sign_in_failed(request: Any, email: str, *, step: str) -> None:
    """Count a failed sign-in step (a wrong code) as a failed password is counted: the same
    signal, so the same lockout and the same audit. On the API, reaching the limit raises
    AccountLocked (users.receivers); on the pages, axes' middleware answers."""
    credentials = {"email": email, "step": step}
    try:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    except IntegrityError:
        # Two first failures of one account at once: axes inserts its row for both, and the
        # loser's insert fails. Its receiver runs before the others (INSTALLED_APPS order), so
        # sending again counts this failure once, as a repeated one, and audits it once.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)


class AccountLocked(APIException):
    """429 for the API; DRF's handler turns `wait` into Retry-After."""

    status_code = 429
    default_code = "account_locked"

    def __init__(self, seconds: int) -> None:
        super().__init__(detail=locked_message(seconds), code="account_locked")
        self.wait = seconds


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer of the session login page and the admin."""
    seconds = cool_off_seconds(request, username_from_credentials(request, credentials))
    if request.path.startswith("/api/"):
        response = error_json_response(429, "account_locked", locked_message(seconds))
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": locked_message(seconds)},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
