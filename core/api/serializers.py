from rest_framework import serializers

from core.models import AuditEvent, Channel, Notification
from core.notifications import notification_kinds


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


class NotificationKindField(serializers.ChoiceField):
    """One of the registered notification kinds. The choices are read from the registry when
    used, not when the class is defined: apps register their kinds at start-up."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=(), **kwargs)

    @property
    def choices(self) -> dict[str, str]:
        return notification_kinds()

    @choices.setter
    def choices(self, value) -> None:
        pass  # the registry is the only source

    @property
    def grouped_choices(self) -> dict[str, str]:
        return self.choices

    @property
    def choice_strings_to_values(self) -> dict[str, str]:
        return {kind: kind for kind in self.choices}


class NotificationSerializer(serializers.ModelSerializer):
    kind = NotificationKindField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer):
    kind = NotificationKindField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    enabled = serializers.BooleanField()


class TemplateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    channel = serializers.CharField()
    name = serializers.CharField()
    source = serializers.CharField()
