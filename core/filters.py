from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django_filters.constants import EMPTY_VALUES

from core.models import AuditAction, AuditEvent, Notification
from core.notifications import NotificationKindChoices
from core.timezones import zone_name_of


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


class LocalDateFilter(django_filters.DateFilter):
    """A calendar date in the caller's time zone (their profile's; a visitor's is the
    clinic's): `first` keeps what happens from that local midnight on, `last` what happens
    before the next one. A range on the column, so that its index serves it."""

    def __init__(self, *args, bound: str, **kwargs):
        assert bound in ("first", "last")
        self.bound = bound
        kwargs.setdefault("label", f"{bound.capitalize()} date (YYYY-MM-DD), in your time zone")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        request = getattr(self.parent, "request", None)
        zone = ZoneInfo(zone_name_of(getattr(request, "user", None)))
        lookup = "gte" if self.bound == "first" else "lt"
        try:
            day = value if self.bound == "first" else value + timedelta(days=1)
            moment = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
        except (OverflowError, ValueError):
            # Beyond the calendar: nothing is later than the last day, nothing before the first.
            return queryset if self.bound == "last" else queryset.none()
        return queryset.filter(**{f"{self.field_name}__{lookup}": moment})


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.UUIDFilter(field_name="actor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    action = django_filters.MultipleChoiceFilter(choices=AuditAction.choices)
    resource_type = django_filters.CharFilter()
    resource_id = django_filters.CharFilter()
    at_after = SafeIsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = SafeIsoDateTimeFilter(field_name="at", lookup_expr="lt")
    date_from = LocalDateFilter(field_name="at", bound="first")
    date_to = LocalDateFilter(field_name="at", bound="last")

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
    kind = django_filters.ChoiceFilter(choices=NotificationKindChoices())

    class Meta:
        model = Notification
        fields: list[str] = []
