from rest_framework import serializers

from core.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor_email = serializers.EmailField(source="actor.email", read_only=True, default=None)
    patient_email = serializers.EmailField(source="patient.email", read_only=True, default=None)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_email",
            "action",
            "resource_type",
            "resource_id",
            "patient",
            "patient_email",
            "ip",
            "user_agent",
            "request_id",
            "detail",
        ]
        read_only_fields = fields
