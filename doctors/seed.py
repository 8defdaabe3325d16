"""Demo doctors with weekly schedules, in two time zones. Idempotent."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from doctors import services
from doctors.models import AvailabilityWindow, Doctor, TimeOff
from users.models import Role, User
from users.seed import seed_account

# (e-mail, name, time zone, specialties, weekly windows {weekday: [(start, end)]}, slot minutes)
DEMO_DOCTORS = [
    (
        "dr.weber@clinic.example",
        "Dr. Anna Weber",
        "Europe/Berlin",
        ["family-medicine"],
        {d: [(time(8), time(12)), (time(13), time(16))] for d in range(5)},
        20,
    ),
    (
        "dr.lindqvist@clinic.example",
        "Dr. Sara Lindqvist",
        "Europe/Berlin",
        ["cardiology"],
        {0: [(time(9), time(13))], 2: [(time(9), time(13))], 4: [(time(12), time(17))]},
        30,
    ),
    (
        "dr.moreau@clinic.example",
        "Dr. Julien Moreau",
        "Europe/Berlin",
        ["dermatology"],
        {1: [(time(9), time(15))], 3: [(time(9), time(15))]},
        15,
    ),
    (
        "dr.kowalski@clinic.example",
        "Dr. Ewa Kowalski",
        "Europe/Berlin",
        ["pediatrics", "family-medicine"],
        {d: [(time(8), time(13))] for d in range(5)},
        20,
    ),
    (
        "dr.okafor@clinic.example",
        "Dr. Chidi Okafor",
        "America/New_York",
        ["internal-medicine"],
        {d: [(time(9), time(12)), (time(13), time(17))] for d in range(4)},
        30,
    ),
    (
        "dr.patel@clinic.example",
        "Dr. Ravi Patel",
        "America/New_York",
        ["endocrinology"],
        {0: [(time(10), time(16))], 3: [(time(10), time(16))]},
        30,
    ),
    (
        "dr.nguyen@clinic.example",
        "Dr. Linh Nguyen",
        "America/New_York",
        ["psychiatry"],
        {1: [(time(11), time(19))], 2: [(time(11), time(19))], 4: [(time(9), time(13))]},
        50,
    ),
    (
        "dr.haddad@clinic.example",
        "Dr. Omar Haddad",
        "America/New_York",
        ["neurology"],
        {0: [(time(8), time(12))], 2: [(time(8), time(12))]},
        30,
    ),
]


def seed_doctors(admin: User) -> list[Doctor]:
    doctors = []
    for number, (email, name, zone, specialties, weekly, slot) in enumerate(DEMO_DOCTORS, 1):
        user = seed_account(
            admin=admin, email=email, full_name=name, role=Role.DOCTOR, timezone=zone
        )
        doctor = Doctor.objects.filter(user=user).first()
        if doctor is None:
            doctor = services.doctor_create(
                actor=admin,
                user=user,
                license_number=f"DEMO-{number:04d}",
                specializations=specialties,
                timezone=zone,
                years_of_experience=5 + 3 * number,
                bio=f"{name} sees patients for {', '.join(specialties).replace('-', ' ')}.",
                default_visit_minutes=slot,
                buffer_after_minutes=5 if slot >= 30 else 0,
                min_booking_notice_minutes=120,
                booking_horizon_days=60,
                requires_confirmation=email.startswith("dr.nguyen"),
            )
        if not AvailabilityWindow.objects.filter(doctor=doctor).exists():
            for weekday, spans in weekly.items():
                for start, end in spans:
                    services.availability_create(
                        actor=admin,
                        doctor=doctor,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        slot_minutes=slot,
                    )
        doctors.append(doctor)
    _seed_time_off(admin, doctors[0])
    return doctors


def _seed_time_off(admin: User, doctor: Doctor) -> None:
    """A training afternoon next week, so that the time-off page has something to show."""
    if TimeOff.objects.filter(doctor=doctor, end__gt=timezone.now()).exists():
        return
    zone = ZoneInfo(doctor.timezone)
    day = timezone.localdate(timezone.now(), zone) + timedelta(days=8)
    start = datetime.combine(day, time(13), tzinfo=zone)
    services.time_off_create(
        actor=admin, doctor=doctor, start=start, end=start + timedelta(hours=4), reason="Training"
    )
