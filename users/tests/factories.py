import factory

from users import services
from users.models import Role, User

PASSWORD = "Correct-horse-42"


class UserFactory(factory.Factory):
    """Builds accounts through the same service as every other door."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = Role.PATIENT
    password = PASSWORD
    timezone = "Europe/Berlin"

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> User:
        role = kwargs["role"]
        if role == Role.ADMIN:
            return User.objects.create_superuser(
                kwargs["email"], kwargs["password"], full_name=kwargs["full_name"]
            )
        if role == Role.PATIENT:
            # A bare patient account for the users app's own tests; patients.tests.factories
            # makes the real thing, with its patient record.
            return services.user_create(
                actor=None, email_verified=True, with_patient_record=True, **kwargs
            )
        return services.user_create(actor=system_admin(), email_verified=True, **kwargs)


def system_admin() -> User:
    """The administrator on whose behalf factories create staff-made records."""
    admin = User.objects.filter(email="factory-admin@example.com").first()
    return admin or User.objects.create_superuser(
        "factory-admin@example.com", PASSWORD, full_name="Factory Admin"
    )
