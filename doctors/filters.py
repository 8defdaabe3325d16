import django_filters
from django.db.models import Q
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend

from core.filters import StrictBooleanFilter
from doctors.selectors import BusyLoader, doctor_ids_available_on


class DoctorFilter(django_filters.FilterSet):
    """The directory's filters. `busy` is the time bookings hold, passed in by the view."""

    specialization = django_filters.CharFilter(
        field_name="specializations__slug", label="Specialization slug", distinct=True
    )
    search = django_filters.CharFilter(method="filter_search", label="Name or specialty contains")
    accepting_new_patients = StrictBooleanFilter()
    # Declared last: it computes slots for the doctors the other filters left.
    available_on = django_filters.DateFilter(
        method="filter_available_on", label="Has a free slot on this date (YYYY-MM-DD)"
    )

    def __init__(self, *args, busy: BusyLoader | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.busy = busy

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value) | Q(specializations__name__icontains=value)
        ).distinct()

    def filter_available_on(self, queryset, name, value):
        ids = doctor_ids_available_on(
            doctors=list(queryset), day=value, now=timezone.now(), busy=self.busy
        )
        return queryset.filter(pk__in=ids)


class BusyAwareFilterBackend(DjangoFilterBackend):
    """Hands the view's busy loader to its filterset (for `available_on`)."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "busy": view.busy}
