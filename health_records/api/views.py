from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from appointments.models import Appointment
from appointments.selectors import appointment_reference
from core.api.schema import error_responses
from health_records import selectors, services
from health_records.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    HealthRecordAmendSerializer,
    HealthRecordCreateSerializer,
    HealthRecordSerializer,
    RetractSerializer,
)
from health_records.filters import HealthRecordFilter
from health_records.models import HealthRecord
from patients.access import Access, patient_for_actor
from patients.models import Patient


def chart_parties(actor, values: dict) -> tuple[Patient, Appointment | None]:
    """The patient a new clinical entry is for and the visit it belongs to, taken out of a
    request body and through the door: an unknown or hidden patient is a 404, a visit the
    actor may not act on a 400 on its field."""
    patient = patient_for_actor(actor=actor, patient_id=values.pop("patient"), access=Access.ACT)
    appointment = None
    if "appointment" in values:
        appointment = appointment_reference(actor=actor, appointment_id=values.pop("appointment"))
    return patient, appointment


class HealthRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Typed health records: a doctor linked to the patient writes them, the patient reads
    their own. An edit makes a new version (the old one is kept, `amended`); a record entered
    in error is retracted, not deleted. Anyone else's record answers 404."""

    serializer_class = HealthRecordSerializer
    filterset_class = HealthRecordFilter
    ordering_fields = ["recorded_at", "created_at", "record_type"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.health_record_list(actor=self.request.user)

    def get_object(self, access: Access = Access.VIEW) -> HealthRecord:
        return selectors.health_record_get(
            actor=self.request.user, record_id=self.kwargs["pk"], access=access
        )

    @extend_schema(
        request=HealthRecordCreateSerializer,
        responses={201: HealthRecordSerializer, **error_responses(404)},
    )
    def create(self, request, *args, **kwargs):
        body = HealthRecordCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        patient, appointment = chart_parties(request.user, values)
        record = services.health_record_create(
            actor=request.user, patient=patient, appointment=appointment, request=request, **values
        )
        return Response(HealthRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=HealthRecordAmendSerializer,
        responses={200: HealthRecordSerializer, **error_responses(409)},
        summary="Amend: a new version; the old one is kept in the history",
    )
    def partial_update(self, request, *args, **kwargs):
        record = self.get_object(Access.ACT)
        body = HealthRecordAmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.health_record_amend(
            actor=request.user, record=record, request=request, **body.validated_data
        )
        return Response(HealthRecordSerializer(new).data)

    @extend_schema(
        responses={200: HealthRecordSerializer(many=True)},
        summary="Every version of the record, oldest first",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        versions = selectors.health_record_history(actor=request.user, record_id=pk)
        return Response(HealthRecordSerializer(versions, many=True).data)

    @extend_schema(
        request=RetractSerializer,
        responses={200: HealthRecordSerializer, **error_responses(409)},
        summary="Retract a record entered in error (kept, hidden from default lists)",
    )
    @action(detail=True, methods=["post"], url_path="entered-in-error")
    def entered_in_error(self, request, pk=None):
        record = self.get_object(Access.ACT)
        body = RetractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        retracted = services.health_record_retract(
            actor=request.user, record=record, request=request, **body.validated_data
        )
        return Response(HealthRecordSerializer(retracted).data)

    @extend_schema(
        methods=["GET"],
        responses={200: AttachmentSerializer(many=True)},
        summary="The record's files",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **error_responses(409)},
        summary="Attach a PDF, PNG or JPEG (the type is read from the content)",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        parser_classes=[MultiPartParser],
    )
    def attachments(self, request, pk=None):
        if request.method == "GET":
            files = selectors.attachment_list(actor=request.user, record_id=pk)
            return Response(AttachmentSerializer(files, many=True).data)
        record = self.get_object(Access.ACT)
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user, record=record, upload=body.validated_data["file"], request=request
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
        },
        summary="Download one file (always as an attachment)",
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[^/.]+)")
    def attachment(self, request, pk=None, attachment_id=None):
        attachment = selectors.attachment_get(
            actor=request.user, record_id=pk, attachment_id=attachment_id
        )
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.filename,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
