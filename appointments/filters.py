import django_filters

from appointments.models import Appointment, Status
from core.filters import SafeIsoDateTimeFilter


class AppointmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    doctor = django_filters.UUIDFilter(field_name="doctor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    start_after = SafeIsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = SafeIsoDateTimeFilter(field_name="start", lookup_expr="lt")
    # Calendar dates in UTC; for a local day, use start_after/start_before with an offset.
    date_from = django_filters.DateFilter(
        field_name="start", lookup_expr="date__gte", label="First UTC date (YYYY-MM-DD)"
    )
    date_to = django_filters.DateFilter(
        field_name="start", lookup_expr="date__lte", label="Last UTC date (YYYY-MM-DD)"
    )

    class Meta:
        model = Appointment
        fields: list[str] = []
