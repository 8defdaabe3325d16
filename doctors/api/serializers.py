from rest_framework import serializers

from core.api.fields import AwareDateTimeField, WallClockTimeField
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
from doctors.selectors import MAX_SLOT_RANGE_DAYS
from doctors.services import DOCTOR_FIELDS


class SpecializationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["id", "name", "slug"]


class DoctorSerializer(serializers.ModelSerializer):
    """The public face of a doctor in the directory."""

    full_name = serializers.CharField(source="user.full_name", read_only=True)
    specializations = SpecializationSerializer(many=True, read_only=True)

    class Meta:
        model = Doctor
        fields = ["id", "full_name", "specializations", *DOCTOR_FIELDS]
        read_only_fields = fields


class DoctorWriteSerializer(serializers.ModelSerializer):
    specializations = serializers.ListField(
        child=serializers.SlugField(max_length=100), required=False, max_length=30
    )

    class Meta:
        model = Doctor
        fields = ["specializations", *DOCTOR_FIELDS]
        extra_kwargs = {"license_number": {"validators": []}}  # uniqueness: the service


class DoctorCreateSerializer(DoctorWriteSerializer):
    user = serializers.UUIDField(help_text="An account with the doctor role and no profile yet.")

    class Meta(DoctorWriteSerializer.Meta):
        fields = ["user", *DoctorWriteSerializer.Meta.fields]


class AvailabilityWindowSerializer(serializers.ModelSerializer):
    start_time = WallClockTimeField(help_text="HH:MM:SS on the doctor's clock (no offset).")
    end_time = WallClockTimeField(help_text="HH:MM:SS on the doctor's clock, after start_time.")

    class Meta:
        model = AvailabilityWindow
        fields = [
            "id",
            "weekday",
            "start_time",
            "end_time",
            "slot_minutes",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = ["id"]
        validators: list = []  # the service checks order and overlaps, and names the clash


class TimeOffSerializer(serializers.ModelSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "reason"]
        read_only_fields = ["id"]
        validators: list = []


class TimeOffConflictSerializer(serializers.Serializer):
    appointment = serializers.UUIDField()
    start = serializers.CharField()
    end = serializers.CharField()
    status = serializers.CharField()
    patient_name = serializers.CharField()


class TimeOffCreatedSerializer(TimeOffSerializer):
    conflicts = TimeOffConflictSerializer(
        many=True,
        read_only=True,
        help_text="Appointments inside this time off. They are not cancelled: resolve them.",
    )

    class Meta(TimeOffSerializer.Meta):
        fields = [*TimeOffSerializer.Meta.fields, "conflicts"]


class SlotQuerySerializer(serializers.Serializer):
    # The limits are slot_range_check's; written here so that a client knows them.
    start = serializers.DateField(
        help_text="First local date (YYYY-MM-DD): from yesterday up to two years ahead."
    )
    end = serializers.DateField(
        help_text=(
            "Last local date, inclusive (YYYY-MM-DD): not before start, and the range covers "
            f"at most {MAX_SLOT_RANGE_DAYS} days (both ends included), up to two years ahead."
        )
    )
    tz = serializers.CharField(
        required=False, max_length=64, help_text="Also show each slot in this IANA time zone."
    )


class SlotSerializer(serializers.Serializer):
    """ISO 8601 strings: UTC, the doctor's wall clock, and (with `tz`) the viewer's."""

    start = serializers.CharField(help_text="UTC, e.g. 2026-03-09T08:00:00+00:00")
    end = serializers.CharField(help_text="UTC")
    doctor_local_start = serializers.CharField(help_text="In the doctor's time zone")
    doctor_local_end = serializers.CharField()
    viewer_local_start = serializers.CharField(required=False, help_text="In `tz`, if given")
    viewer_local_end = serializers.CharField(required=False)


class SlotSearchQuerySerializer(SlotQuerySerializer):
    specialization = serializers.SlugField(max_length=100, help_text="A specialization slug.")
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


class DoctorBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()


class FoundSlotSerializer(SlotSerializer):
    doctor = DoctorBriefSerializer()
