from rest_framework import serializers

from appointments.models import Appointment
from core.api.fields import AwareDateTimeField


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
