"""What Celery beat does when the portal runs scaled out, for the embedded mode (no broker):
every minute, send the outbox's pending deliveries and the reminders that are due, and pass the
slots of expired waitlist offers on."""

import time

from django.core.management.base import BaseCommand

from appointments.services import reminders_send, waitlist_sweep
from core.outbox import deliveries_sweep


class Command(BaseCommand):
    help = "Send due reminders and pending deliveries, every --every seconds (or --once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one round and stop.")
        parser.add_argument("--every", type=int, default=60, help="Seconds between rounds.")

    def handle(self, *args, **options) -> None:
        while True:
            reminded = reminders_send()
            sent = deliveries_sweep()
            waitlist = waitlist_sweep()
            if reminded or sent or any(waitlist.values()) or options["once"]:
                self.stdout.write(
                    f"reminders queued: {reminded}, deliveries sent: {sent}, "
                    f"offers expired: {waitlist['offers_expired']}"
                )
            if options["once"]:
                return
            time.sleep(max(5, options["every"]))
