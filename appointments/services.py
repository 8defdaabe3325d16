"""Every write to appointments: booking, the status actions, rescheduling and series.

On PostgreSQL, exclusion constraints make double booking impossible (a clash raises and becomes a
409); on SQLite every transaction takes the write lock when it begins (IMMEDIATE), so the checks
below run one booking at a time."""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from appointments.constraints import DOCTOR_OVERLAP, PATIENT_OVERLAP
from appointments.models import Appointment, AppointmentSeries, Status
from appointments.notifications import AppointmentKind as NotificationKind
from appointments.selectors import PartiesBusy, message_state, parties_busy
from appointments.status import check_transition
from core.audit import audit_event, audit_records_bulk
from core.db import insert_together
from core.exceptions import Conflict, NotAllowed, NotFound, ValidationFailed
from core.metrics import APPOINTMENTS_BOOKED, APPOINTMENTS_CANCELLED, count_on_commit
from core.models import AuditAction, AuditEvent
from core.notifications import Notice, messages_render, notify, notify_many
from doctors.models import Doctor
from doctors.selectors import Schedule, rules_for, schedules_load, span_utc
from doctors.slots import Interval, Slot, local_to_utc
from patients.access import doctor_access_grant, doctor_access_sync, doctor_is_linked
from patients.models import Patient
from users.models import User
from users.roles import is_clinic_staff, is_doctor, is_patient

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
        first = Appointment.objects.select_related("doctor__user", "patient__user").get(
            pk=future[0].pk
        )
        _tell_parties(actor, NotificationKind.APPOINTMENT_CANCELLED, first, count=len(future))
    return list(
        Appointment.objects.filter(pk__in=[item.pk for item in future])
        .select_related("doctor__user", "patient__user")
        .order_by("start")
    )
