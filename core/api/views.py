from rest_framework import viewsets

from core.api.serializers import AuditEventSerializer
from core.filters import AuditEventFilter
from core.permissions import IsAdministrator
from core.selectors import audit_event_list


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log: read-only, for clinic administrators."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAdministrator]
    filterset_class = AuditEventFilter
    ordering_fields = ["at", "action", "resource_type"]

    def get_queryset(self):
        return audit_event_list()
