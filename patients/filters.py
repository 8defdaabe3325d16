import django_filters
from django.db.models import Q

from core.filters import StrictBooleanFilter
from patients.models import CareAssignment


class PatientFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Name or e-mail contains")

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value) | Q(user__email__icontains=value)
        )


class CareAssignmentFilter(django_filters.FilterSet):
    doctor = django_filters.UUIDFilter(field_name="doctor_id")
    patient = django_filters.UUIDFilter(field_name="patient_id")
    active = StrictBooleanFilter()

    class Meta:
        model = CareAssignment
        fields: list[str] = []
