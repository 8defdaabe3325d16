"""The appointment status machine (FHIR). Statuses move only along these edges."""

from appointments.models import Status
from core.exceptions import Conflict

TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.BOOKED, Status.CANCELLED},
    Status.BOOKED: {Status.ARRIVED, Status.CANCELLED, Status.NOSHOW},
    Status.ARRIVED: {Status.FULFILLED},
    Status.FULFILLED: set(),
    Status.CANCELLED: set(),
    Status.NOSHOW: set(),
    # A waitlist hold is never moved: the waitlist service removes it when the offer is decided.
    Status.PROPOSED: set(),
}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise Conflict(
            f"A {Status(current).label.lower()} appointment cannot become "
            f"{Status(target).label.lower()}.",
            code="invalid_transition",
            fields={"status": [current]},
        )
