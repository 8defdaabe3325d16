from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from users import otp
from users.models import RecoveryCode, StaffProfile, User
from users.roles import may_use_second_factor, must_use_second_factor


def user_list() -> QuerySet[User]:
    return User.objects.all().order_by("full_name", "email")


def staff_profile_list() -> QuerySet[StaffProfile]:
    return StaffProfile.objects.select_related("user").order_by("user__full_name")


@dataclass(frozen=True)
class SecondFactorStatus:
    available: bool  # the role may enrol
    required: bool  # the role must (OTP_REQUIRED_ROLES)
    enrolled: bool
    enrolled_at: datetime | None
    last_used_at: datetime | None
    recovery_codes_left: int
    enrolment_pending: bool  # a secret was given out and waits for its first code


def second_factor_status(user: User) -> SecondFactorStatus:
    devices = list(
        TOTPDevice.objects.filter(user=user).only("confirmed", "created_at", "last_used_at")
    )
    confirmed = next((device for device in devices if device.confirmed), None)
    codes_left = (
        RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() if confirmed else 0
    )
    return SecondFactorStatus(
        available=may_use_second_factor(user),
        required=must_use_second_factor(user),
        enrolled=confirmed is not None,
        enrolled_at=confirmed.created_at if confirmed else None,
        last_used_at=confirmed.last_used_at if confirmed else None,
        recovery_codes_left=codes_left,
        enrolment_pending=any(not device.confirmed for device in devices),
    )


def pending_enrolment(user: User) -> otp.Enrolment | None:
    """The secret waiting for its first code, to show again (after a wrong code, a reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        return None
    device.user = user  # the otpauth link names the account
    return otp.enrolment_of(device)


def second_factor_satisfied(*, user: User, session_device_id: str | None) -> bool:
    """Whether a signed-in session has passed the second step its account needs: with one set
    up, the session must have been verified with it (django-otp's session key); without one,
    only if the role does not require it."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True)
    persistent_ids = {f"{TOTPDevice.model_label()}/{pk}" for pk in confirmed}
    if persistent_ids:
        return session_device_id in persistent_ids
    return not must_use_second_factor(user)
