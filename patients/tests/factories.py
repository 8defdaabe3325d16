from itertools import count

from patients import services
from patients.models import Patient
from users.tests.factories import PASSWORD

_numbers = count(1)


def make_patient(
    *, full_name: str | None = None, timezone: str = "Europe/Berlin", **profile
) -> Patient:
    """A patient account with its patient record, as self-registration makes them."""
    number = next(_numbers)
    return services.patient_register(
        actor=None,
        email=f"patient{number}@example.com",
        full_name=full_name or f"Patient Number{number}",
        password=PASSWORD,
        timezone=timezone,
        profile=profile,
    )
