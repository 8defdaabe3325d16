import django_filters

from appointments.models import Appointment, Status


class AppointmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    doctor = django_filters.UUIDFilter(field_name="doctor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    start_after = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")
    date_from = django_filters.DateFilter(field_name="start", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="start", lookup_expr="date__lte")

    class Meta:
        model = Appointment
        fields: list[str] = []
