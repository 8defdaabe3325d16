"""Whether a message still says something true when it is sent.

The app that owns a message's subject (appointments) registers, per notification kind, how
to read the subject's state now; core never imports it."""

from collections.abc import Callable, Iterable

StateReader = Callable[[str], str]
_readers: dict[str, StateReader] = {}


def subject_state_register(kinds: Iterable[str], read_state: StateReader) -> None:
    for kind in kinds:
        _readers[kind] = read_state


def still_true(*, kind: str, subject_id: str, subject_state: str) -> bool:
    """False when the subject has changed since the message was written (an appointment
    cancelled or moved after its reminder was written)."""
    read_state = _readers.get(kind)
    if read_state is None or not subject_id:
        return True
    return read_state(subject_id) == subject_state
