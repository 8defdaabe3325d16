import django_filters
from django.db.models import Q

from core.filters import StrictBooleanFilter
from users.models import Role, User


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    active = StrictBooleanFilter(field_name="is_active")
    search = django_filters.CharFilter(method="filter_search", label="Name or e-mail contains")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
