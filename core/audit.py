"""The one place that writes audit events."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from core.logging import request_id_var
from core.models import AuditAction, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _event(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction | str,
    resource_type: str,
    resource_id: Any,
    patient: AbstractBaseUser | None,
    request: HttpRequest | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    if actor is not None and not actor.is_authenticated:
        actor = None
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:256] if request is not None else ""
    return AuditEvent(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id or "")[:64],
        patient=patient,
        ip=client_ip(request),
        user_agent=user_agent,
        request_id=request_id_var.get()[:64],
        detail=detail or {},
    )


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction | str,
    resource_type: str,
    resource_id: Any = "",
    patient: AbstractBaseUser | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. `patient` is the user whose data was touched, if any."""
    event = _event(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        patient=patient,
        request=request,
        detail=detail,
    )
    event.save()
    return event


def audit_records_bulk(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction | str,
    resource_type: str,
    items: Iterable[tuple[Any, AbstractBaseUser | None]],
    request: HttpRequest | None = None,
) -> None:
    """Append one event per (resource id, patient) in a single insert, e.g. for a list page."""
    AuditEvent.objects.bulk_create(
        [
            _event(
                actor=actor,
                action=action,
                resource_type=resource_type,
                resource_id=resource_id,
                patient=patient,
                request=request,
                detail=None,
            )
            for resource_id, patient in items
        ]
    )
