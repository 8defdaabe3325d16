"""The account pages: sign in and out, registration, password change and reset. They call the
same services as the API, with the same rate limits."""

from collections.abc import Callable
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.exceptions import ServiceError
from core.pages import add_service_error, throttled
from users import otp, selectors, services
from users.forms import (
    CodeForm,
    CurrentPasswordForm,
    EmailAuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    RegisterForm,
    SetPasswordForm,
)
from users.lockout import lockout_response
from users.models import User
from users.pages import second_factor_page

# A signed-in session is made with the model backend (axes' backend only counts failures).
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
RESET_ANSWER = (
    "If an account has this address, a link to choose a new password is on its way. "
    "It works for a limited time."
)

# patients.services.patient_register, or any callable with its signature: the patients app,
# which owns the patient record a new patient needs, comes after this one.
PatientRegistration = Callable[..., Any]


# Between the password step and the code step of a sign-in, the session holds the challenge
# (users.otp) and where to go afterwards; nobody is signed in yet.
PENDING_SIGN_IN = "users.pending_sign_in"
SIGN_IN_EXPIRED = "Your sign-in has expired. Sign in again with your password."
SIGN_IN_CODE_LABEL = "Code from your authenticator app, or a recovery code"
SIGN_IN_CODE_HELP = "Six digits, or a recovery code such as abcd-efgh-2345."
ENROL_CODE_LABEL = "Code from your authenticator app"
ENROL_CODE_HELP = "The six digits it shows for this account now."


class LoginView(auth_views.LoginView):
    """The password step. An account with a second step (or whose role needs one) goes on to
    the code step (or the enrolment) instead of being signed in."""

    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    code_url_name = "login-code"  # the admin's sign-in has a code page of its own

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        step = services.otp_sign_in_step(user)
        if step == services.SignInStep.DONE:
            return super().form_valid(form)
        if step == services.SignInStep.ENROL:
            services.otp_enrolment_start(
                user=user, password=form.cleaned_data["password"], request=self.request
            )
        self.request.session[PENDING_SIGN_IN] = {
            "challenge": otp.challenge_issue(user),
            "next": self.get_redirect_url(),  # already checked to stay on this site
        }
        return redirect(self.code_url_name if step == services.SignInStep.CODE else "login-enrol")


def _pending_sign_in(request: HttpRequest) -> tuple[User, str, str] | None:
    """(user, challenge, where to go next) of the sign-in waiting for its second step."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict):
        return None
    challenge = str(pending.get("challenge", ""))
    try:
        user = services.otp_challenge_user(challenge)
    except ServiceError:
        request.session.pop(PENDING_SIGN_IN, None)
        return None
    return user, challenge, str(pending.get("next") or "")


def _sign_in_complete(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """The session signs in, marked as verified with this device (django-otp's session key,
    which the admin site asks for)."""
    request.session.pop(PENDING_SIGN_IN, None)
    login(request, user, backend=SESSION_BACKEND)
    django_otp.login(request, device)


def _after_sign_in(next_url: str) -> str:
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


def _expired(request: HttpRequest, login_url: str) -> HttpResponse:
    messages.info(request, SIGN_IN_EXPIRED)
    return redirect(login_url)


@never_cache
@sensitive_post_parameters("code")
def sign_in_code(
    request: HttpRequest,
    template_name: str = "users/sign_in_code.html",
    extra_context: dict | None = None,
    login_url: str = "login",
) -> HttpResponse:
    """The code step of a sign-in, on the pages and (with its own template) the admin. Same
    service as the API's verify-otp: a code works once; wrong codes count toward the lockout."""
    pending = _pending_sign_in(request)
    if pending is None:
        return _expired(request, login_url)
    user, challenge, next_url = pending
    form = CodeForm(request.POST or None, label=SIGN_IN_CODE_LABEL, help_text=SIGN_IN_CODE_HELP)
    status = 200
    if request.method == "POST":
        too_many = throttled(request, "auth")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            try:
                step = services.otp_sign_in_verify(
                    challenge=challenge, code=form.cleaned_data["code"], request=request
                )
            except otp.SignInLocked:
                return lockout_response(request, None, {"email": user.email})
            except ServiceError as exc:
                if exc.code == "invalid_challenge":
                    return _expired(request, login_url)
                add_service_error(form, exc)
            else:
                _sign_in_complete(request, step.user, step.device)
                if step.recovery_code_used:
                    messages.warning(
                        request,
                        f"You signed in with a recovery code; {step.recovery_codes_left} "
                        "left. Make new ones on your Two-step sign-in page.",
                    )
                return redirect(_after_sign_in(next_url))
    context = {**(extra_context or {}), "form": form, "account": user.email}
    return render(request, template_name, context, status=status)


@never_cache
@sensitive_post_parameters("code")
def sign_in_enrol(request: HttpRequest) -> HttpResponse:
    """The enrolment a role requires (OTP_REQUIRED_ROLES), as part of the sign-in: the
    account is signed in once its authenticator app gives its first code."""
    pending = _pending_sign_in(request)
    if pending is None:
        return _expired(request, "login")
    user, _, next_url = pending
    enrolment = selectors.pending_enrolment(user)
    if enrolment is None:  # confirmed meanwhile (another tab), or reset by an administrator
        request.session.pop(PENDING_SIGN_IN, None)
        return _expired(request, "login")
    form = CodeForm(
        request.POST or None, label=ENROL_CODE_LABEL, help_text=ENROL_CODE_HELP, numeric=True
    )
    status = 200
    if request.method == "POST":
        too_many = throttled(request, "auth")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            try:
                device, codes = services.otp_enrolment_confirm(
                    user=user, code=form.cleaned_data["code"], request=request
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                _sign_in_complete(request, user, device)
                return _recovery_codes_page(request, codes, _after_sign_in(next_url))
    context = {"form": form, "enrolment": enrolment, "account": user.email}
    return render(request, "users/sign_in_enrol.html", context, status=status)


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """Shown once, never stored: the views that call this are never cached."""
    return render(request, "users/recovery_codes.html", {"codes": codes, "next_url": next_url})


TWO_STEP_ACTIONS = ("enrol", "codes", "disable")


@never_cache
@second_factor_page
@sensitive_post_parameters("enrol-password", "codes-password", "disable-password")
def two_step(request: HttpRequest) -> HttpResponse:
    """The account's "Two-step sign-in" page: what is set up, and the changes, each confirmed
    with the password: set up (or move to another app), new recovery codes, turn off."""
    forms = {action: CurrentPasswordForm(prefix=action) for action in TWO_STEP_ACTIONS}
    status = 200
    action = request.POST.get("action", "")
    if request.method == "POST" and action in TWO_STEP_ACTIONS:
        form = forms[action] = CurrentPasswordForm(request.POST, prefix=action)
        too_many = throttled(request, "auth")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            password = form.cleaned_data["password"]
            try:
                if action == "enrol":
                    services.otp_enrolment_start(
                        user=request.user, password=password, request=request
                    )
                    return redirect("two-step-enrol")
                if action == "codes":
                    codes = services.otp_recovery_codes_renew(
                        user=request.user, password=password, request=request
                    )
                    return _recovery_codes_page(request, codes, resolve_url("two-step"))
                services.otp_disable(user=request.user, password=password, request=request)
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
                messages.success(request, "Two-step sign-in is off.")
                return redirect("two-step")
    elif request.method == "POST":
        status = 400
    context = {"status": selectors.second_factor_status(request.user), "forms": forms}
    return render(request, "users/two_step.html", context, status=status)


@never_cache
@second_factor_page
@sensitive_post_parameters("code")
def two_step_enrol(request: HttpRequest) -> HttpResponse:
    """The secret of an enrolment started on the Two-step sign-in page, and its first code."""
    enrolment = selectors.pending_enrolment(request.user)
    if enrolment is None:
        return redirect("two-step")
    form = CodeForm(
        request.POST or None, label=ENROL_CODE_LABEL, help_text=ENROL_CODE_HELP, numeric=True
    )
    status = 200
    if request.method == "POST":
        too_many = throttled(request, "auth")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            try:
                device, codes = services.otp_enrolment_confirm(
                    user=request.user, code=form.cleaned_data["code"], request=request
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                django_otp.login(request, device)  # this session has just proved it holds it
                return _recovery_codes_page(request, codes, resolve_url("two-step"))
    context = {"form": form, "enrolment": enrolment, "account": request.user.email}
    return render(request, "users/two_step_enrol.html", context, status=status)


def signed_out(request: HttpRequest) -> HttpResponse:
    """Where signing out lands: it says so, and offers to sign in again."""
    return render(request, "registration/signed_out.html")


@sensitive_post_parameters("new_password", "new_password_again")
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page an e-mailed reset or invitation link opens; the service checks the token."""
    if request.method != "POST":
        try:  # a used or expired link says so at once, not after a password is typed twice
            services.password_reset_user(uid=uidb64, token=token)
        except ServiceError as exc:
            return render(
                request, "registration/password_link_invalid.html", {"message": exc.message}
            )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                uid=uidb64,
                token=token,
                new_password=form.cleaned_data["new_password"],
                request=request,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your password has been set. You can sign in now.")
            return redirect("login")
    return render(request, "registration/password_set.html", {"form": form})


class RegisterView(View):
    """Patient self-registration, through the registration service of the API's
    `POST /api/v1/auth/register/`; the new patient is then signed in."""

    template_name = "registration/register.html"
    register_patient: PatientRegistration | None = None  # passed in by the URLconf

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("dashboard")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, RegisterForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegisterForm(request.POST)
        too_many = throttled(request, "auth")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            return self.render(request, form, status=429)
        if form.is_valid():
            account, profile = form.service_arguments()
            try:
                patient = self.register_patient(
                    actor=None, request=request, profile=profile, **account
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                login(request, patient.user, backend=SESSION_BACKEND)
                messages.success(
                    request, f"Welcome, {patient.user.full_name}: your account is ready."
                )
                return redirect("dashboard")
        return self.render(request, form)

    def render(self, request: HttpRequest, form: RegisterForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"form": form}, status=status)


@sensitive_post_parameters("old_password", "new_password", "new_password_again")
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """A new password for the signed-in user. Every other session and the apps' tokens stop
    working; this session stays signed in."""
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        too_many = throttled(request, "auth")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            try:
                user = services.user_change_password(
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                    request=request,
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(
                    request,
                    "Your password has been changed. Other devices and apps must sign in again.",
                )
                return redirect("dashboard")
    return render(request, "registration/password_change.html", {"form": form}, status=status)


def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link to choose a new password. The answer is the same whether or not the
    address has an account."""
    form = PasswordResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        too_many = throttled(request, "password_reset")
        if too_many:
            form.is_valid()
            form.add_error(None, too_many)
            status = 429
        elif form.is_valid():
            services.password_reset_request(email=form.cleaned_data["email"], request=request)
            messages.success(request, RESET_ANSWER)
            return redirect("password-reset")
    return render(request, "registration/password_reset.html", {"form": form}, status=status)
