import zoneinfo

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
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
from core.audit import audit_records_bulk
from core.exceptions import ValidationFailed
from core.lookups import get_visible_or_404
from core.models import AuditAction
from doctors.selectors import slot_view
from patients.selectors import patient_for_user, patient_get
from users.models import Role
from users.permissions import HasRole
from users.services import role_of


class IsPatient(HasRole):
    roles = frozenset({Role.PATIENT})


class IsPatientOrDoctor(HasRole):
    roles = frozenset({Role.PATIENT, Role.DOCTOR})


class AiThrottleMixin:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "ai"


def _recommendation(check, viewer) -> dict | None:
    """Real doctors with their next free slot; none for an emergency (no booking is offered)."""
    if not check.output.get("booking_offered"):
        return None
    found = selectors.doctors_recommend(specialty=check.output["specialty"], now=timezone.now())
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

    @extend_schema(responses={200: SymptomSerializer(many=True)}, summary="Symptom codes")
    def get(self, request):
        return Response(client.request("GET", "/v1/symptoms"))


class SymptomCheckRunView(AiThrottleMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        request=SymptomCheckInputSerializer,
        responses={201: SymptomCheckResultSerializer},
        summary="Check my symptoms (not a diagnosis)",
    )
    def post(self, request):
        serializer = SymptomCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = services.symptom_check_run(
            actor=request.user,
            today=timezone.localdate(),
            request=request,
            **serializer.validated_data,
        )
        body = SymptomCheckSerializer(check).data
        body["recommendation"] = _recommendation(check, request.user)
        return Response(body, status=status.HTTP_201_CREATED)


class RiskAssessmentRunView(AiThrottleMixin, APIView):
    permission_classes = [IsPatientOrDoctor]

    @extend_schema(
        request=RiskAssessmentInputSerializer,
        responses={201: RiskAssessmentSerializer},
        summary="Compute a published risk score for a patient",
    )
    def post(self, request):
        serializer = RiskAssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        if "patient" in values:
            patient = patient_get(actor=request.user, patient_id=values["patient"])
        elif role_of(request.user) == Role.PATIENT and patient_for_user(request.user):
            patient = patient_for_user(request.user)
        else:
            message = "Say which patient to assess."
            raise ValidationFailed(message, code="validation_error", fields={"patient": [message]})
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
    resource_type = ""
    not_found = "Not found."

    def scoped(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.scoped()
        patient_id = self.request.query_params.get("patient")
        if patient_id is not None and self.action == "list":
            patient = patient_get(actor=self.request.user, patient_id=patient_id)
            queryset = queryset.filter(patient=patient)
        return queryset

    def get_object(self):
        return get_visible_or_404(self.scoped(), self.not_found, pk=self.kwargs["pk"])

    def _audit(self, items) -> None:
        audit_records_bulk(
            actor=self.request.user,
            action=AuditAction.VIEW,
            resource_type=self.resource_type,
            items=[(item.pk, item.patient.user) for item in items],
            request=self.request,
        )

    @extend_schema(parameters=[PATIENT_FILTER])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self._audit(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        self._audit([item])
        return Response(self.get_serializer(item).data)


class SymptomCheckViewSet(HistoryViewSet):
    serializer_class = SymptomCheckSerializer
    resource_type = "symptom_check"
    not_found = "No such symptom check."

    def scoped(self):
        return selectors.symptom_check_list(actor=self.request.user)


class RiskAssessmentViewSet(HistoryViewSet):
    serializer_class = RiskAssessmentSerializer
    resource_type = "risk_assessment"
    not_found = "No such risk assessment."

    def scoped(self):
        return selectors.risk_assessment_list(actor=self.request.user)
