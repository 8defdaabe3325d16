import django_filters

from core.filters import LocalDateFilter
from prescriptions.models import Prescription, PrescriptionStatus


class PrescriptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PrescriptionStatus.choices)
    patient = django_filters.UUIDFilter(field_name="patient_id")
    date_from = LocalDateFilter(field_name="issued_at", bound="first")
    date_to = LocalDateFilter(field_name="issued_at", bound="last")

    class Meta:
        model = Prescription
        fields = ["status", "patient", "date_from", "date_to"]
