from datetime import time
from itertools import count

from doctors import services
from doctors.models import Doctor, Specialization
from users.models import Role, User
from users.tests.factories import UserFactory, system_admin

_licenses = count(1)


def specialization(name: str = "General practice") -> Specialization:
    slug = name.lower().replace(" ", "-")
    return Specialization.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def make_doctor(
    *,
    timezone: str = "Europe/Berlin",
    specialties: tuple[str, ...] = ("General practice",),
    weekly: dict[int, tuple[time, time]] | None = None,
    slot_minutes: int = 30,
    user: User | None = None,
    **fields,
) -> Doctor:
    """A doctor account with its profile (and weekly windows, if given), made by the services."""
    user = user or UserFactory(role=Role.DOCTOR, timezone=timezone)
    admin = system_admin()
    for name in specialties:
        specialization(name)
    fields.setdefault("min_booking_notice_minutes", 0)
    doctor = services.doctor_create(
        actor=admin,
        user=user,
        license_number=f"LIC-{next(_licenses):06d}",
        specializations=[name.lower().replace(" ", "-") for name in specialties],
        timezone=timezone,
        **fields,
    )
    for weekday, (start, end) in (weekly or {}).items():
        services.availability_create(
            actor=admin,
            doctor=doctor,
            weekday=weekday,
            start_time=start,
            end_time=end,
            slot_minutes=slot_minutes,
        )
    return doctor
