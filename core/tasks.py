from celery import shared_task

from core.models import DeliveryStatus
from core.outbox import deliveries_sweep, delivery_send


@shared_task(bind=True, max_retries=5, acks_late=True)
def deliver(self, delivery_id: str) -> str:
    """Send one delivery; a sender failure retries with backoff (the row keeps its own count)."""
    status = delivery_send(delivery_id)
    if status == DeliveryStatus.PENDING and not self.request.is_eager:
        raise self.retry(countdown=60 * 2**self.request.retries)
    return status


@shared_task
def sweep_deliveries() -> int:
    return deliveries_sweep()
