from rest_framework import serializers

from core.models import AuditEvent, Channel, Notification, NotificationKind


class AuditEventSerializer(serializers.ModelSerializer):
    # Null for events without an actor (the system) or without a patient's data.
    actor_email = serializers.EmailField(
        source="actor.email", read_only=True, default=None, allow_null=True
    )
    patient_email = serializers.EmailField(
        source="patient.email", read_only=True, default=None, allow_null=True
    )

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


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    enabled = serializers.BooleanField()


class TemplateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    channel = serializers.CharField()
    name = serializers.CharField()
    source = serializers.CharField()
