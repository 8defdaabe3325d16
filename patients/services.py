"""Every write to patients and care teams."""

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from core.audit import audit_record
from core.exceptions import Conflict, NotAllowed, ValidationFailed
from core.models import AuditAction
from core.services import model_update
from doctors.models import Doctor
from patients.access import doctor_access_sync, may_change_patient, patient_owner_grant
from patients.models import CareAssignment, Patient
from users import services as user_services
from users.models import Role, User
from users.roles import is_clinic_staff

# The patient record's own fields, in the order the API shows them.
PROFILE_FIELDS = (
    "date_of_birth",
    "sex",
    "blood_group",
    "allergies",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
    "insurance",
    "address",
)


INSURANCE_NOT_NULL = "Give an object (or {} for none), not null."


def _profile_update(patient: Patient, data: dict[str, Any]) -> list[str]:
    """Set and check the record's fields; the names of those that changed."""
    errors: dict[str, list[str]] = {}
    if "insurance" in data and data["insurance"] is None:
        # full_clean passes None as "blank" (the field may be {}), but the column is NOT NULL;
        # a form's "null" arrives here as None.
        errors["insurance"] = [INSURANCE_NOT_NULL]
    return model_update(
        instance=patient, fields=PROFILE_FIELDS, data=data, exclude=["user"], errors=errors
    )


def patient_register(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    password: str | None = None,
    phone: str = "",
    timezone: str = "",
    profile: dict[str, Any] | None = None,
    role: str = Role.PATIENT,
    request: HttpRequest | None = None,
) -> Patient:
    """A new patient account with its patient record: self-registration (no actor) or staff.
    `role` is what the caller asked for; the users service refuses anything but a patient."""
    if actor is not None and not is_clinic_staff(actor):
        raise NotAllowed("Only clinic staff register patients.")
    with transaction.atomic():
        user = user_services.user_create(
            actor=actor,
            email=email,
            full_name=full_name,
            role=role,
            password=password,
            phone=phone,
            timezone=timezone,
            with_patient_record=True,
            request=request,
        )
        patient = Patient(user=user)
        _profile_update(patient, profile or {})
        patient.save()
        patient_owner_grant(patient)
    return patient


def patient_profile_ensure(*, user: User) -> Patient:
    """The patient record of a patient account, made on first use for accounts created elsewhere
    (the admin, older imports)."""
    if user.role != Role.PATIENT:
        raise NotAllowed("Only patients have a patient record.")
    with transaction.atomic():
        patient, created = Patient.objects.select_related("user").get_or_create(user=user)
        if created:
            patient_owner_grant(patient)
    return patient


def patient_update(
    *, actor: User, patient: Patient, data: dict[str, Any], request: HttpRequest | None = None
) -> Patient:
    if not may_change_patient(actor, patient):
        raise NotAllowed("Only the patient and clinic staff change a patient record.")
    changed = _profile_update(patient, dict(data))
    with transaction.atomic():
        patient.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            resource_type="patient",
            resource_id=patient.pk,
            patient=patient.user,
            request=request,
            detail={"fields": sorted(data)},
        )
    return patient


ALREADY_ASSIGNED = "This doctor is already on this patient's care team."


def care_assignment_check(*, doctor: Doctor, patient: Patient) -> None:
    """The rules of a new link: an active doctor, and no active link of the same pair."""
    if not doctor.user.is_active:
        message = "This doctor's account is deactivated."
        raise ValidationFailed(message, fields={"doctor": [message]})
    if CareAssignment.objects.filter(doctor=doctor, patient=patient, active=True).exists():
        raise Conflict(
            ALREADY_ASSIGNED, code="already_assigned", fields={"doctor": [ALREADY_ASSIGNED]}
        )


def care_assignment_create(
    *,
    actor: User,
    doctor: Doctor,
    patient: Patient,
    note: str = "",
    request: HttpRequest | None = None,
) -> CareAssignment:
    if not is_clinic_staff(actor):
        raise NotAllowed("Only clinic staff assign doctors to patients.")
    care_assignment_check(doctor=doctor, patient=patient)
    try:
        with transaction.atomic():
            assignment = CareAssignment.objects.create(
                doctor=doctor, patient=patient, note=note.strip()
            )
            doctor_access_sync(doctor=doctor, patient=patient)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                resource_type="care_assignment",
                resource_id=assignment.pk,
                patient=patient.user,
                request=request,
            )
    except IntegrityError as exc:  # a concurrent assignment of the same pair
        raise Conflict(ALREADY_ASSIGNED, code="already_assigned") from exc
    return assignment


def care_assignment_note_update(
    *, actor: User, assignment: CareAssignment, note: str, request: HttpRequest | None = None
) -> CareAssignment:
    if not is_clinic_staff(actor):
        raise NotAllowed("Only clinic staff change a care assignment's note.")
    with transaction.atomic():
        assignment.note = note.strip()
        assignment.save(update_fields=["note", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            resource_type="care_assignment",
            resource_id=assignment.pk,
            patient=assignment.patient.user,
            request=request,
            detail={"fields": ["note"]},
        )
    return assignment


def care_assignment_end(
    *, actor: User, assignment: CareAssignment, request: HttpRequest | None = None
) -> CareAssignment:
    """End the link. The doctor loses access at once unless another link keeps it."""
    is_own_doctor = assignment.doctor.user_id == actor.pk
    if not is_clinic_staff(actor) and not is_own_doctor:
        raise NotAllowed("Only clinic staff or the assigned doctor end a care assignment.")
    if not assignment.active:
        raise Conflict("This care assignment has already ended.", code="already_ended")
    with transaction.atomic():
        assignment.active = False
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["active", "ended_at", "updated_at"])
        doctor_access_sync(doctor=assignment.doctor, patient=assignment.patient)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            resource_type="care_assignment",
            resource_id=assignment.pk,
            patient=assignment.patient.user,
            request=request,
            detail={"ended": True},
        )
    return assignment
