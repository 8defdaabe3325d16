from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from django.db.models import Q, QuerySet, Subquery

from appointments.models import (
    HOLDING,
    Appointment,
    AppointmentSeries,
    Status,
    WaitlistEntry,
    WaitlistOffer,
)
from core.exceptions import NotFound, ValidationFailed
from core.lookups import get_visible_or_404
from core.models import AuditAction
from core.selectors import audit_event_list
from doctors.models import Doctor
from doctors.slots import Interval
from patients.access import Access, patient_owned_visible_to, read_as
from users.models import User
from users.roles import is_doctor


def held_spans(
    doctor_ids: Collection[UUID], start: datetime, end: datetime
) -> dict[UUID, list[Interval]]:
    """The spans (buffers included) that appointments hold in these doctors' days: one query.
    Registered with doctors.selectors as a busy source."""
    spans: dict[UUID, list[Interval]] = defaultdict(list)
    rows = Appointment.objects.filter(
        doctor_id__in=list(doctor_ids), status__in=HOLDING, held_start__lt=end, held_end__gt=start
    ).values_list("doctor_id", "held_start", "held_end")
    for doctor_id, held_start, held_end in rows:
        spans[doctor_id].append(Interval(held_start, held_end))
    return spans


@dataclass
class PartiesBusy:
    """What already holds time around a booking: the doctor's held spans (buffers included)
    and the patient's visits."""

    doctor: list[Interval] = field(default_factory=list)
    patient: list[Interval] = field(default_factory=list)


def parties_busy(
    *, doctor_id: UUID, patient_id: UUID, start: datetime, end: datetime
) -> PartiesBusy:
    """Both parties' holding appointments that touch [start, end), in one query."""
    rows = Appointment.objects.filter(status__in=HOLDING).filter(
        Q(doctor_id=doctor_id, held_start__lt=end, held_end__gt=start)
        | Q(patient_id=patient_id, start__lt=end, end__gt=start)
    )
    busy = PartiesBusy()
    for row in rows.values("doctor_id", "patient_id", "held_start", "held_end", "start", "end"):
        if row["doctor_id"] == doctor_id:
            busy.doctor.append(Interval(row["held_start"], row["held_end"]))
        if row["patient_id"] == patient_id:
            busy.patient.append(Interval(row["start"], row["end"]))
    return busy


def time_off_conflicts(doctor_id: UUID, start: datetime, end: datetime) -> list[dict]:
    """Appointments that still hold time inside a new time off, for the clinic to resolve."""
    rows = (
        Appointment.objects.filter(
            doctor_id=doctor_id, status__in=HOLDING, start__lt=end, end__gt=start
        )
        .select_related("patient__user")
        .order_by("start")
    )
    return [
        {
            "appointment": str(row.pk),
            "start": row.start.isoformat(),
            "end": row.end.isoformat(),
            "status": row.status,
            "patient_name": row.patient.user.full_name,
        }
        for row in rows
    ]


def appointment_list(*, actor: User, access: Access = Access.VIEW) -> QuerySet[Appointment]:
    """A patient sees their own appointments, a doctor those in their own schedule, staff
    every one. Read to be shown (`Access.VIEW`), every row handed out is audited."""
    base = (
        Appointment.objects.exclude(status=Status.PROPOSED)  # a waitlist hold is no visit
        .select_related("doctor__user", "patient__user")
        .order_by("start", "id")
    )
    if is_doctor(actor):
        # By the doctor's id (found once), not through the user join: the (doctor, start)
        # index then gives the rows in order and the page stops after 50.
        own = Subquery(Doctor.objects.filter(user=actor).values("pk")[:1])
        return read_as(base.filter(doctor_id=own), actor, access)
    return patient_owned_visible_to(base, actor, access=access)


# What a list row shows of the visit's parties: their names. Their other columns stay in the
# database; the patient's insurance, above all, would be decrypted for every row loaded.
ROW_PARTY_FIELDS = ("doctor__user__full_name", "patient__user__full_name")


def appointment_rows(queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Appointments as the lists show them (the API's list, the front desk's day): all of each
    appointment, and of its doctor and patient only their names (and the patient's user id,
    which the read audit records)."""
    own = [field.name for field in Appointment._meta.concrete_fields]
    return queryset.select_related("doctor__user", "patient__user").only(*own, *ROW_PARTY_FIELDS)


def appointment_get(*, actor: User, appointment_id, access: Access = Access.VIEW) -> Appointment:
    return get_visible_or_404(
        appointment_list(actor=actor, access=access), "No such appointment.", pk=appointment_id
    )


def appointment_reference(*, actor: User, appointment_id) -> Appointment:
    """The visit a new record or prescription belongs to, given in a request body: one the
    actor may act on, or a 400 on that field (a body names it; it is not a path)."""
    try:
        return appointment_get(actor=actor, appointment_id=appointment_id, access=Access.ACT)
    except NotFound as exc:
        message = "No such appointment."
        raise ValidationFailed(message, fields={"appointment": [message]}) from exc


def series_list(*, actor: User) -> QuerySet[AppointmentSeries]:
    """The series that hold any appointment the actor may see."""
    visible = appointment_list(actor=actor, access=Access.ACT).values("series_id")
    return AppointmentSeries.objects.filter(pk__in=visible)


def message_state(appointment: Appointment) -> str:
    """The facts a message about this appointment states: its status and its time."""
    return f"{appointment.status}|{appointment.start.astimezone(UTC).isoformat()}"


def message_state_of(appointment_id: str) -> str:
    """The same facts as they are now; empty if the appointment is gone."""
    found = Appointment.objects.filter(pk=appointment_id).values("status", "start").first()
    return f"{found['status']}|{found['start'].astimezone(UTC).isoformat()}" if found else ""


def offer_state_of(offer_id: str) -> str:
    """A waitlist offer's state now (its message says it is open); empty if it is gone."""
    found = WaitlistOffer.objects.filter(pk=offer_id).values_list("state", flat=True).first()
    return found or ""


def waitlist_entry_list(*, actor: User, access: Access = Access.VIEW) -> QuerySet[WaitlistEntry]:
    """A patient sees their own entries, a doctor those waiting for them by name, staff all."""
    base = WaitlistEntry.objects.select_related(
        "patient__user", "doctor__user", "specialization"
    ).order_by("created_at", "id")
    if is_doctor(actor):
        return read_as(base.filter(doctor__user=actor), actor, access)
    return patient_owned_visible_to(base, actor, access=access)


def waitlist_entry_get(*, actor: User, entry_id, access: Access = Access.VIEW) -> WaitlistEntry:
    return get_visible_or_404(
        waitlist_entry_list(actor=actor, access=access), "No such waitlist entry.", pk=entry_id
    )


def waitlist_offer_list(*, actor: User, access: Access = Access.VIEW) -> QuerySet[WaitlistOffer]:
    """Offers by the same rule as entries: the patient's own, a doctor's own, staff all."""
    base = WaitlistOffer.objects.select_related(
        "patient__user", "doctor__user", "entry", "appointment"
    ).order_by("-created_at", "id")
    if is_doctor(actor):
        return read_as(base.filter(doctor__user=actor), actor, access)
    return patient_owned_visible_to(base, actor, access=access)


def waitlist_offer_get(*, actor: User, offer_id, access: Access = Access.VIEW) -> WaitlistOffer:
    return get_visible_or_404(
        waitlist_offer_list(actor=actor, access=access), "No such offer.", pk=offer_id
    )


def check_in_times(appointment_ids) -> dict[str, datetime]:
    """When each appointment was checked in: the audit event the check-in service wrote (the
    appointment itself keeps no check-in time). One query; an id without one is left out."""
    ids = [str(pk) for pk in appointment_ids]
    if not ids:
        return {}
    events = audit_event_list().filter(
        resource_type="appointment",
        resource_id__in=ids,
        action=AuditAction.UPDATE,
        detail__status=str(Status.ARRIVED),
    )
    times: dict[str, datetime] = {}
    for resource_id, at in events.values_list("resource_id", "at"):
        times[resource_id] = min(at, times.get(resource_id, at))
    return times
