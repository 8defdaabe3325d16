from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime that must carry its offset: a naive time is ambiguous in a clinic
    that spans time zones, so it is refused rather than guessed."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, e.g. 2026-03-09T09:00:00+01:00 or ...Z.",
    }

    def to_internal_value(self, value) -> datetime:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # well-formed but impossible: the parent explains
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
        "example": "09:00:00",
        "description": "A local wall-clock time, HH:MM:SS (HH:MM is accepted), no offset.",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A time of day on a local clock (a doctor's weekly hours). It has no offset, so the
    schema gives its pattern rather than OpenAPI's `time` format (RFC 3339, which needs one)."""
