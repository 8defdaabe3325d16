from rest_framework import serializers

from patients.models import CareAssignment, Patient, Sex
from patients.services import PROFILE_FIELDS
from users.api.serializers import RegisterSerializer


class InsuranceSerializer(serializers.Serializer):
    provider = serializers.CharField(max_length=100, required=False, allow_blank=True)
    member_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    group_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PatientSerializer(serializers.ModelSerializer):
    user = serializers.UUIDField(source="user_id", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    phone = serializers.CharField(source="user.phone", read_only=True)
    insurance = InsuranceSerializer(read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "user",
            "full_name",
            "email",
            "phone",
            *PROFILE_FIELDS,
            "created_at",
        ]
        read_only_fields = fields


class PatientUpdateSerializer(serializers.ModelSerializer):
    insurance = serializers.JSONField(
        required=False,
        help_text="An object with provider, member_id and group_number (text, each optional).",
    )

    class Meta:
        model = Patient
        fields = [
            *PROFILE_FIELDS,
        ]

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field cannot be changed here."] for name in sorted(unknown)}
            )
        return attrs


class PatientRegisterSerializer(RegisterSerializer):
    """Self-registration: an account with the patient role, and its patient record. The
    record's fields are checked by the patients service, as at every other door."""

    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)

    PROFILE_FIELDS = ("date_of_birth", "sex")


class PatientCreateSerializer(PatientUpdateSerializer):
    """Staff register a patient at the desk; without a password the patient is e-mailed a link."""

    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    timezone = serializers.CharField(
        max_length=64, required=False, default="", help_text="IANA zone; the clinic's if left out."
    )
    password = serializers.CharField(
        max_length=128, required=False, write_only=True, trim_whitespace=False
    )

    class Meta(PatientUpdateSerializer.Meta):
        fields = [
            "email",
            "full_name",
            "phone",
            "timezone",
            "password",
            *PatientUpdateSerializer.Meta.fields,
        ]


ACCOUNT_FIELDS = ("email", "full_name", "phone", "timezone", "password")


class CareAssignmentSerializer(serializers.ModelSerializer):
    doctor_name = serializers.CharField(source="doctor.user.full_name", read_only=True)
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)

    class Meta:
        model = CareAssignment
        fields = [
            "id",
            "doctor",
            "doctor_name",
            "patient",
            "patient_name",
            "active",
            "started_at",
            "ended_at",
            "note",
        ]
        read_only_fields = fields


class CareAssignmentCreateSerializer(serializers.Serializer):
    doctor = serializers.UUIDField()
    patient = serializers.UUIDField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AccessLogQuerySerializer(serializers.Serializer):
    include_own = serializers.BooleanField(
        required=False, default=False, help_text="Also list what you did yourself."
    )


class AccessLogEntrySerializer(serializers.Serializer):
    """One access to the patient's data, as the patient sees it: who (name and role), when,
    what they did and to what. Addresses and devices of clinic staff are not shown."""

    at = serializers.DateTimeField()
    actor_name = serializers.SerializerMethodField()
    actor_role = serializers.SerializerMethodField()
    action = serializers.CharField()
    resource_type = serializers.CharField()
    resource_id = serializers.CharField()
    what = serializers.SerializerMethodField(help_text="The resource, in words")

    def get_actor_name(self, event) -> str:
        return event.actor.full_name if event.actor else "The clinic's system"

    def get_actor_role(self, event) -> str:
        return event.actor.effective_role if event.actor else "system"

    def get_what(self, event) -> str:
        return event.resource_type.replace("_", " ").capitalize()
