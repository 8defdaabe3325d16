"""Demo staff accounts for seed_demo. Idempotent: existing accounts are left as they are."""

from users import services
from users.models import Role, User

DEMO_PASSWORD = "Clinic-demo-2026"
ADMIN_EMAIL = "admin@clinic.example"


def seed_admin() -> User:
    """The first administrator is made as `createsuperuser` makes one; it then creates the rest."""
    admin = User.objects.filter(email__iexact=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_superuser(
            ADMIN_EMAIL, DEMO_PASSWORD, full_name="Alex Admin", timezone="Europe/Berlin"
        )
    return admin


def seed_account(*, admin: User, email: str, full_name: str, role: str, **fields) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = services.user_create(
            actor=admin,
            email=email,
            full_name=full_name,
            role=role,
            password=DEMO_PASSWORD,
            email_verified=True,
            **fields,
        )
    return user


def seed_users() -> list[User]:
    admin = seed_admin()
    reception = seed_account(
        admin=admin,
        email="reception@clinic.example",
        full_name="Rita Reception",
        role=Role.STAFF,
        timezone="Europe/Berlin",
    )
    return [admin, reception]
