"""Demo accounts for seed_demo. Idempotent: existing accounts are left as they are."""

from dataclasses import dataclass

from users import services
from users.models import Role, User

DEMO_PASSWORD = "Clinic-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    timezone: str = "UTC"
    phone: str = ""


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin@clinic.example", "Alex Admin", Role.ADMIN, "Europe/Berlin"),
    DemoAccount("reception@clinic.example", "Rita Reception", Role.STAFF, "Europe/Berlin"),
    DemoAccount("dr.weber@clinic.example", "Dr. Anna Weber", Role.DOCTOR, "Europe/Berlin"),
    DemoAccount("dr.okafor@clinic.example", "Dr. Chidi Okafor", Role.DOCTOR, "America/New_York"),
    DemoAccount("dr.lindqvist@clinic.example", "Dr. Sara Lindqvist", Role.DOCTOR, "Europe/Berlin"),
    DemoAccount("dr.patel@clinic.example", "Dr. Ravi Patel", Role.DOCTOR, "America/New_York"),
    DemoAccount(
        "maria.garcia@example.com", "María García", Role.PATIENT, "Europe/Berlin", "+4915123456789"
    ),
    DemoAccount(
        "john.smith@example.com", "John Smith", Role.PATIENT, "America/New_York", "+12125550123"
    ),
    DemoAccount("li.wei@example.com", "Li Wei", Role.PATIENT, "Europe/Berlin"),
    DemoAccount("amara.diallo@example.com", "Amara Diallo", Role.PATIENT, "America/New_York"),
]


def seed_users() -> list[User]:
    admin = _seed_admin()
    users = [admin]
    for account in DEMO_ACCOUNTS[1:]:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = services.user_create(
                actor=None if account.role == Role.PATIENT else admin,
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                password=DEMO_PASSWORD,
                phone=account.phone,
                timezone=account.timezone,
                email_verified=True,
            )
        users.append(user)
    return users


def _seed_admin() -> User:
    """The first administrator is made as `createsuperuser` makes one; it then creates the rest."""
    first = DEMO_ACCOUNTS[0]
    admin = User.objects.filter(email__iexact=first.email).first()
    if admin is None:
        admin = User.objects.create_superuser(
            first.email, DEMO_PASSWORD, full_name=first.full_name, timezone=first.timezone
        )
    return admin
