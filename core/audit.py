"""The one place that makes audit events: written here, or (`audit_event`) handed to a caller
that inserts it with the other rows of its event (core.db.insert_together)."""

from collections.abc import Iterable
from operator import attrgetter
from typing import Any, Self

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models.query import ModelIterable
from django.http import HttpRequest

from core.logging import client_var, request_id_var
from core.models import AuditAction, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return client_var.get()[0]
    return request.META.get("REMOTE_ADDR") or None


def _user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return client_var.get()[1]
    return request.META.get("HTTP_USER_AGENT", "")[:256]


def audit_event(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction | str,
    resource_type: str,
    resource_id: Any,
    patient: AbstractBaseUser | Any | None,
    request: HttpRequest | None,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    """An audit event, not written yet. `patient` is the patient's user, or that user's
    primary key."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    patient_id = patient.pk if isinstance(patient, AbstractBaseUser) else patient
    return AuditEvent(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id or "")[:64],
        patient_id=patient_id,
        ip=client_ip(request),
        user_agent=_user_agent(request),
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
    event = audit_event(
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
            audit_event(
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


class ReadAuditedQuerySet(models.QuerySet):
    """Patients' data, read by someone. Once the reader is named (`read_by`), every row that
    this queryset hands out is recorded as viewed by them, in one insert per fetch. Selectors
    name the reader, so every door that reads through them (API, pages, admin, FHIR) is audited
    alike; counts, `exists()` and `values()` read no one's data and record nothing.

    The model says what it is called in the log (`audit_resource_type`) and how a row reaches
    its patient's user id (`audit_patient_user_id`, a dotted attribute path) and, if not its
    primary key, the id the log names (`audit_resource_id`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reader: AbstractBaseUser | None = None

    def read_by(self, reader: AbstractBaseUser) -> Self:
        clone = self._chain()
        clone._reader = reader
        return clone

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._reader = self._reader
        return clone

    def _fetch_all(self) -> None:
        fetched_now = self._result_cache is None
        super()._fetch_all()
        if (
            fetched_now
            and self._reader is not None
            and self._iterable_class is ModelIterable
            and self._result_cache
        ):
            patient_of = attrgetter(self.model.audit_patient_user_id)
            resource_of = attrgetter(getattr(self.model, "audit_resource_id", "pk"))
            audit_records_bulk(
                actor=self._reader,
                action=AuditAction.VIEW,
                resource_type=self.model.audit_resource_type,
                items=[(resource_of(row), patient_of(row)) for row in self._result_cache],
            )
