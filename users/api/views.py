from functools import partial

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.views import TokenObtainPairView

from core.api.schema import error_responses
from core.api.throttles import FailOpenScopedRateThrottle
from core.exceptions import NotAllowed
from users import otp, services
from users.api.serializers import (
    CurrentPasswordSerializer,
    DetailSerializer,
    EmailSerializer,
    LoginSerializer,
    MeUpdateSerializer,
    OtpChallengeSerializer,
    OtpCodeSerializer,
    OtpEnrolmentSerializer,
    OtpStatusSerializer,
    OtpTokenPairSerializer,
    OtpVerifySerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordStepSerializer,
    RecoveryCodesSerializer,
    RefreshSerializer,
    StaffProfileSerializer,
    TokenPairSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from users.filters import UserFilter
from users.lockout import AccountLocked
from users.models import User
from users.permissions import IsAdminRole, IsStaffOrAdmin, MayUseSecondFactor
from users.selectors import second_factor_status, staff_profile_list, user_list


class AuthThrottleMixin:
    throttle_classes = [FailOpenScopedRateThrottle]
    throttle_scope = "auth"


class TokenObtainView(AuthThrottleMixin, TokenObtainPairView):
    serializer_class = PasswordStepSerializer

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: TokenPairSerializer,
            202: OtpChallengeSerializer,
            **error_responses(401, 403),
        },
        summary="Sign in with e-mail and password",
        description=(
            "Without two-step sign-in: 200 with the token pair. With it: 202 with a short-lived "
            "`challenge` and no tokens; send the challenge and a code to "
            "`/api/v1/auth/token/verify-otp/`. An account whose role must sign in with two "
            "steps (`OTP_REQUIRED_ROLES`) but has not enrolled yet gets 403 "
            "`otp_enrolment_required`: it enrols on the sign-in page first. Failed sign-ins, "
            "wrong codes included, lock the account (429)."
        ),
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.user
        step = services.otp_sign_in_step(user)
        if step == services.SignInStep.ENROL:
            raise NotAllowed(services.OTP_ENROLMENT_REQUIRED, code="otp_enrolment_required")
        if step == services.SignInStep.CODE:
            challenge = {
                "otp_required": True,
                "challenge": otp.challenge_issue(user),
                "expires_in": settings.OTP_CHALLENGE_SECONDS,
            }
            return Response(challenge, status=status.HTTP_202_ACCEPTED)
        user_logged_in.send(sender=User, request=request, user=user)
        return Response(services.token_pair_for(user))


class OtpVerifyView(AuthThrottleMixin, APIView):
    """The second step of an API sign-in; its credential is the challenge in the body."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'  # a refused code is a 401, as a wrong password is

    @extend_schema(
        request=OtpVerifySerializer,
        responses={200: OtpTokenPairSerializer, **error_responses(401)},
        summary="Second sign-in step: a code for the token pair",
        description=(
            "Exchanges the challenge from `/api/v1/auth/token/` and a code (the 6-digit code "
            "of the authenticator app, or a recovery code) for the token pair. A code works "
            "once. 401 `invalid_code` for a wrong or used code (it counts toward the lockout, "
            "429 after five failures), 401 `invalid_challenge` for an unknown or expired "
            "challenge: sign in again with the password."
        ),
    )
    def post(self, request):
        serializer = OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            step = services.otp_sign_in_verify(request=request, **serializer.validated_data)
        except otp.SignInLocked as exc:
            raise AccountLocked(exc.wait) from exc
        except otp.SignInRefused as exc:
            raise AuthenticationFailed(exc.message, code=exc.code) from exc
        user_logged_in.send(sender=User, request=request, user=step.user)
        return Response(
            {
                **services.token_pair_for(step.user),
                "recovery_code_used": step.recovery_code_used,
                "recovery_codes_left": step.recovery_codes_left,
            }
        )


class SecondFactorView(APIView):
    """The signed-in account's own second step: doctors, staff and administrators."""

    permission_classes = [IsAuthenticated, MayUseSecondFactor]

    @staticmethod
    def secret_response(data, status_code: int = status.HTTP_200_OK) -> Response:
        response = Response(data, status=status_code)
        response["Cache-Control"] = "no-store"  # a secret or recovery codes: kept nowhere
        return response


class OtpStatusView(SecondFactorView):
    @extend_schema(responses={200: OtpStatusSerializer}, summary="My two-step sign-in")
    def get(self, request):
        return Response(OtpStatusSerializer(second_factor_status(request.user)).data)


class OtpEnrolView(AuthThrottleMixin, SecondFactorView):
    @extend_schema(
        request=CurrentPasswordSerializer,
        responses={201: OtpEnrolmentSerializer},
        summary="Start enrolling an authenticator app",
        description=(
            "Gives a new secret (text, otpauth link and QR code) for the app. It takes effect "
            "when `confirm/` gets its first code; a second step already set up keeps working "
            "until then."
        ),
    )
    def post(self, request):
        serializer = CurrentPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrolment = services.otp_enrolment_start(
            user=request.user, password=serializer.validated_data["password"], request=request
        )
        return self.secret_response(OtpEnrolmentSerializer(enrolment).data, status.HTTP_201_CREATED)


class OtpConfirmView(AuthThrottleMixin, SecondFactorView):
    @extend_schema(
        request=OtpCodeSerializer,
        responses={200: RecoveryCodesSerializer, **error_responses(409)},
        summary="Confirm the authenticator app with its first code",
        description=(
            "Turns two-step sign-in on (or moves it to the new app) and answers with ten "
            "recovery codes, shown this once. 409 `otp_enrolment_not_started` without a "
            "started enrolment."
        ),
    )
    def post(self, request):
        serializer = OtpCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _, codes = services.otp_enrolment_confirm(
            user=request.user, code=serializer.validated_data["code"], request=request
        )
        return self.secret_response({"recovery_codes": codes})


class OtpRecoveryCodesView(AuthThrottleMixin, SecondFactorView):
    @extend_schema(
        request=CurrentPasswordSerializer,
        responses={200: RecoveryCodesSerializer, **error_responses(409)},
        summary="Make ten new recovery codes",
        description="The old codes stop working. 409 `otp_not_enrolled` without two-step sign-in.",
    )
    def post(self, request):
        serializer = CurrentPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codes = services.otp_recovery_codes_renew(
            user=request.user, password=serializer.validated_data["password"], request=request
        )
        return self.secret_response({"recovery_codes": codes})


class OtpDisableView(AuthThrottleMixin, SecondFactorView):
    @extend_schema(
        request=CurrentPasswordSerializer,
        responses={204: None, **error_responses(409)},
        summary="Turn two-step sign-in off",
        description=(
            "403 `otp_required` where the role must sign in with two steps; 409 "
            "`otp_not_enrolled` without it."
        ),
    )
    def post(self, request):
        serializer = CurrentPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.otp_disable(
            user=request.user, password=serializer.validated_data["password"], request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RefreshTokenView(AuthThrottleMixin, APIView):
    """A view whose credential is the refresh token in the body, not a signed-in user."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'  # a bad token is a 401, not a 403

    def refresh_token_call(self, request, service):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            return service(refresh=serializer.validated_data["refresh"])
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc


class TokenRefreshRotateView(RefreshTokenView):
    @extend_schema(
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, **error_responses(401)},
        summary="Exchange a refresh token for a new pair; the old one stops working",
    )
    def post(self, request):
        return Response(self.refresh_token_call(request, services.token_refresh))


class LogoutView(RefreshTokenView):
    @extend_schema(
        request=RefreshSerializer,
        responses={204: None, **error_responses(401)},
        summary="Sign out: the refresh token is blacklisted",
    )
    def post(self, request):
        self.refresh_token_call(request, partial(services.token_logout, request=request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(AuthThrottleMixin, APIView):
    @extend_schema(
        request=PasswordChangeSerializer,
        responses={200: TokenPairSerializer},
        summary="Change password; every other session is signed out",
        description="Returns a fresh token pair for this client: all older tokens stop working.",
    )
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_change_password(
            user=request.user, request=request, **serializer.validated_data
        )
        return Response(services.token_pair_for(user))


class PasswordResetView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [FailOpenScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(
        request=EmailSerializer,
        responses={202: DetailSerializer},
        summary="E-mail a password reset link",
        description="The answer is the same whether or not the address has an account.",
    )
    def post(self, request):
        serializer = EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(email=serializer.validated_data["email"], request=request)
        return Response(
            {"detail": "If an account has this address, a reset link is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


class PasswordResetConfirmView(AuthThrottleMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=PasswordResetConfirmSerializer,
        responses={200: DetailSerializer},
        summary="Set a new password from a reset link",
    )
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(request=request, **serializer.validated_data)
        return Response({"detail": "Your password has been changed. You can sign in now."})


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts, for staff and administrators; `me` for everyone signed in."""

    serializer_class = UserSerializer
    permission_classes = [IsStaffOrAdmin]
    filterset_class = UserFilter
    ordering_fields = ["full_name", "email", "date_joined", "role"]

    def get_queryset(self):
        return user_list()

    def get_permissions(self):
        if self.action == "me":
            return [IsAuthenticated()]
        if self.action in ("activate", "deactivate", "reset_otp"):
            return [IsAdminRole()]
        return super().get_permissions()

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(
            actor=request.user, email_verified=False, request=request, **serializer.validated_data
        )
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: UserSerializer}, summary="My account")
    @extend_schema(
        methods=["PATCH"],
        request=MeUpdateSerializer,
        responses={200: UserSerializer},
        summary="Change my name, phone or time zone",
    )
    @action(detail=False, methods=["get", "patch"], url_path="me")
    def me(self, request):
        if request.method == "PATCH":
            serializer = MeUpdateSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            # Fields the serializer does not parse still go to the service, which refuses them.
            others = {
                key: request.data[key] for key in request.data if key not in serializer.fields
            }
            services.user_update(
                actor=request.user,
                user=request.user,
                data={**others, **serializer.validated_data},
                request=request,
            )
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=None, responses={200: UserSerializer}, summary="Deactivate an account")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = services.user_set_active(
            actor=request.user, user=self.get_object(), active=False, request=request
        )
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer}, summary="Reactivate an account")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        user = services.user_set_active(
            actor=request.user, user=self.get_object(), active=True, request=request
        )
        return Response(UserSerializer(user).data)

    @extend_schema(
        request=None,
        responses={204: None, **error_responses(400)},
        summary="Reset an account's two-step sign-in (administrators)",
        description=(
            "Removes the account's authenticator app and recovery codes (a lost phone). The "
            "user then signs in with the password alone, or enrols again at the next sign-in "
            "where the role requires it. Recorded in the audit log. 400 `self_reset` for one's "
            "own account."
        ),
    )
    @action(detail=True, methods=["post"], url_path="reset-otp")
    def reset_otp(self, request, pk=None):
        services.otp_reset(actor=request.user, user=self.get_object(), request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff profiles (department, position, hire date, status), managed by administrators.
    A profile comes with every staff account."""

    serializer_class = StaffProfileSerializer
    permission_classes = [IsAdminRole]
    http_method_names = ["get", "patch", "head", "options"]
    filterset_fields = ["status", "department"]
    ordering_fields = ["user__full_name", "hire_date", "department"]

    def get_queryset(self):
        return staff_profile_list()

    def perform_update(self, serializer):
        serializer.instance = services.staff_profile_update(
            actor=self.request.user,
            profile=serializer.instance,
            data=serializer.validated_data,
            request=self.request,
        )
