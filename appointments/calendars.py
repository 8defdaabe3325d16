"""iCalendar (RFC 5545) for appointments: one event per appointment, with a stable UID, so a
calendar that subscribed updates the event in place and removes it once cancelled."""

import secrets
from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar, Event

from appointments.models import Appointment, CalendarFeed, Status
from appointments.selectors import appointment_list
from users.models import User

ICS_STATUS = {
    Status.PENDING: "TENTATIVE",
    Status.BOOKED: "CONFIRMED",
    Status.ARRIVED: "CONFIRMED",
    Status.FULFILLED: "CONFIRMED",
    Status.NOSHOW: "CANCELLED",
    Status.CANCELLED: "CANCELLED",
    Status.PROPOSED: "TENTATIVE",
}
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=365)


def uid_for(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@clinic-portal"


def calendar_for(appointments: Iterable[Appointment], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic portal//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for appointment in appointments:
        event = Event()
        event.add("uid", uid_for(appointment))
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.start.astimezone(UTC))
        event.add("dtend", appointment.end.astimezone(UTC))
        event.add("last-modified", appointment.updated_at.astimezone(UTC))
        event.add(
            "summary",
            f"{appointment.doctor.user.full_name} and {appointment.patient.user.full_name}",
        )
        event.add("status", ICS_STATUS[appointment.status])
        if appointment.reason:
            event.add("description", appointment.reason)
        calendar.add_component(event)
    return calendar.to_ical()


def feed_for(user: User) -> CalendarFeed:
    try:
        with transaction.atomic():
            feed, _ = CalendarFeed.objects.get_or_create(
                user=user, defaults={"token": secrets.token_urlsafe(32)}
            )
    except IntegrityError:  # another request made it a moment ago
        feed = CalendarFeed.objects.get(user=user)
    return feed


def feed_rotate(user: User) -> CalendarFeed:
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return feed_for(user)
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
    return feed


def feed_url(feed: CalendarFeed) -> str:
    return f"{settings.PORTAL_BASE_URL}/calendar/{feed.token}.ics"


def feed_appointments(user: User) -> list[Appointment]:
    now = timezone.now()
    return list(
        appointment_list(actor=user).filter(
            start__gte=now - FEED_PAST, start__lte=now + FEED_FUTURE
        )
    )
