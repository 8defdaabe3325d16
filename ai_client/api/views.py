import zoneinfo

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ai_client import client, selectors, services
from ai_client.api.serializers import (
    RiskAssessmentInputSerializer,
    RiskAssessmentSerializer,
    SymptomCheckInputSerializer,
    SymptomCheckResultSerializer,
    SymptomCheckSerializer,
    SymptomSerializer,
)
from ai_client.filters import RiskAssessmentFilter, SymptomCheckFilter
from core.api.schema import error_responses
from core.api.throttles import FailOpenScopedRateThrottle
from core.lookups import get_visible_or_404
from doctors.selectors import slot_view
from patients.access import Access, patient_for_actor
from users.models import Role
from users.permissions import HasRole


class IsPatient(HasRole):
    roles = frozenset({Role.PATIENT})


class IsPatientOrDoctor(HasRole):
    roles = frozenset({Role.PATIENT, Role.DOCTOR})


class AiThrottleMixin:
    throttle_classes = [FailOpenScopedRateThrottle]
    throttle_scope = "ai"


def _recommendation_view(found: selectors.Recommendation | None, viewer) -> dict | None:
    if found is None:
        return None
    viewer_zone = zoneinfo.ZoneInfo(viewer.timezone) if viewer.timezone else None
    return {
        "specialty": found.specialty,
        "specialty_name": found.specialty_name,
        "searched": found.searched,
        "fallback": found.fallback,
        "doctors": [
            {
                "id": doctor.pk,
                "full_name": doctor.user.full_name,
                "next_free_slot": slot_view(
                    slot, doctor_zone=zoneinfo.ZoneInfo(doctor.timezone), viewer_zone=viewer_zone
                ),
            }
            for doctor, slot in found.doctors
        ],
    }


class SymptomListView(APIView):
    """The symptom codes the assistant knows, to pick from."""

    permission_classes = [IsPatientOrDoctor]

    @extend_schema(
        responses={200: SymptomSerializer(many=True), **error_responses(503)},
        summary="Symptom codes",
    )
    def get(self, request):
        return Response(client.request("GET", "/v1/symptoms"))


class SymptomCheckRunView(AiThrottleMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        request=SymptomCheckInputSerializer,
        responses={201: SymptomCheckResultSerializer, **error_responses(503)},
        summary="Check my symptoms (not a diagnosis)",
    )
    def post(self, request):
        serializer = SymptomCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.symptom_check_run(
            actor=request.user,
            now=timezone.now(),
            request=request,
            **serializer.validated_data,
        )
        body = SymptomCheckSerializer(outcome.check).data
        body["recommendation"] = _recommendation_view(outcome.recommendation, request.user)
        return Response(body, status=status.HTTP_201_CREATED)


class RiskAssessmentRunView(AiThrottleMixin, APIView):
    permission_classes = [IsPatientOrDoctor]

    @extend_schema(
        request=RiskAssessmentInputSerializer,
        responses={201: RiskAssessmentSerializer, **error_responses(404, 503)},
        summary="Compute a published risk score for a patient",
    )
    def post(self, request):
        serializer = RiskAssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        patient = None
        if "patient" in values:
            patient = patient_for_actor(
                actor=request.user, patient_id=values["patient"], access=Access.ACT
            )
        assessment = services.risk_assessment_run(
            actor=request.user,
            patient=patient,
            score=values["score"],
            inputs=values["inputs"],
            today=timezone.localdate(),
            request=request,
        )
        return Response(RiskAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


PATIENT_FILTER = OpenApiParameter("patient", str, description="Only this patient's results.")


class HistoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A patient's own results; a doctor's linked patients'. Anyone else's answers 404."""

    permission_classes = [IsPatientOrDoctor]
    ordering_fields = ["created_at"]
    not_found = "Not found."

    def scoped(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.scoped()
        patient_id = self.request.query_params.get("patient")
        if patient_id is not None and self.action == "list":
            patient = patient_for_actor(
                actor=self.request.user, patient_id=patient_id, access=Access.ACT
            )
            queryset = queryset.filter(patient=patient)
        return queryset

    def get_object(self):
        return get_visible_or_404(self.scoped(), self.not_found, pk=self.kwargs["pk"])

    @extend_schema(parameters=[PATIENT_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SymptomCheckViewSet(HistoryViewSet):
    serializer_class = SymptomCheckSerializer
    filterset_class = SymptomCheckFilter
    not_found = "No such symptom check."

    def scoped(self):
        return selectors.symptom_check_list(actor=self.request.user)


class RiskAssessmentViewSet(HistoryViewSet):
    serializer_class = RiskAssessmentSerializer
    filterset_class = RiskAssessmentFilter
    not_found = "No such risk assessment."

    def scoped(self):
        return selectors.risk_assessment_list(actor=self.request.user)
