"""Every write to prescriptions. Only a doctor linked to the patient prescribes. Each line is
checked against the patient's recorded allergies by drug class (prescriptions.drug_classes): a
conflict refuses the prescription (409 `allergy_conflict`) unless that line carries an
override reason, which is kept and audited; a cross-reactivity is a warning on the line."""

import re
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment
from core.audit import audit_record
from core.exceptions import Conflict, NotAllowed, ValidationFailed
from core.models import AuditAction
from core.notifications import notify
from doctors.models import Doctor
from health_records.selectors import recorded_allergies
from patients.access import may_write_clinical
from patients.models import Patient
from prescriptions.drug_classes import CONFLICT, allergy_findings, drug_identity
from prescriptions.models import MedicationLine, Prescription, PrescriptionStatus, Route
from prescriptions.notifications import PrescriptionKind
from users.models import User

MAX_LINES = 20
LINE_FIELDS = (
    "drug_name", "strength", "form", "dose", "route", "frequency", "duration_days", "quantity",
    "refills", "instructions", "allergy_override_reason",
)  # fmt: skip
REQUIRED = ("drug_name", "dose", "route", "frequency", "duration_days", "quantity")
RANGES = {"duration_days": (1, 365), "quantity": (1, 1_000_000), "refills": (0, 12)}
FINISHED = frozenset(
    {
        PrescriptionStatus.COMPLETED,
        PrescriptionStatus.CANCELLED,
        PrescriptionStatus.ENTERED_IN_ERROR,
    }
)


def _fail(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


def _check_writer(actor: User, patient: Patient) -> Doctor:
    if not may_write_clinical(actor, patient):
        raise NotAllowed("Only a doctor linked to the patient prescribes for them.")
    return actor.doctor_profile


def patient_allergies(patient: Patient) -> list[str]:
    """Allergy records, and the free-text list on the patient's profile."""
    listed = [part.strip() for part in re.split(r"[,;\n]", patient.allergies) if part.strip()]
    return recorded_allergies(patient) + listed


def _checked_line(index: int, data: dict[str, Any]) -> dict[str, Any]:
    """One line's values, each rule checked here (the database holds the same limits)."""
    unknown = sorted(set(data) - set(LINE_FIELDS))
    if unknown:
        raise _fail(f"lines.{index}.{unknown[0]}", "Unknown field.")
    line = {name: data.get(name) for name in LINE_FIELDS if data.get(name) is not None}
    for name, value in line.items():
        if isinstance(value, str):
            line[name] = value.strip()
    for name in REQUIRED:
        if line.get(name) in (None, ""):
            raise _fail(f"lines.{index}.{name}", "This field is required.")
    if line["route"] not in Route.values:
        raise _fail(f"lines.{index}.route", f"One of: {', '.join(Route.values)}.")
    for name, (low, high) in RANGES.items():
        value = line.get(name, 0 if name == "refills" else None)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _fail(f"lines.{index}.{name}", f"A whole number from {low} to {high}.")
        line[name] = value
    return line


def prescription_create(
    *,
    actor: User,
    patient: Patient,
    lines: list[dict[str, Any]],
    notes: str = "",
    appointment: Appointment | None = None,
    request: HttpRequest | None = None,
) -> Prescription:
    doctor = _check_writer(actor, patient)
    if not lines:
        raise _fail("lines", "Give at least one medication.")
    if len(lines) > MAX_LINES:
        raise _fail("lines", f"At most {MAX_LINES} medications on one prescription.")
    if appointment is not None and appointment.patient_id != patient.pk:
        raise _fail("appointment", "This appointment is not the patient's.")
    checked = [_checked_line(index, line) for index, line in enumerate(lines)]
    allergies = patient_allergies(patient)
    refused: dict[str, list[str]] = {}
    rows: list[MedicationLine] = []
    for index, line in enumerate(checked):
        findings = allergy_findings(line["drug_name"], allergies)
        conflicts = [finding for finding in findings if finding.severity == CONFLICT]
        if conflicts and not line.get("allergy_override_reason"):
            refused[f"lines.{index}.drug_name"] = [finding.message for finding in conflicts]
        rows.append(
            MedicationLine(
                position=index,
                allergy_checked=drug_identity(line["drug_name"]) is not None,
                allergy_findings=[asdict(finding) for finding in findings],
                **line,
            )
        )
    if refused:
        first = next(iter(refused.values()))[0]
        raise Conflict(
            f"{first} Give an override reason on the line to prescribe it anyway.",
            code="allergy_conflict",
            fields=refused,
        )
    prescription = Prescription(
        patient=patient,
        doctor=doctor,
        appointment=appointment,
        issued_at=timezone.now(),
        notes=notes.strip(),
    )
    with transaction.atomic():
        prescription.save(force_insert=True)
        for row in rows:
            row.prescription = prescription
        MedicationLine.objects.bulk_create(rows)
        overrides = [
            {"drug_name": row.drug_name, "reason": row.allergy_override_reason,
             "findings": row.allergy_findings}
            for row in rows if row.allergy_override_reason
        ]  # fmt: skip
        _audit(actor, AuditAction.CREATE, prescription, request, lines=len(rows))
        if overrides:
            _audit(actor, AuditAction.UPDATE, prescription, request, allergy_overrides=overrides)
        notify(
            user=patient.user,
            kind=PrescriptionKind.PRESCRIPTION_ISSUED,
            context={"prescription": prescription, "lines": rows},
            link=reverse("prescription-page", args=[prescription.pk]),
        )
    return prescription


def _audit(actor: User, action: str, prescription: Prescription, request, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        resource_type="prescription",
        resource_id=prescription.pk,
        patient=prescription.patient.user,
        request=request,
        detail=detail or None,
    )


def prescription_finish(
    *,
    actor: User,
    prescription: Prescription,
    status: str,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Prescription:
    """active -> completed, cancelled or entered-in-error, with a reason. A finished
    prescription never goes back to active."""
    _check_writer(actor, prescription.patient)
    if status not in FINISHED:
        raise _fail("status", "One of: completed, cancelled, entered-in-error.")
    reason = reason.strip()
    if not reason:
        raise _fail("reason", "Say why.", "reason_required")
    with transaction.atomic():
        changed = Prescription.objects.filter(
            pk=prescription.pk, status=PrescriptionStatus.ACTIVE
        ).update(status=status, status_reason=reason[:500], updated_at=now or timezone.now())
        if not changed:
            raise Conflict(
                "Only an active prescription can be completed, cancelled or retracted.",
                code="invalid_transition",
            )
        prescription.refresh_from_db()
        _audit(actor, AuditAction.UPDATE, prescription, request, status=status)
    return prescription
