from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import AwareDateTimeField
from core.api.strict import StrictSerializer
from health_records.models import Attachment, HealthRecord, RecordType
from health_records.schemas import NOTE_MAX_CHARS, SCHEMAS, shown_data

DATA_HELP = (
    "Depends on record_type. vital_signs: systolic_mmhg, diastolic_mmhg, heart_rate_bpm, "
    "temperature_c, spo2_percent, weight_kg, height_cm. lab_result: test_name, value, unit, "
    "reference_low, reference_high, loinc_code (the flag is computed). diagnosis: icd10_code, "
    "description, clinical_status, onset_date. allergy: substance, reaction, severity. "
    "immunization: vaccine, dose_number, date, lot. note: text (Markdown, at most "
    f"{NOTE_MAX_CHARS} characters)."
)


class HealthRecordSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="record_id", read_only=True, help_text="The record's id")
    version_id = serializers.UUIDField(source="pk", read_only=True)
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    data = serializers.SerializerMethodField(help_text=DATA_HELP)

    class Meta:
        model = HealthRecord
        fields = [
            "id",
            "version",
            "version_id",
            "patient",
            "patient_name",
            "author",
            "author_name",
            "record_type",
            "recorded_at",
            "data",
            "status",
            "reason",
            "appointment",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, record: HealthRecord) -> dict:
        return shown_data(record.record_type, record.data)


class HealthRecordCreateSerializer(StrictSerializer):
    patient = serializers.UUIDField()
    record_type = serializers.ChoiceField(choices=RecordType.choices)
    recorded_at = AwareDateTimeField(
        required=False, help_text="When it was measured; now if left out."
    )
    data = serializers.JSONField(help_text=DATA_HELP)
    appointment = serializers.UUIDField(required=False, help_text="The visit it belongs to.")


class HealthRecordAmendSerializer(StrictSerializer):
    data = serializers.JSONField(
        help_text="The fields that change; the others are kept, and null removes one. " + DATA_HELP
    )
    recorded_at = AwareDateTimeField(required=False)
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the record changes (required).",
    )


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(source="uploaded_by.full_name", read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id", "record_id", "filename", "content_type", "size", "uploaded_by",
            "uploaded_by_name", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PNG or JPEG, 10 MB at most by default")


class RetractSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


assert set(SCHEMAS) == set(RecordType.values)  # every type has its schema
