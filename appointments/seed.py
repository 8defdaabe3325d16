"""Demo appointments: past visits (fulfilled, no-show, cancelled), upcoming ones (booked,
pending, cancelled), one patient checked in now, and two patients on the waitlist, one of them
offered a freed slot (held for them for a while after seeding). Future ones go through the booking
service; the history and the visit under way are recorded as they would be imported.
Idempotent: does nothing once the clinic has appointments."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import services
from appointments.models import Appointment, Status
from appointments.selectors import held_spans
from core.exceptions import ServiceError
from doctors.models import Doctor
from doctors.selectors import doctor_free_slots
from patients.access import doctor_access_grant
from patients.models import Patient
from users.models import User

PAST_STATUSES = [Status.FULFILLED, Status.FULFILLED, Status.NOSHOW, Status.CANCELLED]


def seed_appointments(admin: User, doctors: list[Doctor], patients: list[Patient]) -> int:
    _seed_today(admin, doctors[0], patients)
    if Appointment.objects.filter(start__lt=timezone.now() - timedelta(days=2)).exists():
        return Appointment.objects.count()
    now = timezone.now()
    for index, patient in enumerate(patients):
        doctor = patient.care_assignments.select_related("doctor__user").first().doctor
        _record(admin, doctor, patient, now - timedelta(days=7 + index), PAST_STATUSES[index % 4])
    for index, patient in enumerate(patients):
        doctor = patient.care_assignments.select_related("doctor__user").first().doctor
        _book_upcoming(admin, doctor, patient, index)
    # A request that waits for the doctor's confirmation.
    confirming = next((doctor for doctor in doctors if doctor.requires_confirmation), None)
    if confirming is not None:
        _book_upcoming(admin, confirming, patients[1], 1)
    _seed_waitlist(admin, doctors[0], patients)
    return Appointment.objects.count()


def _seed_waitlist(admin: User, doctor: Doctor, patients: list[Patient]) -> None:
    """One patient waits for the first doctor, another for any doctor of their specialty;
    then a visit with that doctor is cancelled, and its slot is offered to the first."""
    today = timezone.localdate()
    window = {"earliest_date": today, "latest_date": today + timedelta(days=30)}
    waiting, by_specialty = patients[-1], patients[-2]
    # The visit that is cancelled is one of the doctor's own patients', who stays theirs.
    holder = next(
        patient
        for patient in patients[:-2]
        if patient.care_assignments.filter(doctor=doctor, active=True).exists()
    )
    services.waitlist_join(actor=waiting.user, patient=waiting, doctor=doctor, **window)
    specialty = doctor.specializations.first()
    if specialty is not None:
        services.waitlist_join(
            actor=by_specialty.user, patient=by_specialty, specialization=specialty, **window
        )
    now = timezone.now()
    free = doctor_free_slots(
        doctor=doctor,
        first_day=today + timedelta(days=3),
        last_day=today + timedelta(days=10),
        now=now,
        busy=held_spans,
    )
    for slot in free:
        try:
            visit = services.appointment_book(
                actor=admin, doctor=doctor, patient=holder, start=slot.start, reason="Check-up"
            )
        except ServiceError:
            continue
        services.appointment_cancel(actor=admin, appointment=visit, reason="Patient is away")
        services.waitlist_offer_slot(doctor_id=doctor.pk, start=visit.start, end=visit.end)
        return


def _seed_today(admin: User, doctor: Doctor, patients: list[Patient]) -> None:
    """Whatever day the demo is opened, the first doctor has a day under way: a visit done, one
    patient in the waiting room, and visits still to come. Added once a day."""
    now = timezone.now()
    day_start = timezone.localtime(now, ZoneInfo(doctor.timezone)).replace(
        hour=0, minute=0, second=0
    )
    if Appointment.objects.filter(
        doctor=doctor, start__gte=day_start, start__lt=now + timedelta(hours=12)
    ).exists():
        return
    plan = [(-3, Status.FULFILLED), (0, Status.ARRIVED), (2, Status.BOOKED), (4, Status.BOOKED)]
    for (hours, status), patient in zip(plan, patients, strict=False):
        try:
            with transaction.atomic():
                _record(admin, doctor, patient, now + timedelta(hours=hours), status)
                doctor_access_grant(doctor=doctor, patient=patient)  # as a booking links them
        except IntegrityError:  # that patient is busy then: the demo does without this visit
            continue


def _record(admin, doctor, patient, start, status) -> None:
    start = start.replace(minute=0, second=0, microsecond=0)
    end = start + timedelta(minutes=doctor.default_visit_minutes)
    Appointment.objects.create(
        doctor=doctor,
        patient=patient,
        start=start,
        end=end,
        held_start=start,
        held_end=end,
        status=status,
        reason="Follow-up visit",
        booked_by=admin,
        cancelled_by=admin if status == Status.CANCELLED else None,
        cancelled_at=start - timedelta(days=1) if status == Status.CANCELLED else None,
        cancellation_reason="Patient asked to cancel" if status == Status.CANCELLED else "",
    )


def _book_upcoming(admin, doctor, patient, index) -> None:
    now = timezone.now()
    first_day = (now + timedelta(days=1 + index % 5)).date()
    free = doctor_free_slots(
        doctor=doctor,
        first_day=first_day,
        last_day=first_day + timedelta(days=14),
        now=now,
        busy=held_spans,
    )
    if not free:
        return
    slot = free[(index * 3) % len(free)]
    actor = patient.user if index % 4 else admin
    try:
        appointment = services.appointment_book(
            actor=actor, doctor=doctor, patient=patient, start=slot.start, reason="Consultation"
        )
    except ServiceError:
        return
    if index % 7 == 3 and appointment.status == Status.BOOKED:
        services.appointment_cancel(actor=admin, appointment=appointment, reason="Doctor away")
