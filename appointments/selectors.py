from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, datetime
from uuid import UUID

from django.db.models import QuerySet

from appointments.models import HOLDING, Appointment
from core.lookups import get_visible_or_404
from doctors.slots import Interval
from users.models import Role, User
from users.services import role_of


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


def appointment_list(*, actor: User) -> QuerySet[Appointment]:
    """A patient sees their own appointments, a doctor theirs, staff every one."""
    base = Appointment.objects.select_related("doctor__user", "patient__user").order_by(
        "start", "id"
    )
    role = role_of(actor)
    if role in (Role.STAFF, Role.ADMIN):
        return base
    if role == Role.DOCTOR:
        return base.filter(doctor__user=actor)
    if role == Role.PATIENT:
        return base.filter(patient__user=actor)
    return base.none()


def appointment_get(*, actor: User, appointment_id) -> Appointment:
    return get_visible_or_404(
        appointment_list(actor=actor), "No such appointment.", pk=appointment_id
    )


def message_state(appointment: Appointment) -> str:
    """The facts a message about this appointment states: its status and its time."""
    return f"{appointment.status}|{appointment.start.astimezone(UTC).isoformat()}"


def message_state_of(appointment_id: str) -> str:
    """The same facts as they are now; empty if the appointment is gone."""
    found = Appointment.objects.filter(pk=appointment_id).values("status", "start").first()
    return f"{found['status']}|{found['start'].astimezone(UTC).isoformat()}" if found else ""
