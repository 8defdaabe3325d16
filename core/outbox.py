"""The outbox's sending side: claim a pending delivery, send it, record the outcome.

A delivery is claimed with a conditional update before it is sent, so that a task, a retry and
the sweep never send the same message twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from core.models import Channel, Delivery, DeliveryStatus
from core.sms import sms_backend
from core.subjects import still_true

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def delivery_send(delivery_id) -> str:
    """Send one delivery if it is still pending. Returns its status afterwards."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    if delivery.expires_at is not None and delivery.expires_at <= now:
        _expire(Delivery.objects.filter(pk=delivery.pk))
        return DeliveryStatus.FAILED
    notification = delivery.notification
    if notification is not None and not still_true(
        kind=notification.kind,
        subject_id=notification.subject_id,
        subject_state=notification.subject_state,
    ):
        delivery.status = DeliveryStatus.SUPERSEDED
        delivery.last_error = "not sent: what it says no longer holds"
        delivery.save(update_fields=["status", "last_error", "updated_at"])
        logger.info("delivery superseded", extra={"delivery": str(delivery.pk)})
        return delivery.status
    try:
        if delivery.channel == Channel.EMAIL:
            _email(delivery).send()
        else:
            sms_backend().send(to=delivery.to, body=delivery.body, key=str(delivery.pk))
    except Exception as exc:  # any sender failure is recorded and retried later
        failed = delivery.attempts >= MAX_ATTEMPTS
        delivery.status = DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING
        delivery.last_error = repr(exc)[:500]
        delivery.next_attempt_at = now + timedelta(minutes=2**delivery.attempts)
        delivery.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
        logger.warning("delivery failed", extra={"delivery": str(delivery.pk), "error": repr(exc)})
        return delivery.status
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    if delivery.secret:
        delivery.body = ""  # the link was delivered; nothing keeps a copy
    delivery.save(update_fields=["status", "sent_at", "body", "updated_at"])
    return delivery.status


def _expire(deliveries) -> int:
    """A secret that outlived its token is not sent, and not kept."""
    return deliveries.update(
        status=DeliveryStatus.FAILED,
        body="",
        last_error="expired before it could be sent",
        updated_at=timezone.now(),
    )


def _email(delivery: Delivery) -> EmailMessage:
    """One Message-ID per delivery, the same on every attempt, so that a mail server or a
    reader's client can drop a repeat."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "clinic.invalid"
    return EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        to=[delivery.to],
        headers={"Message-ID": f"<{delivery.pk}@{domain}>"},
    )


def deliveries_sweep(*, stale_after: timedelta = timedelta(minutes=10)) -> int:
    """Send what is still pending (the broker was down, or a retry is due), and give back to
    the queue deliveries a crashed worker left half-sent. Returns how many were sent."""
    now = timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=now - stale_after).update(
        status=DeliveryStatus.PENDING, updated_at=now
    )
    _expire(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, expires_at__isnull=False, expires_at__lte=now
        )
    )
    due = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(delivery_send(pk) == DeliveryStatus.SENT for pk in list(due[:500]))
