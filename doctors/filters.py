import django_filters
from django.db.models import Q
from django.utils import timezone

from core.filters import StrictBooleanFilter
from doctors.selectors import doctor_ids_available_on


class DoctorFilter(django_filters.FilterSet):
    specialization = django_filters.CharFilter(
        field_name="specializations__slug", label="Specialization slug", distinct=True
    )
    search = django_filters.CharFilter(method="filter_search", label="Name or specialty contains")
    accepting_new_patients = StrictBooleanFilter()
    # Declared last: it computes slots for the doctors the other filters left.
    available_on = django_filters.DateFilter(
        method="filter_available_on", label="Has a free slot on this date (YYYY-MM-DD)"
    )

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value) | Q(specializations__name__icontains=value)
        ).distinct()

    def filter_available_on(self, queryset, name, value):
        ids = doctor_ids_available_on(doctors=list(queryset), day=value, now=timezone.now())
        return queryset.filter(pk__in=ids)
