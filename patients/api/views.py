from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.exceptions import NotAllowed, NotFound
from doctors.models import Doctor
from patients import selectors, services
from patients.access import Access, own_patient_record, patient_for_actor, patients_visible_to
from patients.api.serializers import (
    ACCOUNT_FIELDS,
    AccessLogEntrySerializer,
    AccessLogQuerySerializer,
    CareAssignmentCreateSerializer,
    CareAssignmentSerializer,
    PatientCreateSerializer,
    PatientRegisterSerializer,
    PatientSerializer,
    PatientUpdateSerializer,
)
from patients.filters import CareAssignmentFilter, PatientFilter
from patients.models import Patient
from users.api.serializers import UserSerializer
from users.api.views import AuthThrottleMixin
from users.permissions import IsStaffOrAdmin
from users.roles import is_patient


class RegisterView(AuthThrottleMixin, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=PatientRegisterSerializer,
        responses={201: UserSerializer, **error_responses(403)},  # 403: any role but patient
        summary="Register as a patient",
        tags=["auth"],
    )
    def post(self, request):
        serializer = PatientRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = dict(serializer.validated_data)
        profile = {
            field: account.pop(field)
            for field in PatientRegisterSerializer.PROFILE_FIELDS
            if field in account
        }
        patient = services.patient_register(actor=None, request=request, profile=profile, **account)
        return Response(UserSerializer(patient.user).data, status=status.HTTP_201_CREATED)


def _split_account(data: dict) -> tuple[dict, dict]:
    account = {key: data.pop(key) for key in ACCOUNT_FIELDS if key in data}
    return account, data


class PatientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Patient records: staff see all, doctors the patients linked to them, patients
    themselves. Anyone else's record answers 404."""

    serializer_class = PatientSerializer
    filterset_class = PatientFilter
    ordering_fields = ["user__full_name", "date_of_birth", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return patients_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [IsStaffOrAdmin()]
        return super().get_permissions()

    def get_object(self, access: Access = Access.VIEW) -> Patient:
        return patient_for_actor(
            actor=self.request.user, patient_id=self.kwargs["pk"], access=access
        )

    @extend_schema(request=PatientCreateSerializer, responses={201: PatientSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PatientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account, profile = _split_account(dict(serializer.validated_data))
        patient = services.patient_register(
            actor=request.user, profile=profile, request=request, **account
        )
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PatientUpdateSerializer, responses={200: PatientSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, self.get_object(Access.CHANGE))

    def _update(self, request, patient: Patient) -> Response:
        serializer = PatientUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient = services.patient_update(
            actor=request.user, patient=patient, data=serializer.validated_data, request=request
        )
        return Response(PatientSerializer(patient).data)

    @extend_schema(methods=["GET"], responses={200: PatientSerializer}, summary="My patient record")
    @extend_schema(
        methods=["PATCH"],
        request=PatientUpdateSerializer,
        responses={200: PatientSerializer},
        summary="Change my patient record",
    )
    @action(detail=False, methods=["get", "patch"])
    def me(self, request):
        if not is_patient(request.user):
            raise NotAllowed("Only patients have a patient record.")
        services.patient_profile_ensure(user=request.user)
        if request.method == "PATCH":
            return self._update(request, own_patient_record(request.user, access=Access.CHANGE))
        return Response(
            PatientSerializer(own_patient_record(request.user, access=Access.VIEW)).data
        )


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who accessed my data: every read and write of my records, newest first."""

    serializer_class = AccessLogEntrySerializer
    filter_backends: list = []

    def get_queryset(self):
        if not is_patient(self.request.user):
            raise NotAllowed("Only patients have an access log of their own.")
        query = AccessLogQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.access_log(
            patient_user=self.request.user, include_own=query.validated_data["include_own"]
        )

    @extend_schema(parameters=[AccessLogQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class CareAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The care team: staff link doctors to patients; doctors and patients see their own."""

    serializer_class = CareAssignmentSerializer
    filterset_class = CareAssignmentFilter
    ordering_fields = ["started_at", "ended_at"]

    def get_queryset(self):
        return selectors.care_assignment_list(actor=self.request.user)

    def get_object(self):
        return selectors.care_assignment_get(
            actor=self.request.user, assignment_id=self.kwargs["pk"]
        )

    def get_permissions(self):
        if self.action == "create":
            return [IsStaffOrAdmin()]
        return super().get_permissions()

    @extend_schema(
        request=CareAssignmentCreateSerializer,
        responses={201: CareAssignmentSerializer, **error_responses(409)},
    )
    def create(self, request, *args, **kwargs):
        serializer = CareAssignmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        doctor = Doctor.objects.select_related("user").filter(pk=data["doctor"]).first()
        errors = {}
        try:
            patient = patient_for_actor(
                actor=request.user, patient_id=data["patient"], access=Access.ACT
            )
        except NotFound:
            errors["patient"] = ["No such patient."]
        if doctor is None:
            errors["doctor"] = ["No such doctor."]
        if errors:
            raise ValidationError(errors)
        assignment = services.care_assignment_create(
            actor=request.user, doctor=doctor, patient=patient, note=data["note"], request=request
        )
        return Response(CareAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: CareAssignmentSerializer, **error_responses(409)},
        summary="End a care assignment",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = services.care_assignment_end(
            actor=request.user, assignment=self.get_object(), request=request
        )
        return Response(CareAssignmentSerializer(assignment).data)
