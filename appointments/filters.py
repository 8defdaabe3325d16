import django_filters

from appointments.models import Appointment, Status
from core.filters import SafeIsoDateTimeFilter


class AppointmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    doctor = django_filters.UUIDFilter(field_name="doctor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    start_after = SafeIsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = SafeIsoDateTimeFilter(field_name="start", lookup_expr="lt")
    date_from = django_filters.DateFilter(field_name="start", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="start", lookup_expr="date__lte")

    class Meta:
        model = Appointment
        fields: list[str] = []
