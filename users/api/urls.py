from django.urls import path
from rest_framework.routers import DefaultRouter

from users.api import views

router = DefaultRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("staff", views.StaffProfileViewSet, basename="staff")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRefreshRotateView.as_view(), name="auth-token-refresh"),
    path("auth/token/verify-otp/", views.OtpVerifyView.as_view(), name="auth-token-verify-otp"),
    path("auth/otp/", views.OtpStatusView.as_view(), name="auth-otp"),
    path("auth/otp/enrol/", views.OtpEnrolView.as_view(), name="auth-otp-enrol"),
    path("auth/otp/confirm/", views.OtpConfirmView.as_view(), name="auth-otp-confirm"),
    path(
        "auth/otp/recovery-codes/",
        views.OtpRecoveryCodesView.as_view(),
        name="auth-otp-recovery-codes",
    ),
    path("auth/otp/disable/", views.OtpDisableView.as_view(), name="auth-otp-disable"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/password/change/", views.PasswordChangeView.as_view(), name="auth-password-change"),
    path("auth/password/reset/", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password/reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    *router.urls,
]
