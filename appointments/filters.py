import django_filters

from appointments.models import Appointment, Status
from core.filters import LocalDateFilter, SafeIsoDateTimeFilter


class AppointmentFilter(django_filters.FilterSet):
    # A column of the row itself: no join can repeat a row, so no DISTINCT (which would make
    # the database read and de-duplicate every matching row before the page's 50).
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    doctor = django_filters.UUIDFilter(field_name="doctor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    start_after = SafeIsoDateTimeFilter(field_name="start", lookup_expr="gte")
    start_before = SafeIsoDateTimeFilter(field_name="start", lookup_expr="lt")
    # Calendar dates in the caller's own time zone (their profile's), as their diary has them.
    date_from = LocalDateFilter(field_name="start", bound="first")
    date_to = LocalDateFilter(field_name="start", bound="last")

    class Meta:
        model = Appointment
        fields: list[str] = []
