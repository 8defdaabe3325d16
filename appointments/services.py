"""Every write to appointments: booking, the status actions, rescheduling and series.

On PostgreSQL, exclusion constraints make double booking impossible (a clash raises and becomes a
409); on SQLite every transaction takes the write lock when it begins (IMMEDIATE), so the checks
below run one booking at a time."""

import logging
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from appointments.constraints import DOCTOR_OVERLAP, PATIENT_OVERLAP
from appointments.models import (
    Appointment,
    AppointmentSeries,
    OfferState,
    Status,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from appointments.notifications import AppointmentKind as NotificationKind
from appointments.notifications import WaitlistKind
from appointments.selectors import PartiesBusy, message_state, parties_busy
from appointments.status import check_transition
from core.audit import audit_event, audit_records_bulk
from core.db import insert_together
from core.exceptions import Conflict, NotAllowed, NotFound, ValidationFailed
from core.metrics import APPOINTMENTS_BOOKED, APPOINTMENTS_CANCELLED, count_on_commit
from core.models import AuditAction, AuditEvent
from core.notifications import Notice, messages_render, notify, notify_many
from doctors.models import Doctor, Specialization
from doctors.selectors import Schedule, rules_for, schedules_load, span_utc
from doctors.slots import Interval, Slot, local_to_utc
from patients.access import doctor_access_grant, doctor_access_sync, doctor_is_linked
from patients.models import Patient
from users.models import User
from users.roles import is_clinic_staff, is_doctor, is_patient

logger = logging.getLogger(__name__)
SLOT_TAKEN = "This time is no longer free with this doctor."
DEADLOCK_DETECTED = "40P01"
MIN_VISIT_MINUTES, MAX_VISIT_MINUTES = 5, 480
PATIENT_BUSY = "The patient already has an appointment at this time."


@dataclass(frozen=True)
class Booking:
    """What a booking needs, checked: who, when, how long, and on whose authority."""

    doctor: Doctor
    patient: Patient
    start: datetime
    end: datetime
    status: str
    off_grid_reason: str = ""


def _fail(code: str, message: str, field: str = "start") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


def _party_notices(
    actor: User | None, kind: str, appointment: Appointment, **context
) -> list[Notice]:
    """The patient's and the doctor's message about the appointment. A party who did it gets a
    receipt of their own (a separate kind, so that it can be turned off on its own)."""
    state = message_state(appointment)
    return [
        Notice(
            user=user,
            kind=NotificationKind.APPOINTMENT_OWN_ACTION
            if actor is not None and user.pk == actor.pk
            else kind,
            context={"appointment": appointment, "action": kind, **context},
            link=reverse("appointment-page", args=[appointment.pk]),
            subject_id=str(appointment.pk),
            subject_state=state,
        )
        for user in (appointment.patient.user, appointment.doctor.user)
    ]


def _tell_parties(actor: User | None, kind: str, appointment: Appointment, **context) -> None:
    """Tell the patient and the doctor, in the same transaction (one batch of writes)."""
    notify_many(_party_notices(actor, kind, appointment, **context))


def _audit_event(
    actor: User, action: str, appointment: Appointment, request=None, **detail
) -> AuditEvent:
    return audit_event(
        actor=actor,
        action=action,
        resource_type="appointment",
        resource_id=appointment.pk,
        patient=appointment.patient.user,
        request=request,
        detail=detail or None,
    )


def _audit(actor: User, action: str, appointment: Appointment, request=None, **detail) -> None:
    _audit_event(actor, action, appointment, request, **detail).save()


def _check_parties(actor: User, doctor: Doctor, patient: Patient, returning: bool) -> bool:
    """A patient books for themself, a doctor for their own patients, staff for anyone.
    Someone else's patient is answered as if it did not exist. A returning patient (a
    reschedule) is the doctor's already. Checked before any lock is taken. Returns whether the
    doctor is known to be linked to the patient already."""
    if is_clinic_staff(actor):
        return False
    if is_patient(actor) and patient.user_id == actor.pk:
        return False
    if is_doctor(actor) and doctor.user_id == actor.pk:
        if returning or doctor_is_linked(doctor=doctor, patient=patient):
            return True
        raise NotFound("No such patient.")
    if is_doctor(actor):
        raise NotAllowed("Doctors book in their own schedule.")
    raise NotFound("No such patient.")


def _check_terms(
    actor: User,
    doctor: Doctor,
    patient: Patient,
    start: datetime,
    *,
    returning: bool,
    off_grid_reason: str,
    duration_minutes: int | None,
) -> None:
    """Whether this doctor takes this booking at all, from this actor."""
    if not doctor.user.is_active:
        raise _fail("doctor_inactive", "This doctor is not taking appointments.", "doctor")
    staff = is_clinic_staff(actor)
    if off_grid_reason and not staff:
        raise NotAllowed("Only clinic staff book outside the published slots.")
    if timezone.is_naive(start):
        raise _fail("naive_datetime", "Give the start with its UTC offset.")
    if (
        not staff
        and not doctor.accepting_new_patients
        and not returning
        and not doctor_is_linked(doctor=doctor, patient=patient)
    ):
        raise _fail(
            "not_accepting_new_patients", "This doctor is not taking new patients.", "doctor"
        )
    if duration_minutes is not None and not off_grid_reason:
        message = "A duration is given only for bookings outside the slots (the slot sets it)."
        raise _fail("duration_not_allowed", message, "duration_minutes")


def _check_time(doctor: Doctor, start: datetime, now: datetime, *, off_grid: bool = False) -> None:
    """Not in the past, not inside the doctor's notice (slots only), not beyond the horizon."""
    rules = rules_for(doctor)
    if start <= now:
        raise _fail("in_the_past", "This time is in the past.")
    if not off_grid and start < now + rules.min_notice:
        minutes = doctor.min_booking_notice_minutes
        raise _fail(
            "inside_notice", f"This doctor takes bookings at least {minutes} minutes ahead."
        )
    if start >= now + rules.horizon:
        days = doctor.booking_horizon_days
        raise _fail("beyond_horizon", f"This doctor takes bookings up to {days} days ahead.")


def _off_grid_end(doctor: Doctor, start: datetime, duration_minutes: int | None) -> datetime:
    minutes = doctor.default_visit_minutes if duration_minutes is None else duration_minutes
    if not MIN_VISIT_MINUTES <= minutes <= MAX_VISIT_MINUTES:
        message = f"A visit lasts {MIN_VISIT_MINUTES} to {MAX_VISIT_MINUTES} minutes."
        raise _fail("invalid_duration", message, "duration_minutes")
    return start + timedelta(minutes=minutes)


def _load_day(doctor: Doctor, patient: Patient, start: datetime) -> tuple[Schedule, PartiesBusy]:
    """The doctor's schedule for the local day of `start`, and what holds time in it for both
    parties: windows, time off and appointments, each read once."""
    local_day = start.astimezone(zoneinfo.ZoneInfo(doctor.timezone)).date()
    span_start, span_end = span_utc(local_day, local_day)
    busy = parties_busy(doctor_id=doctor.pk, patient_id=patient.pk, start=span_start, end=span_end)
    schedules = schedules_load(
        doctors=[doctor],
        first_day=local_day,
        last_day=local_day,
        busy=lambda ids, since, until: {doctor.pk: busy.doctor},
    )
    return schedules[doctor.pk], busy


def _grid_slot(schedule: Schedule, start: datetime, now: datetime) -> Slot:
    """The doctor's published slot that starts at `start`, free or not."""
    day = start.astimezone(zoneinfo.ZoneInfo(schedule.doctor.timezone)).date()
    grid = schedule.slots(first_day=day, last_day=day, now=now, include_busy=False)
    slot = next((slot for slot in grid if slot.start == start), None)
    if slot is None:
        raise _fail("off_grid", "The doctor has no slot starting at this time.")
    if slot not in schedule.slots(first_day=day, last_day=day, now=now):
        raise Conflict(SLOT_TAKEN, code="slot_taken")
    return slot


def _overlaps(spans: list[Interval], start: datetime, end: datetime) -> bool:
    return any(span.start < end and span.end > start for span in spans)


def _check_free(doctor: Doctor, start: datetime, end: datetime, busy: PartiesBusy) -> None:
    """Neither the doctor's time (with buffers) nor the patient's is held already. The
    database constraints say the same on PostgreSQL, for bookings that race this one."""
    if _overlaps(busy.doctor, *_held_span(doctor, start, end)):
        raise Conflict(SLOT_TAKEN, code="slot_taken")
    if _overlaps(busy.patient, start, end):
        raise Conflict(PATIENT_BUSY, code="patient_busy")


def booking_plan(
    *,
    actor: User,
    doctor: Doctor,
    patient: Patient,
    start: datetime,
    off_grid_reason: str = "",
    duration_minutes: int | None = None,
    now: datetime | None = None,
    returning: bool = False,
) -> Booking:
    """Check every booking rule and say what would be booked: the terms, the time rules, the
    grid, and that the time is free. Reads only; the caller has checked the parties
    (`_check_parties`) before taking the lock, and writes inside the transaction that holds it."""
    now = now or timezone.now()
    off_grid_reason = off_grid_reason.strip()
    _check_terms(
        actor,
        doctor,
        patient,
        start,
        returning=returning,
        off_grid_reason=off_grid_reason,
        duration_minutes=duration_minutes,
    )
    _check_time(doctor, start, now, off_grid=bool(off_grid_reason))
    if off_grid_reason:
        end = _off_grid_end(doctor, start, duration_minutes)
        held_start, held_end = _held_span(doctor, start, end)
        busy = parties_busy(
            doctor_id=doctor.pk, patient_id=patient.pk, start=held_start, end=held_end
        )
    else:
        schedule, busy = _load_day(doctor, patient, start)
        end = _grid_slot(schedule, start, now).end
    _check_free(doctor, start, end, busy)
    pending = doctor.requires_confirmation and is_patient(actor)
    return Booking(
        doctor=doctor,
        patient=patient,
        start=start,
        end=end,
        status=Status.PENDING if pending else Status.BOOKED,
        off_grid_reason=off_grid_reason,
    )


def _held_span(doctor: Doctor, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    return (
        start - timedelta(minutes=doctor.buffer_before_minutes),
        end + timedelta(minutes=doctor.buffer_after_minutes),
    )


def _lock_parties(doctor: Doctor, patient: Patient) -> None:
    """Queue bookings of one doctor (then one patient) behind each other, always in that order.

    Without it, concurrent inserts checked by the same PostgreSQL exclusion constraint can wait
    on each other and deadlock. Transaction-scoped advisory locks, both taken in one statement,
    left to right. SQLite already runs one writer at a time (IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0)),"
            " pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"doctor:{doctor.pk}", f"patient:{patient.pk}"],
        )


def _appointment_new(plan: Booking, *, actor: User, reason: str, **extra) -> Appointment:
    """The checked booking as an appointment, not yet inserted."""
    held_start, held_end = _held_span(plan.doctor, plan.start, plan.end)
    return Appointment(
        doctor=plan.doctor,
        patient=plan.patient,
        start=plan.start,
        end=plan.end,
        held_start=held_start,
        held_end=held_end,
        status=plan.status,
        reason=reason.strip(),
        booked_by=actor,
        off_grid_reason=plan.off_grid_reason,
        **extra,
    )


@contextmanager
def _clashes_refused() -> Iterator[None]:
    """An insert that clashes with a booking made meanwhile (the exclusion constraints, or a
    deadlock between two racing inserts) answers as the checks would have: a 409."""
    try:
        yield
    except IntegrityError as exc:
        raise _clash(exc) from exc
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED:
            raise Conflict(SLOT_TAKEN, code="slot_taken") from exc  # another booking won
        raise


def _insert(
    plan: Booking, *, actor: User, reason: str, isolated: bool = False, **extra
) -> Appointment:
    """Insert a checked booking. Call inside a transaction. `isolated` puts it in a savepoint,
    so that a clash leaves the transaction usable for the next visit of a series."""
    appointment = _appointment_new(plan, actor=actor, reason=reason, **extra)
    with _clashes_refused(), transaction.atomic() if isolated else nullcontext():
        appointment.save(force_insert=True)
    return appointment


def _clash(exc: IntegrityError) -> Conflict:
    if PATIENT_OVERLAP in str(exc):
        return Conflict(PATIENT_BUSY, code="patient_busy")
    if DOCTOR_OVERLAP in str(exc):
        return Conflict(SLOT_TAKEN, code="slot_taken")
    raise exc


def appointment_book(
    *,
    actor: User,
    doctor: Doctor,
    patient: Patient,
    start: datetime,
    reason: str = "",
    off_grid_reason: str = "",
    duration_minutes: int | None = None,
    request: HttpRequest | None = None,
) -> Appointment:
    # Nobody waits on a lock for nothing.
    linked = _check_parties(actor, doctor, patient, returning=False)
    with transaction.atomic():
        _lock_parties(doctor, patient)
        plan = booking_plan(
            actor=actor,
            doctor=doctor,
            patient=patient,
            start=start,
            off_grid_reason=off_grid_reason,
            duration_minutes=duration_minutes,
        )
        appointment = _appointment_new(plan, actor=actor, reason=reason)
        if not linked:
            doctor_access_grant(doctor=doctor, patient=patient)  # a booking links them
        event = _audit_event(actor, AuditAction.CREATE, appointment, request, status=plan.status)
        messages = messages_render(
            _party_notices(actor, NotificationKind.APPOINTMENT_BOOKED, appointment)
        )
        # The visit, its audit event and both parties' messages go in together: one statement
        # on PostgreSQL, whose exclusion constraints still refuse a clash.
        with _clashes_refused():
            insert_together([appointment], [event], messages.notifications, messages.deliveries)
        messages.queue_after_commit()
        count_on_commit(APPOINTMENTS_BOOKED)
    return appointment


def appointment_notes_update(
    *, actor: User, appointment: Appointment, notes: str, request=None
) -> Appointment:
    """The visit's notes: written by the doctor of the visit or by staff, and audited."""
    if not (is_clinic_staff(actor) or _is_own_doctor(actor, appointment)):
        raise NotAllowed("Only the doctor of the visit or staff write its notes.")
    with transaction.atomic():
        appointment.notes = notes.strip()
        appointment.full_clean(validate_unique=False, validate_constraints=False)
        appointment.save(update_fields=["notes", "updated_at"])
        _audit(actor, AuditAction.UPDATE, appointment, request, fields=["notes"])
    return appointment


# --- status actions --------------------------------------------------------------------------


def _is_own_doctor(actor: User, appointment: Appointment) -> bool:
    return is_doctor(actor) and appointment.doctor.user_id == actor.pk


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


MOVE_NOTICES = {
    Status.BOOKED: NotificationKind.APPOINTMENT_CONFIRMED,
    Status.CANCELLED: NotificationKind.APPOINTMENT_CANCELLED,
}


def _move(
    appointment: Appointment, target: str, *, actor: User, request=None, **fields
) -> Appointment:
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        check_transition(current.status, target)
        appointment.status = target
        for name, value in fields.items():
            setattr(appointment, name, value)
        appointment.save(update_fields=["status", "updated_at", *fields])
        _audit(actor, AuditAction.UPDATE, appointment, request, status=target)
        if target in (Status.CANCELLED, Status.NOSHOW):
            doctor_access_sync(doctor=appointment.doctor, patient=appointment.patient)
            _offer_on_commit(appointment.doctor_id, appointment.start, appointment.end)
        if target in MOVE_NOTICES:
            by_the_doctor = actor.pk == appointment.doctor.user_id
            _tell_parties(actor, MOVE_NOTICES[target], appointment, by_the_doctor=by_the_doctor)
    return appointment


def appointment_confirm(*, actor: User, appointment: Appointment, request=None) -> Appointment:
    staff = is_clinic_staff(actor)
    _require(staff or _is_own_doctor(actor, appointment), "The doctor or staff confirm.")
    if appointment.status == Status.PENDING and timezone.now() >= appointment.start:
        raise Conflict("This request's time has passed; book a new time.", code="too_late")
    return _move(appointment, Status.BOOKED, actor=actor, request=request)


def appointment_check_in(*, actor: User, appointment: Appointment, request=None) -> Appointment:
    """A patient checks in on the day: from CHECK_IN_EARLIEST before the start until the
    visit's end (plus CHECK_IN_CLOSES_AFTER_END); after that it is a no-show or a new booking."""
    staff = is_clinic_staff(actor)
    _require(staff or _is_own_doctor(actor, appointment), "The doctor or staff check in.")
    opens = appointment.start - timedelta(minutes=settings.APPOINTMENT_CHECK_IN_EARLIEST_MINUTES)
    closes = appointment.end + timedelta(
        minutes=settings.APPOINTMENT_CHECK_IN_CLOSES_AFTER_END_MINUTES
    )
    now = timezone.now()
    if appointment.status == Status.BOOKED and now < opens:
        raise Conflict(f"Check-in opens at {opens:%Y-%m-%d %H:%M} UTC.", code="too_early")
    if appointment.status == Status.BOOKED and now > closes:
        raise Conflict(
            "This visit has ended: record a no-show, or book a new time.", code="too_late"
        )
    return _move(appointment, Status.ARRIVED, actor=actor, request=request)


def appointment_complete(*, actor: User, appointment: Appointment, request=None) -> Appointment:
    _require(_is_own_doctor(actor, appointment), "Only the doctor completes a visit.")
    return _move(appointment, Status.FULFILLED, actor=actor, request=request)


def appointment_no_show(*, actor: User, appointment: Appointment, request=None) -> Appointment:
    staff = is_clinic_staff(actor)
    _require(staff or _is_own_doctor(actor, appointment), "The doctor or staff record no-shows.")
    if timezone.now() < appointment.start:
        raise Conflict("A no-show can be recorded only after the start.", code="too_early")
    return _move(appointment, Status.NOSHOW, actor=actor, request=request)


def cancellation_notice() -> timedelta:
    return timedelta(hours=settings.APPOINTMENT_CANCELLATION_NOTICE_HOURS)


def patient_notice_closed(actor: User, appointment: Appointment, what: str) -> str:
    """Why a patient can no longer change this appointment online (inside the cancellation
    notice), or "" if they still can. Doctors and staff may change it at any time."""
    if not is_patient(actor) or appointment.start - timezone.now() >= cancellation_notice():
        return ""
    hours = settings.APPOINTMENT_CANCELLATION_NOTICE_HOURS
    call = (
        f"call the clinic at {settings.CLINIC_PHONE}"
        if settings.CLINIC_PHONE
        else "call the clinic"
    )
    return f"Appointments can be {what} online up to {hours} hours before the start. Please {call}."


def _check_patient_notice(actor: User, appointment: Appointment, what: str) -> None:
    closed = patient_notice_closed(actor, appointment, what)
    if closed:
        raise Conflict(closed, code="inside_cancellation_notice")


def appointment_cancel(
    *, actor: User, appointment: Appointment, reason: str, request=None
) -> Appointment:
    """Patients cancel outside the cancellation notice; doctors and staff at any time."""
    reason = reason.strip()
    if not reason:
        raise _fail("reason_required", "Say why the appointment is cancelled.", "reason")
    _check_patient_notice(actor, appointment, "cancelled")
    cancelled = _move(
        appointment,
        Status.CANCELLED,
        actor=actor,
        request=request,
        cancelled_by=actor,
        cancelled_at=timezone.now(),
        cancellation_reason=reason[:500],
    )
    count_on_commit(APPOINTMENTS_CANCELLED)
    return cancelled


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind each patient once, at the lead time before a booked appointment.

    Each appointment is claimed by a conditional update; of two workers running at the same
    moment only one wins it, so a reminder is never sent twice."""
    now = now or timezone.now()
    lead = timedelta(
        hours=settings.APPOINTMENT_CANCELLATION_NOTICE_HOURS
        + settings.APPOINTMENT_REMINDER_MARGIN_HOURS
    )
    due = Appointment.objects.filter(
        status=Status.BOOKED, reminder_sent_at__isnull=True, start__gt=now, start__lte=now + lead
    ).values_list("pk", flat=True)
    sent = 0
    for appointment_id in list(due):
        with transaction.atomic():
            claimed = Appointment.objects.filter(  # still booked, still ahead, not yet reminded
                pk=appointment_id,
                reminder_sent_at__isnull=True,
                status=Status.BOOKED,
                start__gt=now,
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            appointment = Appointment.objects.select_related("doctor__user", "patient__user").get(
                pk=appointment_id
            )
            cancel_deadline = appointment.start - cancellation_notice()
            notify(
                user=appointment.patient.user,
                kind=NotificationKind.APPOINTMENT_REMINDER,
                context={  # worded by what the patient can still do when it is sent
                    "appointment": appointment,
                    "can_cancel_online": now < cancel_deadline,
                    "cancel_deadline": cancel_deadline,
                    "clinic_phone": settings.CLINIC_PHONE,
                },
                link=reverse("appointment-page", args=[appointment.pk]),
                subject_id=str(appointment.pk),
                subject_state=message_state(appointment),
            )
            sent += 1
    return sent


def appointment_reschedule(
    *, actor: User, appointment: Appointment, start: datetime, request=None
) -> Appointment:
    """Book the new time and cancel the old one in one transaction, linked by rescheduled_from.
    The old time is released first, so a move into it works; if the new time is taken, nothing
    changes."""
    _check_patient_notice(actor, appointment, "moved")
    if start == appointment.start:
        raise _fail("same_time", "The appointment is already at this time: choose another.")
    _check_parties(actor, appointment.doctor, appointment.patient, returning=True)
    with transaction.atomic():
        _lock_parties(appointment.doctor, appointment.patient)
        old = Appointment.objects.select_for_update().get(pk=appointment.pk)
        try:  # the old visit is cancelled, by the status machine's rule like any other
            check_transition(old.status, Status.CANCELLED)
        except Conflict as exc:
            raise Conflict(
                "Only pending or booked appointments can be rescheduled.",
                code="invalid_transition",
                fields=exc.fields,
            ) from exc
        old.status = Status.CANCELLED
        old.cancelled_by = actor
        old.cancelled_at = timezone.now()
        old.cancellation_reason = "Rescheduled"
        off_grid = old.off_grid_reason if is_clinic_staff(actor) else ""
        old.save(
            update_fields=[
                "status", "cancelled_by", "cancelled_at", "cancellation_reason", "updated_at"
            ]
        )  # fmt: skip
        plan = booking_plan(
            actor=actor, doctor=old.doctor, patient=old.patient, start=start,
            off_grid_reason=off_grid,
            duration_minutes=int((old.end - old.start).total_seconds() // 60) if off_grid else None,
            returning=True,
        )  # fmt: skip
        new = _insert(plan, actor=actor, reason=old.reason, rescheduled_from=old, series=old.series)
        doctor_access_grant(doctor=new.doctor, patient=new.patient)
        _audit(
            actor, AuditAction.UPDATE, old, request, status=Status.CANCELLED, moved_to=str(new.pk)
        )
        _audit(actor, AuditAction.CREATE, new, request, rescheduled_from=str(old.pk))
        _tell_parties(actor, NotificationKind.APPOINTMENT_RESCHEDULED, new, previous=old)
        _offer_on_commit(old.doctor_id, old.start, old.end)
    appointment.refresh_from_db()
    return new


# --- series ------------------------------------------------------------------------------------

MAX_OCCURRENCES = 52


def series_starts(
    *, doctor: Doctor, first: datetime, every_weeks: int, count: int | None, until: date | None
) -> list[datetime | date]:
    """The same weekday and wall-clock time in the doctor's zone every N weeks. A date that has
    no such time (a spring clock change) is returned as the bare date, to be reported."""
    if every_weeks < 1 or every_weeks > 12:
        raise _fail("invalid_interval", "Repeat every 1 to 12 weeks.", "every_weeks")
    if (count is None) == (until is None):
        raise _fail("count_or_until", "Give either a count or an end date.", "count")
    zone = zoneinfo.ZoneInfo(doctor.timezone)
    local = first.astimezone(zone)
    starts: list[datetime | date] = []
    step = timedelta(weeks=every_weeks)
    day = local.date()
    if count is not None and count > MAX_OCCURRENCES:
        raise _fail("too_many", f"A series has at most {MAX_OCCURRENCES} visits.", "count")
    while (count is not None and len(starts) < count) or (until is not None and day <= until):
        if len(starts) == MAX_OCCURRENCES:
            raise _fail("too_many", f"A series has at most {MAX_OCCURRENCES} visits.", "until")
        instant = local_to_utc(day, local.time().replace(tzinfo=None), zone)
        starts.append(instant if instant is not None else day)
        day += step
    if len(starts) < 2:
        raise _fail("too_few", "A series has at least two visits.", "count")
    return starts


@dataclass
class SeriesResult:
    series: AppointmentSeries
    booked: list[Appointment]
    conflicts: list[dict]


def series_book(
    *,
    actor: User,
    doctor: Doctor,
    patient: Patient,
    start: datetime,
    every_weeks: int,
    count: int | None = None,
    until: date | None = None,
    reason: str = "",
    allow_partial: bool = False,
    request=None,
) -> SeriesResult:
    """Book every occurrence, or none: by default any clash refuses the whole series with a
    list of the clashing dates. With allow_partial the free ones are booked and the rest
    reported."""
    if timezone.is_naive(start):
        raise _fail("naive_datetime", "Give the start with its UTC offset.")
    _check_time(doctor, start, timezone.now())  # the first visit; the others are checked each
    starts = series_starts(
        doctor=doctor, first=start, every_weeks=every_weeks, count=count, until=until
    )
    _check_parties(actor, doctor, patient, returning=False)
    with transaction.atomic():
        _lock_parties(doctor, patient)
        series = AppointmentSeries.objects.create(
            doctor=doctor,
            patient=patient,
            every_weeks=every_weeks,
            occurrences=len(starts),
            created_by=actor,
        )
        booked: list[Appointment] = []
        conflicts: list[dict] = []
        for occurrence in starts:
            if not isinstance(occurrence, datetime):
                conflicts.append(
                    {
                        "start": occurrence.isoformat(),
                        "code": "nonexistent_time",
                        "message": "The clocks change that day: this time does not exist.",
                    }
                )
                continue
            try:
                plan = booking_plan(actor=actor, doctor=doctor, patient=patient, start=occurrence)
                booked.append(
                    _insert(plan, actor=actor, reason=reason, series=series, isolated=True)
                )
            except (ValidationFailed, Conflict) as exc:
                conflicts.append(
                    {"start": occurrence.isoformat(), "code": exc.code, "message": exc.message}
                )
        if (conflicts and not allow_partial) or not booked:
            transaction.set_rollback(True)
            raise Conflict(
                f"{len(conflicts)} of {len(starts)} visits cannot be booked; nothing was booked.",
                code="series_conflicts",
                fields={"conflicts": conflicts},
            )
        series.occurrences = len(booked)  # the visits it holds, not the ones refused
        series.save(update_fields=["occurrences", "updated_at"])
        count_on_commit(APPOINTMENTS_BOOKED, len(booked))
        doctor_access_grant(doctor=doctor, patient=patient)
        for appointment in booked:
            _audit(actor, AuditAction.CREATE, appointment, request, series=str(series.pk))
        # One message for the whole series: every booked date, and every refused one with why.
        refused = [
            {"start": _parsed(conflict["start"]), "message": conflict["message"]}
            for conflict in conflicts
        ]
        _tell_parties(
            actor,
            NotificationKind.APPOINTMENT_BOOKED,
            booked[0],
            series_booked=booked,
            series_refused=refused,
        )
    return SeriesResult(series=series, booked=booked, conflicts=conflicts)


def _parsed(moment: str) -> datetime | date:
    """A refused visit's time as the message shows it (a date where the time did not exist)."""
    try:
        return datetime.fromisoformat(moment)
    except ValueError:
        return date.fromisoformat(moment[:10])


def series_cancel(
    *, actor: User, series: AppointmentSeries, reason: str, request=None
) -> list[Appointment]:
    """Cancel the series' future visits that still hold time, in one write. Patients cannot
    cancel the ones inside the cancellation notice; those stay booked and are left out."""
    reason = reason.strip()
    if not reason:
        raise _fail("reason_required", "Say why the visits are cancelled.", "reason")
    now = timezone.now()
    with transaction.atomic():
        _lock_parties(series.doctor, series.patient)
        ids = list(
            series.appointments.select_for_update()
            .filter(start__gt=now, status__in=(Status.PENDING, Status.BOOKED))
            .values_list("pk", flat=True)
        )
        future = list(
            Appointment.objects.filter(pk__in=ids)
            .select_related("doctor__user", "patient__user")
            .order_by("start")
        )
        if is_patient(actor):
            future = [item for item in future if item.start - now >= cancellation_notice()]
        for appointment in future:
            check_transition(appointment.status, Status.CANCELLED)
        Appointment.objects.filter(pk__in=[item.pk for item in future]).update(
            status=Status.CANCELLED,
            cancelled_by=actor,
            cancelled_at=now,
            cancellation_reason=reason[:500],
            updated_at=now,
        )
        if not future:
            return []
        count_on_commit(APPOINTMENTS_CANCELLED, len(future))
        audit_records_bulk(
            actor=actor,
            action=AuditAction.UPDATE,
            resource_type="appointment",
            items=[(item.pk, item.patient.user) for item in future],
            request=request,
        )
        doctor_access_sync(doctor=series.doctor, patient=series.patient)
        for freed in future:
            _offer_on_commit(freed.doctor_id, freed.start, freed.end)
        first = Appointment.objects.select_related("doctor__user", "patient__user").get(
            pk=future[0].pk
        )
        _tell_parties(actor, NotificationKind.APPOINTMENT_CANCELLED, first, count=len(future))
    return list(
        Appointment.objects.filter(pk__in=[item.pk for item in future])
        .select_related("doctor__user", "patient__user")
        .order_by("start")
    )


# --- waitlist ------------------------------------------------------------------------------------

MAX_WAITLIST_DAYS = 180
MAX_ACTIVE_ENTRIES = 10
# Entries looked at for one freed slot: the oldest fitting ones first.
OFFER_CANDIDATES = 50


def _entry_terms(
    *,
    doctor: Doctor | None,
    specialization: Specialization | None,
    earliest_date: date,
    latest_date: date,
    weekdays: list[int],
    earliest_time: time | None,
    latest_time: time | None,
) -> list[int]:
    """The entry's window, checked; returns the weekdays, sorted and once each."""
    if (doctor is None) == (specialization is None):
        message = "Wait for one doctor, or for any doctor of one specialty."
        raise _fail("doctor_or_specialty", message, "doctor")
    if doctor is not None and not doctor.user.is_active:
        raise _fail("doctor_inactive", "This doctor is not taking appointments.", "doctor")
    today = timezone.localdate()
    if latest_date < today:
        raise _fail("in_the_past", "The window has passed already.", "latest_date")
    if latest_date < earliest_date:
        message = "The last day must not be before the first day."
        raise _fail("end_before_start", message, "latest_date")
    if (latest_date - max(earliest_date, today)).days >= MAX_WAITLIST_DAYS:
        message = f"Wait for at most {MAX_WAITLIST_DAYS} days at a time."
        raise _fail("window_too_long", message, "latest_date")
    if any(
        not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6 for day in weekdays
    ):
        raise _fail("invalid_weekdays", "Weekdays are 0 (Monday) to 6 (Sunday).", "weekdays")
    if earliest_time is not None and latest_time is not None and latest_time <= earliest_time:
        message = "The latest time must be after the earliest time."
        raise _fail("end_before_start", message, "latest_time")
    return sorted(set(weekdays))


def waitlist_join(
    *,
    actor: User,
    patient: Patient,
    doctor: Doctor | None = None,
    specialization: Specialization | None = None,
    earliest_date: date,
    latest_date: date,
    weekdays: list[int] | None = None,
    earliest_time: time | None = None,
    latest_time: time | None = None,
    note: str = "",
    request=None,
) -> WaitlistEntry:
    """A patient (or staff for them) waits for a freed slot. The caller found the patient
    through the door; doctors do not put patients on waitlists."""
    if not (is_clinic_staff(actor) or (is_patient(actor) and patient.user_id == actor.pk)):
        raise NotAllowed("Patients join a waitlist themselves, or clinic staff for them.")
    days = _entry_terms(
        doctor=doctor,
        specialization=specialization,
        earliest_date=earliest_date,
        latest_date=latest_date,
        weekdays=list(weekdays or []),
        earliest_time=earliest_time,
        latest_time=latest_time,
    )
    with transaction.atomic():
        active = WaitlistEntry.objects.select_for_update().filter(
            patient=patient, status=WaitlistStatus.ACTIVE
        )
        if len(active) >= MAX_ACTIVE_ENTRIES:
            message = f"A patient waits on at most {MAX_ACTIVE_ENTRIES} waitlists at once."
            raise Conflict(message, code="too_many_entries")
        if any(
            e.doctor_id == getattr(doctor, "pk", None)
            and e.specialization_id == getattr(specialization, "pk", None)
            for e in active
        ):
            wanted = "this doctor" if doctor else "this specialty"
            raise Conflict(f"The patient is already waiting for {wanted}.", code="already_waiting")
        entry = WaitlistEntry.objects.create(
            patient=patient,
            doctor=doctor,
            specialization=specialization,
            # a window that opened before today starts today: that is all it can still offer
            earliest_date=max(earliest_date, timezone.localdate()),
            latest_date=latest_date,
            weekdays=days,
            earliest_time=earliest_time,
            latest_time=latest_time,
            note=note.strip()[:500],
            created_by=actor,
        )
        _audit_waitlist(actor, AuditAction.CREATE, entry, request)
    return entry


def _audit_waitlist(actor: User | None, action: str, row, request=None, **detail) -> None:
    audit_event(
        actor=actor,
        action=action,
        resource_type=row.audit_resource_type,
        resource_id=row.pk,
        patient=row.patient.user_id,
        request=request,
        detail=detail or None,
    ).save()


def waitlist_leave(*, actor: User, entry: WaitlistEntry, request=None) -> WaitlistEntry:
    """The patient (or staff) takes the entry off the waitlist; an open offer is withdrawn and
    its slot passed on."""
    if not (is_clinic_staff(actor) or (is_patient(actor) and entry.patient.user_id == actor.pk)):
        raise NotAllowed("Patients leave a waitlist themselves, or clinic staff for them.")
    with transaction.atomic():
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != WaitlistStatus.ACTIVE:
            raise Conflict("This entry is no longer waiting.", code="entry_closed")
        locked.status = WaitlistStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        _audit_waitlist(actor, AuditAction.UPDATE, locked, request, status=locked.status)
        for offer in WaitlistOffer.objects.select_for_update().filter(
            entry=locked, state=OfferState.OPEN
        ):
            _offer_close(offer, OfferState.WITHDRAWN, actor=actor, request=request)
    entry.refresh_from_db()
    return entry


def _fits(entry: WaitlistEntry, local_start: datetime, local_end: datetime) -> bool:
    """Whether a slot (on the doctor's clock) is inside the entry's window."""
    if not entry.earliest_date <= local_start.date() <= entry.latest_date:
        return False
    if entry.weekdays and local_start.weekday() not in entry.weekdays:
        return False
    if entry.earliest_time is not None and local_start.time() < entry.earliest_time:
        return False
    return entry.latest_time is None or local_end.time() <= entry.latest_time


def _candidates(doctor: Doctor, start: datetime, end: datetime) -> list[WaitlistEntry]:
    """Waiting entries this slot fits, oldest first: for this doctor, or for a specialty of
    theirs; never one with an open offer, nor one offered this slot before."""
    zone = zoneinfo.ZoneInfo(doctor.timezone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = local_start.date()
    specialties = doctor.specializations.values("pk")
    rows = (
        WaitlistEntry.objects.filter(
            Q(doctor=doctor) | Q(doctor__isnull=True, specialization__in=specialties),
            status=WaitlistStatus.ACTIVE,
            earliest_date__lte=day,
            latest_date__gte=day,
        )
        .exclude(offers__state=OfferState.OPEN)
        .exclude(pk__in=WaitlistOffer.objects.filter(doctor=doctor, start=start).values("entry"))
        .select_related("patient__user")
        .order_by("created_at", "id")
    )
    return [entry for entry in rows[:OFFER_CANDIDATES] if _fits(entry, local_start, local_end)]


def waitlist_offer_slot(
    *, doctor_id: Any, start: datetime, end: datetime, now: datetime | None = None
) -> WaitlistOffer | None:
    """Offer a freed slot to the best waiting entry (the oldest that fits) and hold it for
    them: an appointment row in status `proposed`, which the exclusion constraints count like
    a booking. Every booking rule is checked for that patient, as if they booked it; an entry
    they do not pass is skipped. None if nobody is offered it (no one fits, or the slot was
    booked meanwhile)."""
    now = now or timezone.now()
    doctor = Doctor.objects.select_related("user").filter(pk=doctor_id).first()
    if doctor is None or start <= now:
        return None
    for entry in _candidates(doctor, start, end):
        patient = entry.patient
        try:
            with transaction.atomic():
                _lock_parties(doctor, patient)
                locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
                if (
                    locked.status != WaitlistStatus.ACTIVE
                    or locked.offers.filter(state=OfferState.OPEN).exists()
                ):
                    continue
                plan = booking_plan(
                    actor=patient.user, doctor=doctor, patient=patient, start=start, now=now
                )
                hold = _insert(
                    replace(plan, status=Status.PROPOSED),
                    actor=patient.user,
                    reason="Held for a waitlist offer",
                )
                minutes = settings.WAITLIST_OFFER_HOLD_MINUTES
                offer = WaitlistOffer.objects.create(
                    entry=locked,
                    patient=patient,
                    doctor=doctor,
                    start=plan.start,
                    end=plan.end,
                    hold=hold,
                    expires_at=min(now + timedelta(minutes=minutes), plan.start),
                )
                _audit_waitlist(None, AuditAction.CREATE, offer, None, hold=str(hold.pk))
                notify(
                    user=patient.user,
                    kind=WaitlistKind.WAITLIST_OFFER,
                    context={"offer": offer, "doctor": doctor, "minutes": minutes},
                    link=reverse("waitlist-page"),
                    subject_id=str(offer.pk),
                    subject_state=OfferState.OPEN,
                )
                return offer
        except Conflict as exc:
            if exc.code == "slot_taken":
                return None  # booked by someone meanwhile: nothing left to offer
            continue  # this patient is busy then: the next entry
        except (ValidationFailed, NotAllowed, NotFound):
            continue  # a rule this patient does not pass (e.g. not taking new patients)
    return None


def _offer_close(
    offer: WaitlistOffer, state: str, *, actor: User | None, request=None
) -> tuple[Any, datetime, datetime]:
    """Close an open offer (locked by the caller): its hold goes, and the slot it held is
    returned, to be offered on once this transaction commits."""
    freed = (offer.doctor_id, offer.start, offer.end)
    offer.state = state
    offer.decided_at = timezone.now()
    hold_id = offer.hold_id
    offer.hold = None
    offer.save(update_fields=["state", "decided_at", "hold", "updated_at"])
    if hold_id is not None:
        Appointment.objects.filter(pk=hold_id, status=Status.PROPOSED).delete()
    _audit_waitlist(actor, AuditAction.UPDATE, offer, request, state=state)
    if state in (OfferState.DECLINED, OfferState.EXPIRED, OfferState.WITHDRAWN):
        _offer_on_commit(*freed)
    return freed


def _offer_on_commit(doctor_id: Any, start: datetime, end: datetime) -> None:
    """Once the freeing transaction has committed, offer the slot to the next entry. A
    failure here is logged: what freed the slot has happened and stays."""

    def offer() -> None:
        try:
            waitlist_offer_slot(doctor_id=doctor_id, start=start, end=end)
        except Exception:
            logger.exception("Offering a freed slot from the waitlist failed")

    transaction.on_commit(offer)


def _locked_open_offer(offer: WaitlistOffer, now: datetime) -> WaitlistOffer:
    locked = WaitlistOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.state == OfferState.EXPIRED or (
        locked.state == OfferState.OPEN and now >= locked.expires_at
    ):
        raise Conflict("This offer has expired; the slot was passed on.", code="offer_expired")
    if locked.state != OfferState.OPEN:
        raise Conflict(f"This offer was {locked.get_state_display().lower()}.", code="offer_closed")
    return locked


def _check_offer_actor(actor: User, offer: WaitlistOffer) -> None:
    if not (is_clinic_staff(actor) or (is_patient(actor) and offer.patient.user_id == actor.pk)):
        raise NotAllowed("The patient decides on an offer, or clinic staff for them.")


def waitlist_offer_accept(*, actor: User, offer: WaitlistOffer, request=None) -> Appointment:
    """Book the held slot for the patient, through the booking service with every usual rule.
    Before the hold expires only; of racing accepts exactly one books."""
    _check_offer_actor(actor, offer)
    now = timezone.now()
    with transaction.atomic():
        _lock_parties(offer.doctor, offer.patient)
        locked = _locked_open_offer(offer, now)
        if locked.hold_id is not None:  # the hold makes room for the booking it becomes
            Appointment.objects.filter(pk=locked.hold_id, status=Status.PROPOSED).delete()
        appointment = appointment_book(
            actor=actor,
            doctor=offer.doctor,
            patient=offer.patient,
            start=locked.start,
            reason=offer.entry.note,
            request=request,
        )
        locked.state = OfferState.ACCEPTED
        locked.decided_at = now
        locked.hold = None
        locked.appointment = appointment
        locked.save(update_fields=["state", "decided_at", "hold", "appointment", "updated_at"])
        WaitlistEntry.objects.filter(pk=locked.entry_id).update(
            status=WaitlistStatus.BOOKED, updated_at=now
        )
        _audit_waitlist(actor, AuditAction.UPDATE, locked, request, state=locked.state)
    offer.refresh_from_db()
    return appointment


def waitlist_offer_decline(*, actor: User, offer: WaitlistOffer, request=None) -> WaitlistOffer:
    """The patient does not want this slot: it is offered to the next entry. Their entry
    keeps waiting for another."""
    _check_offer_actor(actor, offer)
    with transaction.atomic():
        locked = _locked_open_offer(offer, timezone.now())
        _offer_close(locked, OfferState.DECLINED, actor=actor, request=request)
    offer.refresh_from_db()
    return offer


def waitlist_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic task: expire offers whose hold has run out (each exactly once, by a
    conditional update, however many workers sweep) and pass their slots on; close entries
    whose window has passed."""
    now = now or timezone.now()
    expired = 0
    due = WaitlistOffer.objects.filter(state=OfferState.OPEN, expires_at__lte=now)
    for offer_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = WaitlistOffer.objects.filter(pk=offer_id, state=OfferState.OPEN).update(
                state=OfferState.EXPIRED, decided_at=now, updated_at=now
            )
            if not claimed:
                continue  # another worker expired it
            offer = WaitlistOffer.objects.select_related("patient").get(pk=offer_id)
            _offer_close(offer, OfferState.EXPIRED, actor=None)
            expired += 1
    # An entry's last day has passed on every clock once UTC is a day past it.
    closed = WaitlistEntry.objects.filter(
        status=WaitlistStatus.ACTIVE, latest_date__lt=(now - timedelta(days=1)).date()
    ).update(status=WaitlistStatus.EXPIRED, updated_at=now)
    return {"offers_expired": expired, "entries_expired": closed}
