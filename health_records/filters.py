import django_filters

from core.filters import LocalDateFilter
from health_records.models import HealthRecord, RecordStatus, RecordType


class HealthRecordFilter(django_filters.FilterSet):
    record_type = django_filters.ChoiceFilter(choices=RecordType.choices)
    # Retracted records are listed only when asked for; amended versions are in the history.
    status = django_filters.ChoiceFilter(
        choices=[
            (RecordStatus.FINAL, RecordStatus.FINAL.label),
            (RecordStatus.ENTERED_IN_ERROR, RecordStatus.ENTERED_IN_ERROR.label),
        ],
        method="filter_status",
    )
    patient = django_filters.UUIDFilter(field_name="patient_id")
    date_from = LocalDateFilter(field_name="recorded_at", bound="first")
    date_to = LocalDateFilter(field_name="recorded_at", bound="last")

    class Meta:
        model = HealthRecord
        fields = ["record_type", "status", "patient", "date_from", "date_to"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=RecordStatus.FINAL)
        return super().filter_queryset(queryset)
