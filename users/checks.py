"""System checks of the users app's settings."""

from django.conf import settings
from django.core.checks import Error, register

from users.models import Role


@register()
def second_factor_roles(app_configs, **kwargs) -> list[Error]:
    """OTP_REQUIRED_ROLES and OTP_ALLOWED_ROLES name real roles, and a role that must sign in
    with two steps may enrol (otherwise its sign-in could never complete)."""
    roles = set(Role.values)
    allowed, required = set(settings.OTP_ALLOWED_ROLES), set(settings.OTP_REQUIRED_ROLES)
    errors = []
    for name, named in (("OTP_ALLOWED_ROLES", allowed), ("OTP_REQUIRED_ROLES", required)):
        if named - roles:
            errors.append(
                Error(
                    f"{name} names roles that do not exist: {', '.join(sorted(named - roles))}.",
                    hint=f"Roles are {', '.join(sorted(roles))}.",
                    id="users.E001",
                )
            )
    if required - allowed:
        errors.append(
            Error(
                "OTP_REQUIRED_ROLES holds roles that OTP_ALLOWED_ROLES does not: "
                f"{', '.join(sorted(required - allowed))}.",
                hint="A role that must sign in with two steps must be allowed to enrol.",
                id="users.E002",
            )
        )
    return errors
