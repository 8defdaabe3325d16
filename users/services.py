"""Every write to users goes through here: the API, the pages, the admin and seed_demo alike."""

import logging
from datetime import timedelta
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
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from core.audit import audit_record
from core.exceptions import NotAllowed, ValidationFailed
from core.models import AuditAction
from core.notifications import secret_email
from core.services import model_clean, model_update
from users.models import CLINIC_STAFF_ROLES, Role, StaffProfile, User
from users.roles import is_clinic_admin, is_clinic_staff, role_of

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
