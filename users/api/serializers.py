from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainSerializer
from rest_framework_simplejwt.tokens import RefreshToken

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


class PasswordStepSerializer(TokenObtainSerializer):
    """Checks the e-mail and password (through authenticate, so under the lockout) and makes no
    token: the tokens come after the second step, where the account has one."""

    token_class = RefreshToken


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class OtpChallengeSerializer(serializers.Serializer):
    otp_required = serializers.BooleanField(
        help_text="Always true: the account signs in with a second step."
    )
    challenge = serializers.CharField(
        help_text="Send it with a code to /api/v1/auth/token/verify-otp/. It works for one "
        "sign-in, and stops working when it expires or the password changes."
    )
    expires_in = serializers.IntegerField(help_text="Seconds until the challenge expires.")


class OtpVerifySerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=1024, help_text="From /api/v1/auth/token/.")
    code = serializers.CharField(
        max_length=64,
        help_text="The 6-digit code the authenticator app shows now, or an unused recovery code.",
    )


class OtpTokenPairSerializer(TokenPairSerializer):
    recovery_code_used = serializers.BooleanField(
        help_text="True when a recovery code signed in: it is spent now."
    )
    recovery_codes_left = serializers.IntegerField(help_text="Unused recovery codes.")


class OtpStatusSerializer(serializers.Serializer):
    available = serializers.BooleanField(help_text="The account's role may enrol.")
    required = serializers.BooleanField(help_text="The account's role must sign in with two steps.")
    enrolled = serializers.BooleanField()
    enrolled_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    recovery_codes_left = serializers.IntegerField()
    enrolment_pending = serializers.BooleanField(
        help_text="An enrolment was started and waits for its first code."
    )


class OtpEnrolmentSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The TOTP secret in base32, to type into the app.")
    otpauth_uri = serializers.CharField(help_text="The same secret as an otpauth:// link.")
    qr_svg = serializers.CharField(help_text="The link as a QR code, in SVG markup.")


class CurrentPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, help_text="The account's current password."
    )


class OtpCodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64, help_text="The 6-digit code the new authenticator app shows now."
    )


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="Ten single-use codes, shown this once: only their hashes are kept.",
    )


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
