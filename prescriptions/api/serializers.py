from rest_framework import serializers

from appointments.api.serializers import AppointmentSerializer
from core.api.strict import StrictSerializer
from health_records.api.serializers import HealthRecordSerializer
from prescriptions.models import MedicationLine, Prescription, Route
from prescriptions.services import MAX_LINES


class AllergyFindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["conflict", "warning"])
    allergy = serializers.CharField()
    drug_class = serializers.CharField()
    message = serializers.CharField()


class MedicationLineSerializer(serializers.ModelSerializer):
    allergy_findings = AllergyFindingSerializer(many=True, read_only=True)

    class Meta:
        model = MedicationLine
        fields = [
            "drug_name", "strength", "form", "dose", "route", "frequency", "duration_days",
            "quantity", "refills", "instructions", "allergy_checked", "allergy_findings",
            "allergy_override_reason",
        ]  # fmt: skip
        read_only_fields = fields


class PrescriptionSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)
    doctor_name = serializers.CharField(source="doctor.user.full_name", read_only=True)
    lines = MedicationLineSerializer(many=True, read_only=True)

    class Meta:
        model = Prescription
        fields = [
            "id", "patient", "patient_name", "doctor", "doctor_name", "appointment", "status",
            "status_reason", "issued_at", "notes", "lines", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class MedicationLineInputSerializer(StrictSerializer):
    """Types only; the rules (required fields, ranges, the allergy check) are the service's."""

    drug_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    strength = serializers.CharField(max_length=64, required=False, allow_blank=True)
    form = serializers.CharField(max_length=64, required=False, allow_blank=True)
    dose = serializers.CharField(max_length=100, required=False, allow_blank=True)
    route = serializers.CharField(
        max_length=16, required=False, help_text=f"One of: {', '.join(Route.values)}"
    )
    frequency = serializers.CharField(max_length=100, required=False, allow_blank=True)
    duration_days = serializers.IntegerField(required=False, help_text="1 to 365")
    quantity = serializers.IntegerField(required=False, help_text="at least 1")
    refills = serializers.IntegerField(required=False, help_text="0 to 12")
    instructions = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    allergy_override_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Prescribe despite a recorded allergy to this drug or its class, saying why.",
    )


class PrescriptionCreateSerializer(StrictSerializer):
    patient = serializers.UUIDField()
    appointment = serializers.UUIDField(required=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lines = MedicationLineInputSerializer(many=True, max_length=MAX_LINES)


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


class ChartSummarySerializer(serializers.Serializer):
    patient = serializers.UUIDField(source="patient.pk")
    patient_name = serializers.CharField(source="patient.user.full_name")
    active_prescriptions = PrescriptionSerializer(many=True)
    allergies = HealthRecordSerializer(many=True)
    profile_allergies = serializers.CharField(help_text="The free-text list on the profile.")
    latest_vitals = HealthRecordSerializer(allow_null=True)
    active_diagnoses = HealthRecordSerializer(many=True)
    upcoming_appointments = AppointmentSerializer(many=True)
