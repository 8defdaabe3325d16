from datetime import UTC

import django_filters
from django import forms

from core.models import AuditAction, AuditEvent, Notification, NotificationKind


class SafeIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO datetime that must land inside the calendar once moved to UTC."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("This date is out of range.", code="out_of_range") from None


class SafeIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.UUIDFilter(field_name="actor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    action = django_filters.MultipleChoiceFilter(choices=AuditAction.choices)
    resource_type = django_filters.CharFilter()
    resource_id = django_filters.CharFilter()
    at_after = SafeIsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = SafeIsoDateTimeFilter(field_name="at", lookup_expr="lt")
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is an error rather than silently ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError("Use true or false.", code="invalid_boolean")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class NotificationFilter(django_filters.FilterSet):
    is_read = StrictBooleanFilter()
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices)

    class Meta:
        model = Notification
        fields: list[str] = []
