from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from health_records.api.views import chart_parties
from patients.access import Access
from prescriptions import selectors, services
from prescriptions.api.serializers import (
    ChartSummarySerializer,
    PrescriptionCreateSerializer,
    PrescriptionSerializer,
    ReasonSerializer,
)
from prescriptions.filters import PrescriptionFilter
from prescriptions.models import Prescription, PrescriptionStatus


class PrescriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Prescriptions: a doctor linked to the patient prescribes; the patient reads their own.
    Each line is checked against the patient's allergies by drug class. Anyone else's
    prescription answers 404."""

    serializer_class = PrescriptionSerializer
    filterset_class = PrescriptionFilter
    ordering_fields = ["issued_at", "status"]

    def get_queryset(self):
        return selectors.prescription_list(actor=self.request.user)

    def get_object(self, access: Access = Access.VIEW) -> Prescription:
        return selectors.prescription_get(
            actor=self.request.user, prescription_id=self.kwargs["pk"], access=access
        )

    @extend_schema(
        request=PrescriptionCreateSerializer,
        responses={201: PrescriptionSerializer, **error_responses(404, 409)},
        summary="Prescribe; 409 allergy_conflict names the allergy and the drug class",
    )
    def create(self, request, *args, **kwargs):
        body = PrescriptionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        patient, appointment = chart_parties(request.user, values)
        prescription = services.prescription_create(
            actor=request.user,
            patient=patient,
            appointment=appointment,
            request=request,
            lines=[dict(line) for line in values.pop("lines")],
            **values,
        )
        shown = selectors.prescription_list(actor=request.user, access=Access.ACT).get(
            pk=prescription.pk
        )
        return Response(PrescriptionSerializer(shown).data, status=status.HTTP_201_CREATED)

    def _finish(self, request, target: str) -> Response:
        prescription = self.get_object(Access.ACT)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finished = services.prescription_finish(
            actor=request.user,
            prescription=prescription,
            status=target,
            reason=body.validated_data["reason"],
            request=request,
        )
        return Response(PrescriptionSerializer(finished).data)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: PrescriptionSerializer, **error_responses(409)},
        summary="active → completed",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._finish(request, PrescriptionStatus.COMPLETED)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: PrescriptionSerializer, **error_responses(409)},
        summary="active → cancelled",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._finish(request, PrescriptionStatus.CANCELLED)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: PrescriptionSerializer, **error_responses(409)},
        summary="active → entered-in-error",
    )
    @action(detail=True, methods=["post"], url_path="entered-in-error")
    def entered_in_error(self, request, pk=None):
        return self._finish(request, PrescriptionStatus.ENTERED_IN_ERROR)


class ChartSummaryView(APIView):
    """A patient's chart at a glance, for the patient and the doctors linked to them."""

    @extend_schema(
        responses={200: ChartSummarySerializer, **error_responses(404)},
        summary="Active prescriptions, allergies, latest vitals, active diagnoses, next visits",
    )
    def get(self, request, patient_id):
        summary = selectors.chart_summary(
            actor=request.user, patient_id=patient_id, now=timezone.now()
        )
        return Response(ChartSummarySerializer(summary).data)
