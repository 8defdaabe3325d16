import django_filters

from core.models import AuditAction, AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.UUIDFilter(field_name="actor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    action = django_filters.MultipleChoiceFilter(choices=AuditAction.choices)
    resource_type = django_filters.CharFilter()
    resource_id = django_filters.CharFilter()
    at_after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields: list[str] = []
