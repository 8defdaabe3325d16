"""Audit of sign-in events from both doors (JWT and sessions), and the API's lockout answer."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from rest_framework.request import Request

from core.audit import audit_record
from core.models import AuditAction
from users.lockout import AccountLocked, cool_off_seconds, username_from_credentials


@receiver(user_logged_in, dispatch_uid="users.audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(
        actor=user,
        action=AuditAction.LOGIN,
        resource_type="user",
        resource_id=user.pk,
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="users.audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(
            actor=user,
            action=AuditAction.LOGOUT,
            resource_type="user",
            resource_id=user.pk,
            request=request,
        )


@receiver(user_login_failed, dispatch_uid="users.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    detail = {"account": username_from_credentials(request, credentials)}
    if (credentials or {}).get("step"):
        detail["step"] = credentials["step"]  # e.g. a wrong code, after the right password
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        resource_type="user",
        request=request,
        detail=detail,
    )


@receiver(user_locked_out, dispatch_uid="users.audit_lockout")
def audit_lockout(sender, request, username=None, **kwargs) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOCKOUT,
        resource_type="user",
        request=request,
        detail={"account": username or ""},
    )
    if isinstance(request, Request):
        # The API's request wrapper hides the lockout flag from axes' middleware, so the API
        # answers here, in its own error shape (axes documents this hook for DRF).
        raise AccountLocked(cool_off_seconds(request, username or ""))
