from rest_framework import serializers

from users.models import Role, StaffProfile, User


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "phone",
            "role",
            "timezone",
            "is_active",
            "email_verified",
            "date_joined",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    timezone = serializers.CharField(
        max_length=64, required=False, default="", help_text="IANA zone; the clinic's if left out."
    )
    role = serializers.ChoiceField(
        choices=Role.choices,
        required=False,
        default=Role.PATIENT,
        help_text="Self-registration always creates a patient account; other roles are refused.",
    )


class UserCreateSerializer(serializers.Serializer):
    """Staff, doctor and admin accounts. Patients are registered at /api/v1/patients/, which
    also opens their patient record."""

    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    timezone = serializers.CharField(
        max_length=64, required=False, default="", help_text="IANA zone; the clinic's if left out."
    )
    password = serializers.CharField(
        max_length=128,
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="Optional: without it the user is e-mailed a link to choose one.",
    )


class MeUpdateSerializer(serializers.Serializer):
    """Parses the profile fields; which fields a user may change is the service's rule."""

    full_name = serializers.CharField(max_length=150, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, required=False)


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class LoginSerializer(serializers.Serializer):
    """Documents the token endpoint's body."""

    email = serializers.EmailField()
    password = serializers.CharField(write_only=True)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StaffProfileSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = StaffProfile
        fields = ["id", "user", "department", "position", "hire_date", "status"]
        read_only_fields = ["id", "user"]
