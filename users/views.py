"""The account pages: sign in and out, registration, password change and reset. They call the
same services as the API, with the same rate limits."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

from core.exceptions import ServiceError
from core.pages import add_service_error, throttled
from users import services
from users.forms import (
    EmailAuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    RegisterForm,
    SetPasswordForm,
)

# A signed-in session is made with the model backend (axes' backend only counts failures).
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
RESET_ANSWER = (
    "If an account has this address, a link to choose a new password is on its way. "
    "It works for a limited time."
)

# patients.services.patient_register, or any callable with its signature: the patients app,
# which owns the patient record a new patient needs, comes after this one.
PatientRegistration = Callable[..., Any]


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


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
