from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import calendars, selectors, services
from appointments.api.serializers import (
    AppointmentSerializer,
    BookingSerializer,
    CancelSerializer,
    FeedSerializer,
    RescheduleSerializer,
    SeriesResultSerializer,
    SeriesSerializer,
    WaitlistEntrySerializer,
    WaitlistJoinSerializer,
    WaitlistOfferSerializer,
)
from appointments.filters import AppointmentFilter
from appointments.models import Appointment
from core.api.schema import error_responses
from core.lookups import get_visible_or_404
from core.pagination import CountedUpToPagination
from doctors.models import Doctor, Specialization
from doctors.selectors import specialization_list
from patients.access import Access, own_patient_record, patient_for_actor
from patients.models import Patient


def booking_doctor(doctor_id) -> Doctor:
    doctor = Doctor.objects.select_related("user").filter(pk=doctor_id).first()
    if doctor is None:
        raise ValidationError({"doctor": ["No such doctor."]})
    return doctor


def booking_parties_patient(user, patient_id) -> Patient:
    """The patient a booking is for, through the door: a patient's own record when left out;
    a patient the actor may not see answers 404."""
    if patient_id is None:
        if (own := own_patient_record(user)) is not None:
            return own
        raise ValidationError({"patient": ["Say which patient this is for."]})
    return patient_for_actor(actor=user, patient_id=patient_id, access=Access.ACT)


class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appointments: a patient sees their own, a doctor theirs, staff all. Statuses move only
    through the actions; anyone else's appointment answers 404."""

    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    ordering_fields = ["start", "created_at", "status"]
    # Staff see every appointment of the clinic: a count of them all would cost what the
    # table holds on every page, so the count stops a little past the page asked for.
    pagination_class = CountedUpToPagination

    def get_queryset(self):
        # The list's rows only (one appointment is read by get_object, through the selector).
        return selectors.appointment_rows(selectors.appointment_list(actor=self.request.user))

    def get_object(self, access: Access = Access.VIEW) -> Appointment:
        return selectors.appointment_get(
            actor=self.request.user, appointment_id=self.kwargs["pk"], access=access
        )

    @extend_schema(
        request=BookingSerializer,
        responses={201: AppointmentSerializer, **error_responses(404, 409)},
    )
    def create(self, request, *args, **kwargs):
        data = BookingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        doctor = booking_doctor(values.pop("doctor"))
        patient = self._patient(values.pop("patient", None))
        appointment = services.appointment_book(
            actor=request.user, doctor=doctor, patient=patient, request=request, **values
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def _patient(self, patient_id) -> Patient:
        return booking_parties_patient(self.request.user, patient_id)

    def _act(self, service, request, body_serializer=None) -> Response:
        # Someone else's appointment is a 404 before all else.
        appointment = self.get_object(Access.ACT)
        values = {}
        if body_serializer is not None:
            body = body_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            values = body.validated_data
        changed = service(actor=request.user, appointment=appointment, request=request, **values)
        return Response(AppointmentSerializer(changed).data)

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiTypes.BINARY},
        summary="The appointment as an iCalendar file",
    )
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        appointment = self.get_object()
        body = calendars.calendar_for([appointment], name="Clinic appointment")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
        return response

    @extend_schema(
        request=None,
        responses={200: AppointmentSerializer, **error_responses(409)},
        summary="pending → booked",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._act(services.appointment_confirm, request)

    @extend_schema(
        request=None,
        responses={200: AppointmentSerializer, **error_responses(409)},
        summary="booked → arrived",
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._act(services.appointment_check_in, request)

    @extend_schema(
        request=None,
        responses={200: AppointmentSerializer, **error_responses(409)},
        summary="arrived → fulfilled",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(services.appointment_complete, request)

    @extend_schema(
        request=None,
        responses={200: AppointmentSerializer, **error_responses(409)},
        summary="booked → noshow",
    )
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._act(services.appointment_no_show, request)

    @extend_schema(
        request=CancelSerializer, responses={200: AppointmentSerializer, **error_responses(409)}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(services.appointment_cancel, request, CancelSerializer)

    @extend_schema(
        request=RescheduleSerializer,
        responses={201: AppointmentSerializer, **error_responses(409)},
        summary="Move to a new start; the old appointment is cancelled and linked",
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        response = self._act(services.appointment_reschedule, request, RescheduleSerializer)
        response.status_code = status.HTTP_201_CREATED
        return response


class SeriesViewSet(viewsets.GenericViewSet):
    """Recurring visits: weekly or every N weeks, all or nothing unless allow_partial."""

    serializer_class = SeriesResultSerializer

    def get_queryset(self):
        return selectors.series_list(actor=self.request.user)

    @extend_schema(
        request=SeriesSerializer,
        responses={201: SeriesResultSerializer, **error_responses(404, 409)},
        summary="Book a series; 409 lists every clashing visit unless allow_partial",
    )
    def create(self, request):
        data = SeriesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        doctor = booking_doctor(values.pop("doctor"))
        patient = booking_parties_patient(request.user, values.pop("patient", None))
        result = services.series_book(
            actor=request.user, doctor=doctor, patient=patient, request=request, **values
        )
        return Response(SeriesResultSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CancelSerializer,
        responses={200: AppointmentSerializer(many=True), **error_responses(409)},
        summary="Cancel the series' future visits",
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def cancel(self, request, pk=None):
        series = get_visible_or_404(self.get_queryset(), "No such series.", pk=pk)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cancelled = services.series_cancel(
            actor=request.user, series=series, request=request, **data.validated_data
        )
        return Response(AppointmentSerializer(cancelled, many=True).data)


class CalendarFeedView(APIView):
    """Your secret calendar address (subscribe to it in any calendar app); rotate it if it
    leaked, and the old address stops working."""

    # One address per user: a plain view, so that the schema shows an object, not a list.
    @extend_schema(responses={200: FeedSerializer}, summary="My calendar feed address")
    def get(self, request):
        return Response({"url": calendars.feed_url(calendars.feed_for(request.user))})


class CalendarFeedRotateView(APIView):
    """Your secret calendar address (subscribe to it in any calendar app); rotate it if it
    leaked, and the old address stops working."""

    @extend_schema(request=None, responses={200: FeedSerializer}, summary="Rotate the address")
    def post(self, request):
        return Response({"url": calendars.feed_url(calendars.feed_rotate(request.user))})


class WaitlistViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The waitlist: a patient's own entries, a doctor's (entries waiting for them by name),
    every entry for staff. When a booked slot is freed, the oldest entry it fits is offered it
    (see /waitlist/offers/). DELETE takes an entry off the waitlist."""

    serializer_class = WaitlistEntrySerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "latest_date"]

    def get_queryset(self):
        return selectors.waitlist_entry_list(actor=self.request.user)

    def get_object(self, access: Access = Access.VIEW):
        return selectors.waitlist_entry_get(
            actor=self.request.user, entry_id=self.kwargs["pk"], access=access
        )

    @extend_schema(
        request=WaitlistJoinSerializer,
        responses={201: WaitlistEntrySerializer, **error_responses(403, 404, 409)},
        summary="Join a waitlist for a doctor or a specialty",
    )
    def create(self, request, *args, **kwargs):
        data = WaitlistJoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        patient = booking_parties_patient(request.user, values.pop("patient", None))
        doctor_id = values.pop("doctor", None)
        slug = values.pop("specialization", None)
        entry = services.waitlist_join(
            actor=request.user,
            patient=patient,
            doctor=booking_doctor(doctor_id) if doctor_id is not None else None,
            specialization=_specialization(slug) if slug is not None else None,
            request=request,
            **values,
        )
        return Response(WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **error_responses(403, 404, 409)})
    def destroy(self, request, *args, **kwargs):
        services.waitlist_leave(
            actor=request.user, entry=self.get_object(Access.ACT), request=request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _specialization(slug: str) -> Specialization:
    found = specialization_list().filter(slug=slug).first()
    if found is None:
        raise ValidationError({"specialization": ["No such specialization."]})
    return found


class WaitlistOfferViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Freed slots offered from the waitlist. While an offer is open its slot is held for the
    patient (nobody else can book it) until `expires_at`; then it goes to the next entry."""

    serializer_class = WaitlistOfferSerializer
    filterset_fields = ["state"]
    ordering_fields = ["created_at", "start"]

    def get_queryset(self):
        return selectors.waitlist_offer_list(actor=self.request.user)

    def get_object(self, access: Access = Access.VIEW):
        return selectors.waitlist_offer_get(
            actor=self.request.user, offer_id=self.kwargs["pk"], access=access
        )

    @extend_schema(
        request=None,
        responses={201: AppointmentSerializer, **error_responses(403, 404, 409)},
        summary="Book the offered slot (409 offer_expired once the hold has run out)",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        appointment = services.waitlist_offer_accept(
            actor=request.user, offer=self.get_object(Access.ACT), request=request
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: WaitlistOfferSerializer, **error_responses(403, 404, 409)},
        summary="Turn the offer down; the slot goes to the next entry",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = services.waitlist_offer_decline(
            actor=request.user, offer=self.get_object(Access.ACT), request=request
        )
        return Response(WaitlistOfferSerializer(offer).data)
