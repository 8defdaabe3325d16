"""The one door to patient data: who may see which patient, and which rows of patient-owned
data (appointments, AI results, records) follow from that.

Every view, page, admin screen, task and service that reads or writes a patient's data starts
from `patients_visible_to`, `patient_for_actor` or `patient_owned_visible_to`. "Not found" and
"not yours" are the same answer: 404. Reads for showing (`Access.VIEW`) are audited as they are
fetched (core.audit.ReadAuditedQuerySet); reads for changing are audited by the service that
writes."""

from enum import StrEnum
from functools import cache
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from core.exceptions import NotAllowed, NotFound
from core.lookups import get_visible_or_404
from doctors.models import Doctor
from patients.models import CareAssignment, Patient, PatientUserObjectPermission
from users.models import User
from users.roles import is_clinic_staff, is_doctor, is_patient

VIEW_PATIENT = "patients.view_patient"
CHANGE_PATIENT = "patients.change_patient"
NO_SUCH_PATIENT = "No such patient."

# Appointment statuses that link a doctor to the patient: booked time, and visits that took
# place (the doctor documented that care). Cancelled and missed appointments link nobody.
LINKING_STATUSES = ("pending", "booked", "arrived", "fulfilled")


class Access(StrEnum):
    VIEW = "view"  # to show it: the read is audited here
    ACT = "act"  # to act for the patient (book, assess): the service audits what it writes
    CHANGE = "change"  # to edit the patient's record: the patient themself or staff


def read_as(queryset: QuerySet, actor: User | None, access: Access) -> QuerySet:
    """The queryset, audited as read by the actor when it is read to be shown."""
    return queryset.read_by(actor) if access == Access.VIEW else queryset


def patients_visible_to(actor: User | None, *, access: Access = Access.VIEW) -> QuerySet[Patient]:
    """The one scoped queryset of patients: staff see every patient, a doctor the patients
    linked to them (guardian object permissions, kept by `doctor_access_sync`), a patient
    themself, anyone else nobody."""
    base = Patient.objects.select_related("user").order_by("user__full_name", "id")
    if is_clinic_staff(actor):
        visible = base
    elif is_patient(actor):
        visible = base.filter(user=actor)
    elif is_doctor(actor):
        visible = get_objects_for_user(
            actor, VIEW_PATIENT, klass=base, accept_global_perms=False, with_superuser=False
        )
    else:
        visible = base.none()
    return read_as(visible, actor, access)


def patient_for_actor(*, actor: User, patient_id: Any, access: Access = Access.VIEW) -> Patient:
    """The patient, if the actor may see them; any other id answers 404 (`NotFound`). To change
    the record the actor must also hold change rights: the patient or staff (403 otherwise, as
    the record was visible)."""
    patient = get_visible_or_404(
        patients_visible_to(actor, access=access), NO_SUCH_PATIENT, pk=patient_id
    )
    if access == Access.CHANGE and not may_change_patient(actor, patient):
        raise NotAllowed("Only the patient and clinic staff change a patient record.")
    return patient


def may_see_patient(actor: User, patient: Patient) -> bool:
    return patients_visible_to(actor, access=Access.ACT).filter(pk=patient.pk).exists()


def may_change_patient(actor: User, patient: Patient) -> bool:
    return is_clinic_staff(actor) or (is_patient(actor) and patient.user_id == actor.pk)


def own_patient_record(user: User, *, access: Access = Access.ACT) -> Patient | None:
    """A patient account's own record (None for any other account, or before it exists)."""
    if not is_patient(user):
        return None
    return patients_visible_to(user, access=access).first()


def patient_owned_visible_to(
    queryset: QuerySet, actor: User | None, *, access: Access = Access.VIEW
) -> QuerySet:
    """Rows that belong to a patient (a `patient` foreign key), narrowed to the patients the
    actor may see, by the same rule as `patients_visible_to`."""
    if is_clinic_staff(actor):
        visible = queryset
    elif is_patient(actor):
        visible = queryset.filter(patient__user=actor)
    elif is_doctor(actor):
        visible = queryset.filter(patient__in=patients_visible_to(actor, access=Access.ACT))
    else:
        visible = queryset.none()
    return read_as(visible, actor, access)


def clinical_rows_visible_to(
    queryset: QuerySet, actor: User | None, *, access: Access = Access.VIEW
) -> QuerySet:
    """Clinical rows (health records, prescriptions): the patient themself and the doctors
    linked to them. Front-desk staff run the clinic without reading charts."""
    if is_clinic_staff(actor):
        return queryset.none()
    return patient_owned_visible_to(queryset, actor, access=access)


def chart_patient_for_actor(*, actor: User, patient_id: Any) -> Patient:
    """A patient whose clinical data the actor may read as a whole (the chart): the patient
    themself or a linked doctor. Staff and anyone else: 404."""
    if is_clinic_staff(actor):
        raise NotFound(NO_SUCH_PATIENT)
    return patient_for_actor(actor=actor, patient_id=patient_id, access=Access.ACT)


def may_write_clinical(actor: User, patient: Patient) -> bool:
    """A doctor linked to the patient writes their clinical data."""
    return is_doctor(actor) and may_see_patient(actor, patient)


def doctor_is_linked(*, doctor: Doctor, patient: Patient) -> bool:
    """A doctor is linked to a patient by an active care assignment or by an appointment in
    LINKING_STATUSES (read through the reverse relation: the appointments app imports this
    one). No link here depends on the clock, so the granted permissions never go stale."""
    if CareAssignment.objects.filter(doctor=doctor, patient=patient, active=True).exists():
        return True
    return patient.appointments.filter(doctor=doctor, status__in=LINKING_STATUSES).exists()


@cache
def _view_permission_id() -> int:
    """The view permission's row, read once per process (and again after migrate or flush,
    which may renumber it)."""
    app_label, codename = VIEW_PATIENT.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename).pk


@receiver(post_migrate)
def _forget_permission_id(**kwargs: Any) -> None:
    _view_permission_id.cache_clear()


def doctor_access_grant(*, doctor: Doctor, patient: Patient) -> None:
    """Grant the doctor's view of the patient after a link was made (a booking, an assignment):
    one insert, a no-op when the grant exists already."""
    PatientUserObjectPermission.objects.bulk_create(
        [
            PatientUserObjectPermission(
                permission_id=_view_permission_id(), user_id=doctor.user_id, content_object=patient
            )
        ],
        ignore_conflicts=True,
    )


def doctor_access_sync(*, doctor: Doctor, patient: Patient) -> bool:
    """Grant or revoke the doctor's view of the patient to match the links that exist now.
    Call it inside the transaction that changed a link. Returns whether access remains."""
    linked = doctor_is_linked(doctor=doctor, patient=patient)
    if linked:
        assign_perm(VIEW_PATIENT, doctor.user, patient)
    else:
        remove_perm(VIEW_PATIENT, doctor.user, patient)
    return linked


def patient_owner_grant(patient: Patient) -> None:
    assign_perm(VIEW_PATIENT, patient.user, patient)
    assign_perm(CHANGE_PATIENT, patient.user, patient)
