from celery import shared_task
from django.utils import timezone

from core.models import Delivery, DeliveryStatus
from core.outbox import deliveries_sweep, delivery_send


@shared_task(bind=True, max_retries=5, acks_late=True)
def deliver(self, delivery_id: str) -> str:
    """Send one delivery; after a sender failure, retry when the row says the next try is due."""
    status = delivery_send(delivery_id)
    if status == DeliveryStatus.PENDING and not self.request.is_eager:
        due = Delivery.objects.filter(pk=delivery_id).values_list("next_attempt_at", flat=True)
        wait = (due.first() or timezone.now()) - timezone.now()
        raise self.retry(countdown=max(1, int(wait.total_seconds()) + 1))
    return status


@shared_task
def sweep_deliveries() -> int:
    return deliveries_sweep()
