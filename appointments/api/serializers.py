from rest_framework import serializers

from appointments.models import Appointment, WaitlistEntry, WaitlistOffer
from core.api.fields import AwareDateTimeField, WallClockTimeField
from core.api.strict import StrictSerializer


class AppointmentSerializer(serializers.ModelSerializer):
    doctor_name = serializers.CharField(source="doctor.user.full_name", read_only=True)
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)
    rescheduled_from = serializers.UUIDField(
        source="rescheduled_from_id",
        read_only=True,
        allow_null=True,
        help_text="The appointment this one replaced; null unless it was rescheduled.",
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "doctor",
            "doctor_name",
            "patient",
            "patient_name",
            "start",
            "end",
            "status",
            "reason",
            "notes",
            "booked_by",
            "off_grid_reason",
            "cancelled_by",
            "cancellation_reason",
            "cancelled_at",
            "rescheduled_from",
            "series",
            "created_at",
        ]
        read_only_fields = fields


class BookingSerializer(serializers.Serializer):
    doctor = serializers.UUIDField()
    start = AwareDateTimeField(help_text="Must be the start of a free slot (see the slots).")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    patient = serializers.UUIDField(
        required=False, help_text="The patient record; patients may leave it out."
    )
    off_grid_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Staff only: book outside the published slots, saying why.",
    )
    duration_minutes = serializers.IntegerField(
        required=False, help_text="Staff, off the slots only: 5 to 480 minutes."
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RescheduleSerializer(serializers.Serializer):
    start = AwareDateTimeField()


class SeriesSerializer(serializers.Serializer):
    doctor = serializers.UUIDField()
    patient = serializers.UUIDField(required=False)
    start = AwareDateTimeField(help_text="The first visit; the others keep its weekday and time.")
    every_weeks = serializers.IntegerField(default=1, help_text="1 to 12")
    count = serializers.IntegerField(required=False, help_text="2 to 52 visits")
    until = serializers.DateField(required=False, help_text="Last date a visit may fall on.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    allow_partial = serializers.BooleanField(
        default=False, help_text="Book the free visits and report the rest."
    )


class SeriesConflictSerializer(serializers.Serializer):
    start = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class SeriesResultSerializer(serializers.Serializer):
    series = serializers.UUIDField(source="series.pk")
    booked = AppointmentSerializer(many=True)
    conflicts = SeriesConflictSerializer(many=True)


class FeedSerializer(serializers.Serializer):
    url = serializers.URLField()


class WaitlistEntrySerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)
    doctor_name = serializers.CharField(
        source="doctor.user.full_name", read_only=True, allow_null=True, default=None
    )
    specialization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    earliest_time = WallClockTimeField(read_only=True, allow_null=True)
    latest_time = WallClockTimeField(read_only=True, allow_null=True)

    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "patient",
            "patient_name",
            "doctor",
            "doctor_name",
            "specialization",
            "earliest_date",
            "latest_date",
            "weekdays",
            "earliest_time",
            "latest_time",
            "note",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class WaitlistJoinSerializer(StrictSerializer):
    doctor = serializers.UUIDField(
        required=False, help_text="Wait for this doctor (or give a specialization)."
    )
    specialization = serializers.SlugField(
        required=False, max_length=100, help_text="Wait for any doctor of this specialty."
    )
    patient = serializers.UUIDField(
        required=False, help_text="The patient record; patients may leave it out."
    )
    earliest_date = serializers.DateField(help_text="The doctor's local date.")
    latest_date = serializers.DateField(help_text="At most 180 days after the first.")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
        help_text="0 = Monday ... 6 = Sunday; empty or left out: any day.",
    )
    earliest_time = WallClockTimeField(
        required=False, help_text="HH:MM on the doctor's clock (no offset)."
    )
    latest_time = WallClockTimeField(
        required=False, help_text="HH:MM on the doctor's clock: the visit ends by then."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WaitlistOfferSerializer(serializers.ModelSerializer):
    doctor_name = serializers.CharField(source="doctor.user.full_name", read_only=True)
    appointment = serializers.UUIDField(source="appointment_id", read_only=True, allow_null=True)

    class Meta:
        model = WaitlistOffer
        fields = [
            "id",
            "entry",
            "patient",
            "doctor",
            "doctor_name",
            "start",
            "end",
            "expires_at",
            "state",
            "decided_at",
            "appointment",
            "created_at",
        ]
        read_only_fields = fields
