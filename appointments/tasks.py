from celery import shared_task

from appointments.services import reminders_send


@shared_task
def send_reminders() -> int:
    """Beat runs this every few minutes; each appointment is reminded exactly once."""
    return reminders_send()
