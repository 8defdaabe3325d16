"""One schema per record type, in one place: what `data` holds, its units and its plausible
ranges. Unknown keys are refused, so a typo never passes silently; derived values (a lab
result's flag) are computed here and never typed in."""

import re
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from core.api.strict import StrictSerializer
from core.exceptions import ValidationFailed
from core.markdown import render_markdown
from health_records.models import RecordType

NOTE_MAX_CHARS = 50_000


class NumberField(serializers.FloatField):
    """A number: true and false are not 1 and 0 here."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


def _measure(low: float, high: float, unit: str) -> serializers.FloatField:
    return NumberField(
        required=False, min_value=low, max_value=high, help_text=f"{unit}, {low:g} to {high:g}"
    )


class VitalSigns(StrictSerializer):
    """Units are in the names: mmHg, beats per minute, °C, %, kg, cm."""

    systolic_mmhg = _measure(50, 300, "mmHg")
    diastolic_mmhg = _measure(20, 200, "mmHg")
    heart_rate_bpm = _measure(20, 250, "beats per minute")
    temperature_c = _measure(30, 45, "°C")
    spo2_percent = _measure(50, 100, "%")
    weight_kg = _measure(0.5, 500, "kg")
    height_cm = _measure(30, 250, "cm")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Give at least one measurement.")
        systolic, diastolic = attrs.get("systolic_mmhg"), attrs.get("diastolic_mmhg")
        if (systolic is None) != (diastolic is None):
            missing = "diastolic_mmhg" if diastolic is None else "systolic_mmhg"
            raise serializers.ValidationError({missing: ["A blood pressure has both its numbers."]})
        if systolic is not None and diastolic is not None and diastolic >= systolic:
            raise serializers.ValidationError(
                {"diastolic_mmhg": ["The diastolic pressure must be lower than the systolic."]}
            )
        return attrs


class LabResult(StrictSerializer):
    test_name = serializers.CharField(max_length=200)
    loinc_code = serializers.RegexField(
        r"^\d{1,7}-\d$", max_length=10, required=False, help_text="e.g. 2345-7"
    )
    value = NumberField()
    unit = serializers.CharField(max_length=32)
    reference_low = NumberField(required=False)
    reference_high = NumberField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("reference_low"), attrs.get("reference_high")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"reference_high": ["The upper limit must not be below the lower."]}
            )
        return attrs


def lab_flag(data: dict[str, Any]) -> str | None:
    """low / normal / high against the reference range given with the result; None without one."""
    value = Decimal(str(data["value"]))
    low, high = data.get("reference_low"), data.get("reference_high")
    if low is None and high is None:
        return None
    if low is not None and value < Decimal(str(low)):
        return "low"
    if high is not None and value > Decimal(str(high)):
        return "high"
    return "normal"


# ICD-10: a letter, two digits (or digit and A/B in some chapters), an optional dot and up to
# four more characters: E11, E11.9, S72.001A, C34.1.
ICD10 = re.compile(r"^[A-Z][0-9][0-9AB](\.[0-9A-Z]{1,4})?$")


class Diagnosis(StrictSerializer):
    icd10_code = serializers.CharField(max_length=8, help_text="e.g. E11.9")
    description = serializers.CharField(max_length=300)
    clinical_status = serializers.ChoiceField(
        choices=["active", "recurrence", "relapse", "inactive", "remission", "resolved"]
    )
    onset_date = serializers.DateField(required=False)

    def validate_icd10_code(self, value: str) -> str:
        code = value.strip().upper()
        if len(code) > 3 and "." not in code:
            code = f"{code[:3]}.{code[3:]}"  # "E119" as often typed: the dot follows 3 characters
        if not ICD10.match(code):
            raise serializers.ValidationError(
                "Not an ICD-10 code: a letter, two digits, then a dot and up to four "
                "characters (e.g. E11.9)."
            )
        return code

    def validate_onset_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("The onset is not in the future.")
        return value


class Allergy(StrictSerializer):
    substance = serializers.CharField(max_length=200)
    reaction = serializers.CharField(max_length=500, required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=["mild", "moderate", "severe"])


class Immunization(StrictSerializer):
    vaccine = serializers.CharField(max_length=200)
    dose_number = serializers.IntegerField(min_value=1, max_value=20)
    date = serializers.DateField()
    lot = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("A vaccination is recorded once it is given.")
        return value


class Note(StrictSerializer):
    text = serializers.CharField(max_length=NOTE_MAX_CHARS, help_text="Markdown")


SCHEMAS: dict[str, type[StrictSerializer]] = {
    RecordType.VITAL_SIGNS: VitalSigns,
    RecordType.LAB_RESULT: LabResult,
    RecordType.DIAGNOSIS: Diagnosis,
    RecordType.ALLERGY: Allergy,
    RecordType.IMMUNIZATION: Immunization,
    RecordType.NOTE: Note,
}


def _flat(errors: Any, prefix: str) -> dict[str, list[str]]:
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            name = prefix if key == "non_field_errors" else f"{prefix}.{key}"
            flat.update(_flat(value, name))
        return flat
    return {prefix: [str(message) for message in errors]}


def validated_data(record_type: str, data: Any) -> dict[str, Any]:
    """The record's data, checked against its type's schema, as JSON-ready values. A failure
    names each failing key as `data.<key>`."""
    schema = SCHEMAS[record_type](data=data)
    if not schema.is_valid():
        fields = _flat(schema.errors, "data")
        first_field, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{first_field}: {messages[0]}", fields=fields)
    return dict(schema.data)


def shown_data(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a reader gets: the stored values plus what is derived from them."""
    if record_type == RecordType.LAB_RESULT:
        return {**data, "flag": lab_flag(data)}
    if record_type == RecordType.NOTE:
        return {**data, "html": render_markdown(data.get("text", ""))}
    return data
