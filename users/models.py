import phonenumbers
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone

from core.models import BaseModel
from core.timezones import is_known_timezone


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    DOCTOR = "doctor", "Doctor"
    STAFF = "staff", "Staff"
    ADMIN = "admin", "Administrator"


# The roles that run the clinic: they see every patient and work in the admin site.
CLINIC_STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})


def clinic_timezone() -> str:
    """The zone of an account made without one: the clinic's."""
    return settings.CLINIC_TIMEZONE


def validate_timezone(value: str) -> None:
    if not is_known_timezone(value):
        raise ValidationError(f"'{value}' is not a known IANA time zone.", code="invalid_timezone")


def validate_phone(value: str) -> None:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Enter the phone number in international form, e.g. +14155550123.",
            code="invalid_phone",
        )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra):
        # Used by Django's own tooling; the portal itself creates users through users.services.
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(role=Role.ADMIN, is_staff=True, is_superuser=True, email_verified=True)
        return self.create_user(email, password, **extra)


# Words before a name that a greeting keeps: "Hello Dr. Lindqvist", not "Hello Dr.".
NAME_TITLES = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame"})


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=20, blank=True, validators=[validate_phone])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    timezone = models.CharField(
        max_length=64, default=clinic_timezone, validators=[validate_timezone]
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the admin site (staff and admin roles)."
    )
    email_verified = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=django_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="users_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="users_user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def effective_role(self) -> str:
        """The role rules go by: a superuser made by Django's own tooling counts as an admin."""
        return Role.ADMIN if self.is_superuser else self.role

    @property
    def is_clinic_staff(self) -> bool:
        """Staff and admins. Code outside `users` (core) reads this attribute, never roles."""
        return self.effective_role in CLINIC_STAFF_ROLES

    @property
    def is_clinic_admin(self) -> bool:
        return self.effective_role == Role.ADMIN

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """How a message greets the user: the first name, or the whole name after a title
        ("Hello Dr. Sara Lindqvist", never "Hello Dr.")."""
        if not self.full_name.strip():
            return self.email
        first = self.full_name.split()[0]
        return self.full_name if first.rstrip(".").lower() in NAME_TITLES else first


class StaffStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    LEFT = "left", "Left the clinic"


class StaffProfile(BaseModel):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff_profile")
    department = models.CharField(max_length=100, blank=True)
    position = models.CharField(max_length=100, blank=True)
    hire_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=StaffStatus.choices, default="active")

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.position or 'staff'})"


class RecoveryCode(BaseModel):
    """One single-use recovery code of the second sign-in step, for when the authenticator app
    is out of reach. Only a hash is kept: the codes are shown once, when they are made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="users_recoverycode_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"
