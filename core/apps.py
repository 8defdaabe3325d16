from django.apps import AppConfig
from django.db import models


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.db import register_database_functions
        from core.metrics import register_scrape_gauge
        from core.notifications import preference_signals_connect

        register_database_functions()
        preference_signals_connect()  # cached message choices follow every change
        register_scrape_gauge(
            "portal_outbox_pending",
            "Notification deliveries waiting in the outbox to be sent, per channel.",
            _pending_deliveries,
            label="channel",
        )


def _pending_deliveries() -> dict[str, float]:
    from core.models import Channel, Delivery, DeliveryStatus

    counts = dict.fromkeys(Channel.values, 0.0)
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    for row in pending.values("channel").annotate(count=models.Count("pk")).order_by():
        counts[row["channel"]] = float(row["count"])
    return counts
