"""Who may see a patient. The single place that decides whether a doctor is linked."""

from guardian.shortcuts import assign_perm, remove_perm

from doctors.models import Doctor
from patients.models import CareAssignment, Patient

VIEW_PATIENT = "patients.view_patient"
CHANGE_PATIENT = "patients.change_patient"


# Appointment statuses that link a doctor to the patient: booked time, and visits that took
# place (the doctor documented that care). Cancelled and missed appointments link nobody.
LINKING_STATUSES = ("pending", "booked", "arrived", "fulfilled")


def doctor_is_linked(*, doctor: Doctor, patient: Patient) -> bool:
    """A doctor is linked to a patient by an active care assignment or by an appointment in
    LINKING_STATUSES (read through the reverse relation: the appointments app imports this
    one). No link here depends on the clock, so the granted permissions never go stale."""
    if CareAssignment.objects.filter(doctor=doctor, patient=patient, active=True).exists():
        return True
    return patient.appointments.filter(doctor=doctor, status__in=LINKING_STATUSES).exists()


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
