from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from core.lookups import get_visible_or_404
from patients.access import VIEW_PATIENT
from patients.models import CareAssignment, Patient
from users.models import Role, User
from users.services import role_of


def patient_list(*, actor: User) -> QuerySet[Patient]:
    """Staff see every patient, a doctor the patients linked to them, a patient themself."""
    base = Patient.objects.select_related("user").order_by("user__full_name", "id")
    role = role_of(actor)
    if role in (Role.STAFF, Role.ADMIN):
        return base
    if role in (Role.DOCTOR, Role.PATIENT):
        return get_objects_for_user(
            actor, VIEW_PATIENT, klass=base, accept_global_perms=False, with_superuser=False
        )
    return base.none()


def patient_get(*, actor: User, patient_id) -> Patient:
    """A patient the actor may see; any other answers 404, as if it did not exist."""
    return get_visible_or_404(patient_list(actor=actor), "No such patient.", pk=patient_id)


def patient_for_user(user: User) -> Patient | None:
    return Patient.objects.select_related("user").filter(user=user).first()


def care_assignment_list(*, actor: User) -> QuerySet[CareAssignment]:
    base = CareAssignment.objects.select_related("doctor__user", "patient__user").order_by(
        "-started_at", "id"
    )
    role = role_of(actor)
    if role in (Role.STAFF, Role.ADMIN):
        return base
    if role == Role.DOCTOR:
        return base.filter(doctor__user=actor)
    if role == Role.PATIENT:
        return base.filter(patient__user=actor)
    return base.none()


def care_assignment_get(*, actor: User, assignment_id) -> CareAssignment:
    return get_visible_or_404(
        care_assignment_list(actor=actor), "No such care assignment.", pk=assignment_id
    )
