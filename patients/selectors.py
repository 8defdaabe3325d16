from django.db.models import QuerySet

from core.lookups import get_visible_or_404
from core.models import AuditEvent
from patients.models import CareAssignment
from users.models import User
from users.roles import is_clinic_staff, is_doctor, is_patient

# Patients themselves are read through patients.access (patients_visible_to, patient_for_actor).


def access_log(*, patient_user: User, include_own: bool = False) -> QuerySet[AuditEvent]:
    """Who touched this patient's data, newest first: the patient's own view of the audit log.
    What the patient did themself is left out unless asked for."""
    events = AuditEvent.objects.filter(patient=patient_user)
    if not include_own:
        events = events.exclude(actor=patient_user)
    return events.select_related("actor").order_by("-at", "id")


def care_assignment_list(*, actor: User) -> QuerySet[CareAssignment]:
    """Staff see every link; a doctor and a patient the links they are part of."""
    base = CareAssignment.objects.select_related("doctor__user", "patient__user").order_by(
        "-started_at", "id"
    )
    if is_clinic_staff(actor):
        return base
    if is_doctor(actor):
        return base.filter(doctor__user=actor)
    if is_patient(actor):
        return base.filter(patient__user=actor)
    return base.none()


def care_assignment_get(*, actor: User, assignment_id) -> CareAssignment:
    return get_visible_or_404(
        care_assignment_list(actor=actor), "No such care assignment.", pk=assignment_id
    )
