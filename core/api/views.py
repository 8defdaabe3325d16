from django.db.models import Model
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.fields import IntegerField
from rest_framework.response import Response

from core import notifications
from core.api.serializers import (
    AuditEventSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    TemplateSerializer,
)
from core.filters import AuditEventFilter, NotificationFilter
from core.lookups import get_visible_or_404
from core.models import Notification
from core.pagination import PageNumberPagination
from core.permissions import IsAdministrator, IsClinicStaff
from core.selectors import audit_event_list


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log: read-only, for clinic administrators."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAdministrator]
    filterset_class = AuditEventFilter
    ordering_fields = ["at", "action", "resource_type"]

    def get_queryset(self):
        return audit_event_list()


class NotificationPagination(PageNumberPagination):
    """Adds the user's unread count to every page."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = self.unread_count
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["unread_count"] = {
            "type": "integer",
            "description": "Your unread notifications, on every page.",
        }
        paginated["required"] = [*paginated["required"], "unread_count"]
        return paginated


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own notifications, newest first, with the unread count."""

    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    queryset = Notification.objects.none()  # the schema's model; requests use get_queryset

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at")

    def get_object(self) -> Model:  # a Notification, or the user (core imports no app)
        if "pk" not in self.kwargs:
            # The preferences: a PUT there replaces the user's own choices. (DRF's OPTIONS
            # asks each PUT route for its object; this one has no id.)
            return self.request.user
        return get_visible_or_404(
            self.get_queryset(), "No such notification.", pk=self.kwargs["pk"]
        )

    def list(self, request, *args, **kwargs):
        self.paginator.unread_count = self.get_queryset().filter(is_read=False).count()
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notifications.notification_read(
            user=request.user, notification=self.get_object()
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses={200: inline_serializer("ReadAll", {"marked": IntegerField()})}
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications.notifications_read_all(user=request.user)})

    @extend_schema(methods=["GET"], responses={200: PreferenceSerializer(many=True)})
    @extend_schema(
        methods=["PUT"],
        request=PreferenceSerializer(many=True),
        responses={200: PreferenceSerializer(many=True)},
        summary="Opt in or out per kind and channel (SMS needs a phone number)",
    )
    @action(
        detail=False,
        methods=["get", "put"],
        pagination_class=None,
        filter_backends=[],
        serializer_class=PreferenceSerializer,
    )
    def preferences(self, request):
        if request.method == "PUT":
            data = PreferenceSerializer(data=request.data, many=True)
            data.is_valid(raise_exception=True)
            chosen = notifications.preferences_set(user=request.user, choices=data.validated_data)
            return Response(chosen)
        return Response(notifications.preferences_for(request.user))

    @extend_schema(
        responses={200: TemplateSerializer(many=True)}, summary="Message templates (staff)"
    )
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[IsClinicStaff],
        pagination_class=None,
        filter_backends=[],
    )
    def templates(self, request):
        return Response(notifications.templates_list())
