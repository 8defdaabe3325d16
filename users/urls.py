from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from users import views
from users.views import PatientRegistration


def account_page_urls(*, register_patient: PatientRegistration) -> list[URLPattern]:
    """The account pages. Self-registration also opens the patient's record, which the patients
    app owns (it comes after this one): the root URLconf passes its registration service in as
    `register_patient`, as it passes the doctors app the time that bookings hold."""
    patterns = [
        path("accounts/login/", views.LoginView.as_view(), name="login"),
        path("accounts/login/code/", views.sign_in_code, name="login-code"),
        path("accounts/login/enrol/", views.sign_in_enrol, name="login-enrol"),
        path("accounts/two-step/", views.two_step, name="two-step"),
        path("accounts/two-step/enrol/", views.two_step_enrol, name="two-step-enrol"),
        path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("accounts/signed-out/", views.signed_out, name="signed-out"),
        path(
            "accounts/reset/<str:uidb64>/<str:token>/",
            views.password_reset_confirm,
            name="password-reset-confirm",
        ),
        path("accounts/password/change/", views.password_change, name="password-change"),
        path("accounts/password/reset/", views.password_reset, name="password-reset"),
        path(
            "accounts/register/",
            views.RegisterView.as_view(register_patient=register_patient),
            name="register",
        ),
    ]
    return patterns
