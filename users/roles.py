"""The one role vocabulary. Every rule that depends on who the actor is asks these functions.

Django's `is_staff` and `is_superuser` flags are derived from the role (users.services) and mean
only "may use the admin site"; no business rule reads them."""

from typing import Any

from django.conf import settings

from users.models import Role


def role_of(user: Any) -> str | None:
    """The actor's role, or None for an anonymous visitor (or no actor at all)."""
    if user is None or not user.is_authenticated:
        return None
    return user.effective_role


def is_clinic_staff(user: Any) -> bool:
    """Clinic staff and administrators: they act for any patient and any doctor."""
    return role_of(user) is not None and user.is_clinic_staff


def is_clinic_admin(user: Any) -> bool:
    return role_of(user) == Role.ADMIN


def is_doctor(user: Any) -> bool:
    return role_of(user) == Role.DOCTOR


def is_patient(user: Any) -> bool:
    return role_of(user) == Role.PATIENT


def may_use_second_factor(user: Any) -> bool:
    """May enrol an authenticator app: the roles of OTP_ALLOWED_ROLES (the clinic's accounts)."""
    return role_of(user) in settings.OTP_ALLOWED_ROLES


def must_use_second_factor(user: Any) -> bool:
    """Must sign in with a second step, and enrol at the next sign-in: OTP_REQUIRED_ROLES."""
    return role_of(user) in settings.OTP_REQUIRED_ROLES
