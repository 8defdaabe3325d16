"""Every write to users goes through here: the API, the pages, the admin and seed_demo alike."""

import logging
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_out
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone as django_timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from core.audit import audit_record
from core.exceptions import Conflict, NotAllowed, ValidationFailed
from core.models import AuditAction
from core.notifications import secret_email
from core.services import model_clean, model_update
from users import otp
from users.lockout import cool_off_seconds, locked_message, sign_in_allowed, sign_in_failed
from users.models import CLINIC_STAFF_ROLES, RecoveryCode, Role, StaffProfile, User
from users.roles import (
    is_clinic_admin,
    is_clinic_staff,
    may_use_second_factor,
    must_use_second_factor,
    role_of,
)

logger = logging.getLogger(__name__)

# role -> (may use the admin site, superuser)
ROLE_FLAGS: dict[str, tuple[bool, bool]] = {
    Role.PATIENT: (False, False),
    Role.DOCTOR: (False, False),
    Role.STAFF: (True, False),
    Role.ADMIN: (True, True),
}

# Which roles each role may create accounts for. Self-registration (no actor) makes patients.
CREATABLE_ROLES: dict[str, set[str]] = {
    Role.STAFF: {Role.PATIENT, Role.DOCTOR, Role.STAFF},
    Role.ADMIN: set(Role.values),
}

PROFILE_FIELDS = ("full_name", "phone", "timezone")
STAFF_PROFILE_FIELDS = ("department", "position", "hire_date", "status")
EMAIL_TAKEN = "A user with this email already exists."


def _check_email_free(email: str, *, exclude_pk: Any = None) -> None:
    taken = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed(EMAIL_TAKEN, code="email_taken", fields={"email": [EMAIL_TAKEN]})


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            exc.messages[0], code="weak_password", fields={field: exc.messages}
        ) from exc


def _apply_role(user: User) -> None:
    """Set the admin-site flags and the single role group from the user's role."""
    user.is_staff, user.is_superuser = ROLE_FLAGS[user.role]


def _sync_role_group(user: User) -> None:
    group, _ = Group.objects.get_or_create(name=user.role)
    user.groups.set([group])


def user_build(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str = Role.PATIENT,
    password: str | None = None,
    phone: str = "",
    timezone: str = "",
    email_verified: bool = False,
    with_patient_record: bool = False,
) -> User:
    """Check every rule of a new account and return it unsaved; forms use it to show errors.

    Patient accounts are made only together with their patient record, by the patients app,
    which says so with `with_patient_record`."""
    if role == Role.PATIENT and not with_patient_record:
        message = "Register patients at /api/v1/patients/ so that they get a patient record."
        raise ValidationFailed(message, code="patient_needs_record", fields={"role": [message]})
    actor_role = role_of(actor)
    if actor_role is None:
        if role != Role.PATIENT:
            raise NotAllowed("Self-registration creates patient accounts only.")
    elif role not in CREATABLE_ROLES.get(actor_role, set()):
        raise NotAllowed(f"You may not create {role} accounts.")

    email = email.strip().lower()
    _check_email_free(email)
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        phone=phone.strip(),
        timezone=timezone or settings.CLINIC_TIMEZONE,
        email_verified=email_verified,
    )
    _apply_role(user)
    # This app's messages are the bare first message, without the field's name.
    model_clean(user, exclude=["password"], prefix_field=False)
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    return user


def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str = Role.PATIENT,
    password: str | None = None,
    phone: str = "",
    timezone: str = "",
    email_verified: bool = False,
    with_patient_record: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """Create an account. Without a password the user gets an e-mail to choose one."""
    user = user_build(
        actor=actor,
        email=email,
        full_name=full_name,
        role=role,
        password=password,
        phone=phone,
        timezone=timezone,
        email_verified=email_verified,
        with_patient_record=with_patient_record,
    )
    try:
        with transaction.atomic():
            user.save()
            _sync_role_group(user)
            if role in CLINIC_STAFF_ROLES:
                StaffProfile.objects.create(user=user)
            audit_record(
                actor=actor or user,
                action=AuditAction.CREATE,
                resource_type="user",
                resource_id=user.pk,
                request=request,
                detail={"role": role},
            )
            if not password:
                _send_password_link(user, invitation=True)
    except IntegrityError as exc:  # two registrations racing for one email
        raise ValidationFailed(
            EMAIL_TAKEN, code="email_taken", fields={"email": [EMAIL_TAKEN]}
        ) from exc
    return user


def user_updatable_fields(*, actor: User, user: User) -> set[str]:
    """Users change their own profile; administrators also set others' role and verification."""
    allowed = set(PROFILE_FIELDS)
    if is_clinic_admin(actor) and actor.pk != user.pk:
        allowed |= {"role", "email_verified"}
    elif is_clinic_staff(actor) and actor.pk != user.pk:
        allowed = set()
    return allowed


def user_update(*, actor: User, user: User, data: dict[str, Any], request=None) -> User:
    """Change profile fields. Role and activity change only through the admin's own doors."""
    allowed = user_updatable_fields(actor=actor, user=user)
    unknown = set(data) - allowed
    if unknown:
        raise NotAllowed(f"You may not change: {', '.join(sorted(unknown))}.")
    if not data:
        return user
    changed = model_update(
        instance=user, fields=allowed, data=data, exclude=["password"], prefix_field=False
    )
    if "role" in data:
        _apply_role(user)
        changed += ["is_staff", "is_superuser"]
    with transaction.atomic():
        user.save(update_fields=[*changed, "updated_at"])
        if "role" in data:
            _sync_role_group(user)
            if user.role in CLINIC_STAFF_ROLES:
                StaffProfile.objects.get_or_create(user=user)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            resource_type="user",
            resource_id=user.pk,
            request=request,
            detail={"fields": sorted(data)},
        )
    return user


def tokens_revoke_all(user: User) -> int:
    """Blacklist every outstanding refresh token of the user."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    blacklisted = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(blacklisted)


def user_set_active(*, actor: User, user: User, active: bool, request=None) -> User:
    if not is_clinic_admin(actor):
        raise NotAllowed("Only administrators can activate or deactivate accounts.")
    if user.pk == actor.pk and not active:
        raise ValidationFailed("You cannot deactivate your own account.", code="self_deactivation")
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active", "updated_at"])
        if not active:
            tokens_revoke_all(user)
        audit_record(
            actor=actor,
            action=AuditAction.ACTIVATE if active else AuditAction.DEACTIVATE,
            resource_type="user",
            resource_id=user.pk,
            request=request,
        )
    return user


def user_change_password(*, user: User, old_password: str, new_password: str, request=None) -> User:
    if not user.check_password(old_password):
        message = "The current password is not correct."
        raise ValidationFailed(message, code="wrong_password", fields={"old_password": [message]})
    _check_password(new_password, user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password", "updated_at"])
        tokens_revoke_all(user)
        audit_record(
            actor=user,
            action=AuditAction.PASSWORD_CHANGE,
            resource_type="user",
            resource_id=user.pk,
            request=request,
        )
    return user


def _password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.PORTAL_BASE_URL}/accounts/reset/{uid}/{token}/"


def _send_password_link(user: User, *, invitation: bool = False) -> None:
    """Through the outbox, so that a mail server that is down delays the link, never loses
    it. The delivery expires with the token."""
    link = _password_link(user)
    if invitation:
        subject = "Your clinic portal account"
        body = (
            f"Hello {user.full_name},\n\nAn account has been created for you at the clinic "
            f"portal. Choose your password here:\n\n{link}\n"
        )
    else:
        subject = "Reset your clinic portal password"
        body = (
            f"Hello {user.full_name},\n\nSomeone asked to reset the password of this account. "
            f"If it was you, choose a new password here:\n\n{link}\n\n"
            "If it was not you, ignore this message; your password stays as it is.\n"
        )
    expires_at = django_timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    secret_email(to=user.email, subject=subject, body=body, expires_at=expires_at)


def password_reset_request(*, email: str, request=None) -> None:
    """Send a reset link if an active account has this e-mail. The caller learns nothing."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    audit_record(
        actor=None,
        action=AuditAction.PASSWORD_RESET_REQUEST,
        resource_type="user",
        resource_id=user.pk if user else "",
        request=request,
    )
    if user is not None:
        _send_password_link(user)


def password_reset_user(*, uid: str, token: str) -> User:
    """The account a password link (reset or invitation) is for, while the link is valid."""
    invalid = ValidationFailed(
        "This password reset link is invalid or has expired.", code="invalid_reset_token"
    )
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)), is_active=True)
    except (ValueError, TypeError, OverflowError, DjangoValidationError, User.DoesNotExist):
        raise invalid from None
    if not default_token_generator.check_token(user, token):
        raise invalid
    return user


def password_reset_confirm(*, uid: str, token: str, new_password: str, request=None) -> User:
    user = password_reset_user(uid=uid, token=token)
    _check_password(new_password, user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.email_verified = True  # the link reached their mailbox
        user.save(update_fields=["password", "email_verified", "updated_at"])
        tokens_revoke_all(user)
        audit_record(
            actor=user,
            action=AuditAction.PASSWORD_RESET,
            resource_type="user",
            resource_id=user.pk,
            request=request,
        )
    return user


def staff_profile_update(
    *, actor: User, profile: StaffProfile, data: dict[str, Any], request=None
) -> StaffProfile:
    if not is_clinic_admin(actor):
        raise NotAllowed("Only administrators manage staff profiles.")
    if not data:
        return profile
    changed = model_update(
        instance=profile,
        fields=STAFF_PROFILE_FIELDS,
        data=data,
        exclude=["user"],
        prefix_field=False,
    )
    with transaction.atomic():
        profile.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            resource_type="staff_profile",
            resource_id=profile.pk,
            request=request,
            detail={"fields": sorted(data)},
        )
    return profile


def role_groups_sync() -> None:
    """Create the role groups and give each the model permissions of ROLE_GROUP_PERMISSIONS."""
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = settings.ROLE_GROUP_PERMISSIONS.get(role, [])
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def token_logout(*, refresh: str, request=None) -> None:
    """Blacklist one refresh token (the client's sign-out)."""
    token = RefreshToken(refresh)  # raises TokenError when invalid, expired or blacklisted
    token.blacklist()
    user = User.objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM)).first()
    user_logged_out.send(sender=User, request=request, user=user)


def token_pair_for(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)  # recorded as outstanding, so it can be revoked
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate: the refresh token is spent (blacklisted) and a new pair issued.

    Spending is a unique insert, so two clients racing with one token get one new pair between
    them. A token minted before the password last changed, by any door, is refused."""
    token = RefreshToken(refresh)  # checks signature, expiry and the blacklist
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(pk=token.get(jwt_settings.USER_ID_CLAIM), is_active=True)
            .first()
        )
        if user is None:
            raise TokenError("No active account found for the given token.")
        if token.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            raise TokenError("The password has changed since this token was issued.")
        outstanding, _ = OutstandingToken.objects.get_or_create(
            jti=token[jwt_settings.JTI_CLAIM],
            defaults={
                "user": user,
                "token": str(token),
                "created_at": token.current_time,
                "expires_at": datetime_from_epoch(token["exp"]),
            },
        )
        _, spent_now = BlacklistedToken.objects.get_or_create(token=outstanding)
        if not spent_now:
            raise TokenError("Token is blacklisted")
        return token_pair_for(user)


# --- Two-step sign-in (TOTP) ------------------------------------------------------------------
# One path for every door: the API's verify-otp, the sign-in page's code step and the admin's
# all call otp_sign_in_verify, so a code is checked, spent (the device's last_t) and counted
# toward the lockout the same way wherever it is typed.

OTP_NOT_AVAILABLE = otp.OTP_NOT_AVAILABLE
OTP_NOT_ENROLLED = "Two-step sign-in is not set up for this account."
OTP_NOT_STARTED = "Start the enrolment first: it gives the secret for the authenticator app."
OTP_WRONG_CODE = "The code is not correct. Type the code your authenticator app shows now."
OTP_REQUIRED = (
    "Your role signs in with two steps, so it cannot be turned off; you can move it to "
    "another authenticator app instead."
)
OTP_ENROLMENT_REQUIRED = (
    "Your account must sign in with two steps. Sign in to the portal's pages to set up an "
    "authenticator app, then sign in here again."
)
WRONG_PASSWORD = "The password is not correct."


class SignInStep(StrEnum):
    """What a sign-in needs after the right password."""

    DONE = "done"  # nothing: sign in
    CODE = "code"  # a code from the authenticator app (or a recovery code)
    ENROL = "enrol"  # the role requires a second step that the account does not have yet


def otp_sign_in_step(user: User) -> SignInStep:
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return SignInStep.CODE
    if must_use_second_factor(user):
        return SignInStep.ENROL
    return SignInStep.DONE


def otp_challenge_user(challenge: str) -> User:
    """The active account a challenge was issued to, while it is valid (see users.otp)."""
    user_id, state = otp.challenge_user_id(challenge)
    try:
        user = User.objects.get(pk=user_id, is_active=True)
    except (User.DoesNotExist, DjangoValidationError, ValueError):
        raise otp.SignInRefused(otp.INVALID_CHALLENGE, code="invalid_challenge") from None
    if not otp.challenge_matches(user, state):
        raise otp.SignInRefused(otp.INVALID_CHALLENGE, code="invalid_challenge")
    return user


def _unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _second_step_check(user: User, code: str, request) -> otp.SecondStep | None:
    """Check and spend a code, with the device row locked, so that two requests racing with
    one code cannot both pass. A TOTP code is spent by the device's last_t (no code of the
    same or an earlier time step is taken again); a recovery code by its used_at."""
    normalized = otp.normalize_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        if otp.is_totp_code(normalized):
            if not device.verify_token(normalized):
                return None
            return otp.SecondStep(user, device, False, _unused_recovery_codes(user))
        if not otp.is_recovery_code(normalized):
            return None
        spent = RecoveryCode.objects.filter(
            user=user, code_hash=otp.recovery_code_hash(normalized), used_at__isnull=True
        ).update(used_at=django_timezone.now())
        if not spent:
            return None
        left = _unused_recovery_codes(user)
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            resource_type="recovery_code",
            resource_id=user.pk,
            request=request,
            detail={"used": True, "left": left},
        )
        return otp.SecondStep(user, device, True, left)


def otp_sign_in_verify(*, challenge: str, code: str, request) -> otp.SecondStep:
    """The code step of a sign-in. A wrong code counts as a wrong password does (same lockout);
    the caller completes the sign-in (tokens or a session) with what this returns."""
    user = otp_challenge_user(challenge)
    if not sign_in_allowed(request, user.email):
        wait = cool_off_seconds(request, user.email)
        raise otp.SignInLocked(locked_message(wait), wait=wait)
    checked = _second_step_check(user, code, request)
    if checked is None:
        # Outside the transaction above: the failure must be kept, and on the API reaching
        # the limit raises AccountLocked from inside this call.
        sign_in_failed(request, user.email, step="code")
        raise otp.SignInRefused(otp.INVALID_CODE, fields={"code": [otp.INVALID_CODE]})
    return checked


def _check_current_password(user: User, password: str) -> None:
    """Every change to a second step asks for the password: a session left open, or a stolen
    token, must not be enough to add, move or remove one."""
    if not user.check_password(password):
        raise ValidationFailed(
            WRONG_PASSWORD, code="wrong_password", fields={"password": [WRONG_PASSWORD]}
        )


def otp_enrolment_start(*, user: User, password: str, request=None) -> otp.Enrolment:
    """A new secret for an authenticator app, waiting for its first code. A second step that
    is already set up keeps working until the new one is confirmed."""
    if not may_use_second_factor(user):
        raise NotAllowed(OTP_NOT_AVAILABLE, code="otp_not_available")
    _check_current_password(user, password)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=otp.DEVICE_NAME, confirmed=False)
    return otp.enrolment_of(device)


def _recovery_codes_replace(user: User) -> list[str]:
    """Ten new recovery codes, replacing any older ones; only their hashes are kept."""
    RecoveryCode.objects.filter(user=user).delete()
    codes: dict[str, str] = {}
    while len(codes) < otp.RECOVERY_CODE_COUNT:
        code = otp.recovery_code_new()
        codes[otp.recovery_code_hash(code)] = code
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=digest) for digest in codes]
    )
    return list(codes.values())


def otp_enrolment_confirm(*, user: User, code: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms it: it replaces any older one, and ten recovery
    codes are made (returned here, to be shown once). The code is spent, so it cannot sign in."""
    if not may_use_second_factor(user):
        raise NotAllowed(OTP_NOT_AVAILABLE, code="otp_not_available")
    normalized = otp.normalize_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is None:
            raise Conflict(OTP_NOT_STARTED, code="otp_enrolment_not_started")
        if not (otp.is_totp_code(normalized) and device.verify_token(normalized)):
            raise ValidationFailed(
                OTP_WRONG_CODE, code="invalid_code", fields={"code": [OTP_WRONG_CODE]}
            )
        replaced, _ = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_record(
            actor=user,
            action=AuditAction.CREATE,
            resource_type="second_factor",
            resource_id=user.pk,
            request=request,
            detail={"method": "totp", "replaced": bool(replaced)},
        )
    return device, codes


def otp_recovery_codes_renew(*, user: User, password: str, request=None) -> list[str]:
    """Ten new recovery codes; the old ones, used or not, stop working."""
    _check_current_password(user, password)
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Conflict(OTP_NOT_ENROLLED, code="otp_not_enrolled")
        codes = _recovery_codes_replace(user)
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            resource_type="second_factor",
            resource_id=user.pk,
            request=request,
            detail={"recovery_codes": "renewed"},
        )
    return codes


def _second_factor_remove(user: User) -> bool:
    """Remove every device (confirmed or waiting) and recovery code; True if one was set up."""
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    return enrolled


def otp_disable(*, user: User, password: str, request=None) -> None:
    """Turn the second step off, where the role does not require it."""
    _check_current_password(user, password)
    if must_use_second_factor(user):
        raise NotAllowed(OTP_REQUIRED, code="otp_required")
    with transaction.atomic():
        if not _second_factor_remove(user):
            raise Conflict(OTP_NOT_ENROLLED, code="otp_not_enrolled")
        audit_record(
            actor=user,
            action=AuditAction.DELETE,
            resource_type="second_factor",
            resource_id=user.pk,
            request=request,
            detail={"method": "totp"},
        )


def otp_reset(*, actor: User, user: User, request=None) -> bool:
    """An administrator removes another account's second step (a lost phone): the user signs
    in with the password alone, or enrols again at the next sign-in if the role requires it.
    Recorded whether or not one was set up; returns whether one was."""
    if not is_clinic_admin(actor):
        raise NotAllowed("Only administrators can reset another account's two-step sign-in.")
    if actor.pk == user.pk:
        raise ValidationFailed(
            "Change your own two-step sign-in on your Two-step sign-in page.", code="self_reset"
        )
    with transaction.atomic():
        was_enrolled = _second_factor_remove(user)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            resource_type="second_factor",
            resource_id=user.pk,
            request=request,
            detail={"reset": True, "was_enrolled": was_enrolled},
        )
    return was_enrolled
