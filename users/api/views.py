from functools import partial

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.views import TokenObtainPairView

from core.api.schema import error_responses
from core.api.throttles import FailOpenScopedRateThrottle
from users import services
from users.api.serializers import (
    DetailSerializer,
    EmailSerializer,
    LoginSerializer,
    MeUpdateSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    RefreshSerializer,
    StaffProfileSerializer,
    TokenPairSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from users.filters import UserFilter
from users.models import User
from users.permissions import IsAdminRole, IsStaffOrAdmin
from users.selectors import staff_profile_list, user_list


class AuthThrottleMixin:
    throttle_classes = [FailOpenScopedRateThrottle]
    throttle_scope = "auth"


class TokenObtainView(AuthThrottleMixin, TokenObtainPairView):
    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenPairSerializer, **error_responses(401)},
        summary="Sign in with e-mail and password",
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_logged_in.send(sender=User, request=request, user=serializer.user)
        return Response(serializer.validated_data)


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
        if self.action in ("activate", "deactivate"):
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
