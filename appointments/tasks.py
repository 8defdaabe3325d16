from celery import shared_task

from appointments.services import reminders_send, waitlist_sweep


@shared_task
def send_reminders() -> int:
    """Beat runs this every few minutes; each appointment is reminded exactly once."""
    return reminders_send()


@shared_task
def sweep_waitlist() -> dict[str, int]:
    """Beat runs this every minute: expired offers pass their slot on, exactly once each."""
    return waitlist_sweep()
