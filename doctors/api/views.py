import zoneinfo

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.timezones import is_known_timezone
from doctors import selectors, services
from doctors.api.serializers import (
    AvailabilityWindowSerializer,
    DoctorCreateSerializer,
    DoctorSerializer,
    DoctorWriteSerializer,
    FoundSlotSerializer,
    SlotQuerySerializer,
    SlotSearchQuerySerializer,
    SlotSerializer,
    SpecializationSerializer,
    TimeOffCreatedSerializer,
    TimeOffSerializer,
)
from doctors.filters import BusyAwareFilterBackend, DoctorFilter
from doctors.models import AvailabilityWindow, TimeOff
from doctors.permissions import can_manage_doctor
from doctors.selectors import BusyLoader
from users.models import User
from users.permissions import IsStaffOrAdmin

WINDOW_ID = OpenApiParameter("window_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
TIME_OFF_ID = OpenApiParameter("time_off_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class SpecializationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpecializationSerializer
    permission_classes = [AllowAny]
    pagination_class = None  # a short reference list
    filterset_fields: list[str] = []
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.specialization_list()


class DoctorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The doctor directory (public), doctors' profiles, weekly availability, time off and
    free slots."""

    serializer_class = DoctorSerializer
    filterset_class = DoctorFilter
    filter_backends = [BusyAwareFilterBackend, OrderingFilter]
    # The time bookings hold, passed in where the URLs are composed (doctors.api.urls).
    busy: BusyLoader | None = None
    ordering_fields = ["user__full_name", "years_of_experience"]
    # No PUT (partial changes only) and no DELETE (deactivate the account instead); the
    # availability and time-off sub-resources take DELETE through their own actions.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.doctor_list()

    def get_permissions(self):
        if self.action in ("list", "retrieve", "slots", "availability") and (
            self.request.method == "GET"
        ):
            return [AllowAny()]
        if self.action == "create":
            return [IsStaffOrAdmin()]
        return [IsAuthenticated()]

    def _doctor_to_manage(self):
        doctor = self.get_object()
        if not can_manage_doctor(self.request.user, doctor):
            raise PermissionDenied("Only the doctor themself or clinic staff can do this.")
        return doctor

    @extend_schema(request=DoctorCreateSerializer, responses={201: DoctorSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DoctorCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = User.objects.filter(pk=data.pop("user")).first()
        if user is None:
            raise ValidationError({"user": ["No such account."]})
        doctor = services.doctor_create(actor=request.user, user=user, **data)
        doctor = self.get_queryset().get(pk=doctor.pk)
        return Response(DoctorSerializer(doctor).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DoctorWriteSerializer, responses={200: DoctorSerializer})
    def partial_update(self, request, *args, **kwargs):
        doctor = self._doctor_to_manage()
        serializer = DoctorWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.doctor_update(actor=request.user, doctor=doctor, data=serializer.validated_data)
        return Response(DoctorSerializer(self.get_queryset().get(pk=doctor.pk)).data)

    # --- weekly availability ---------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses={200: AvailabilityWindowSerializer(many=True)},
        summary="The doctor's weekly windows (public)",
    )
    @extend_schema(
        methods=["POST"],
        request=AvailabilityWindowSerializer,
        responses={201: AvailabilityWindowSerializer},
        summary="Add a weekly window",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def availability(self, request, pk=None):
        if request.method == "GET":
            doctor = self.get_object()
            rows = selectors.availability_list(doctor=doctor)
            return Response(AvailabilityWindowSerializer(rows, many=True).data)
        doctor = self._doctor_to_manage()
        serializer = AvailabilityWindowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        window = services.availability_create(
            actor=request.user, doctor=doctor, **serializer.validated_data
        )
        return Response(AvailabilityWindowSerializer(window).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        request=AvailabilityWindowSerializer,
        responses={200: AvailabilityWindowSerializer},
        summary="Change a weekly window",
        parameters=[WINDOW_ID],
    )
    @extend_schema(
        methods=["DELETE"],
        responses={204: None},
        summary="Remove a weekly window",
        parameters=[WINDOW_ID],
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"availability/(?P<window_id>[^/.]+)",
    )
    def availability_window(self, request, pk=None, window_id=None):
        doctor = self._doctor_to_manage()
        window = _get_child(AvailabilityWindow, doctor=doctor, pk=window_id)
        if request.method == "DELETE":
            services.availability_delete(actor=request.user, window=window)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = AvailabilityWindowSerializer(window, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        window = services.availability_update(
            actor=request.user, window=window, data=serializer.validated_data
        )
        return Response(AvailabilityWindowSerializer(window).data)

    # --- time off --------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        responses={200: TimeOffSerializer(many=True)},
        summary="The doctor's time off (the doctor and staff)",
    )
    @extend_schema(
        methods=["POST"],
        request=TimeOffSerializer,
        responses={201: TimeOffCreatedSerializer},
        summary="Add time off; bookings inside it are listed as conflicts, not cancelled",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="time-off",
        pagination_class=None,
        filter_backends=[],
    )
    def time_off(self, request, pk=None):
        doctor = self._doctor_to_manage()
        if request.method == "GET":
            rows = selectors.time_off_list(doctor=doctor)
            return Response(TimeOffSerializer(rows, many=True).data)
        serializer = TimeOffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        time_off = services.time_off_create(
            actor=request.user, doctor=doctor, **serializer.validated_data
        )
        time_off.conflicts = selectors.schedule_conflicts(doctor.pk, time_off.start, time_off.end)
        return Response(TimeOffCreatedSerializer(time_off).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["DELETE"],
        responses={204: None},
        summary="Remove time off",
        parameters=[TIME_OFF_ID],
    )
    @action(detail=True, methods=["delete"], url_path=r"time-off/(?P<time_off_id>[^/.]+)")
    def time_off_item(self, request, pk=None, time_off_id=None):
        doctor = self._doctor_to_manage()
        time_off = _get_child(TimeOff, doctor=doctor, pk=time_off_id)
        services.time_off_delete(actor=request.user, time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- free slots --------------------------------------------------------------------------

    @extend_schema(
        parameters=[SlotQuerySerializer],
        responses={200: SlotSerializer(many=True)},
        summary="Free slots over local dates start..end (at most 62 days)",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        # The doctor's terms and timetable come from the schedule cache (no query when warm);
        # an unknown or inactive doctor is a 404 before anything else, as in the directory.
        doctor = selectors.doctor_schedule_get(pk)
        if doctor is None:
            raise Http404
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first_day, last_day = query.validated_data["start"], query.validated_data["end"]
        selectors.slot_range_check(first_day, last_day)
        viewer_zone = _zone_or_400(query.validated_data.get("tz"))
        free = selectors.doctor_free_slots(
            doctor=doctor,
            first_day=first_day,
            last_day=last_day,
            now=timezone.now(),
            busy=self.busy,
        )
        doctor_zone = zoneinfo.ZoneInfo(doctor.terms.timezone)
        return Response(
            [
                selectors.slot_view(slot, doctor_zone=doctor_zone, viewer_zone=viewer_zone)
                for slot in free
            ]
        )


def _get_child(model, *, doctor, pk):
    return get_object_or_404(model.objects.all(), doctor=doctor, pk=pk)


def _zone_or_400(name: str | None):
    if not name:
        return None
    if not is_known_timezone(name):
        raise ValidationError({"tz": [f"'{name}' is not a known IANA time zone."]})
    return zoneinfo.ZoneInfo(name)


class SlotSearchView(APIView):
    """The earliest free slots across all the doctors of a specialty, each with its doctor."""

    permission_classes = [AllowAny]
    busy: BusyLoader | None = None  # passed in by doctors.api.urls

    @extend_schema(
        parameters=[SlotSearchQuerySerializer],
        responses={200: FoundSlotSerializer(many=True)},
        summary="Earliest free slots of a specialty, across doctors",
    )
    def get(self, request):
        query = SlotSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        selectors.slot_range_check(values["start"], values["end"])
        viewer_zone = _zone_or_400(values.get("tz"))
        doctors = selectors.doctors_to_search(specialization=values["specialization"])
        if (
            not doctors
            and not selectors.specialization_list().filter(slug=values["specialization"]).exists()
        ):
            raise ValidationError({"specialization": ["No such specialization."]})
        found = selectors.earliest_free_slots(
            doctors=doctors,
            first_day=values["start"],
            last_day=values["end"],
            now=timezone.now(),
            limit=values["limit"],
            busy=self.busy,
        )
        return Response(
            [
                {
                    "doctor": {"id": str(doctor.pk), "full_name": doctor.user.full_name},
                    **selectors.slot_view(
                        slot,
                        doctor_zone=zoneinfo.ZoneInfo(doctor.timezone),
                        viewer_zone=viewer_zone,
                    ),
                }
                for doctor, slot in found
            ]
        )
