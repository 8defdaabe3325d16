"""Forms of the health-record pages. A record's data form is built from its type's schema
(health_records.schemas): the form only collects the typed text; the schema, through the
service, checks every value and names the field that is wrong."""

from django import forms
from rest_framework import serializers

from health_records.schemas import SCHEMAS

# What each data key is called on the page; the units and ranges are the schema's own help.
LABELS = {
    "systolic_mmhg": "Systolic blood pressure",
    "diastolic_mmhg": "Diastolic blood pressure",
    "heart_rate_bpm": "Heart rate",
    "temperature_c": "Temperature",
    "spo2_percent": "Oxygen saturation (SpO₂)",
    "weight_kg": "Weight",
    "height_cm": "Height",
    "test_name": "Test",
    "loinc_code": "LOINC code",
    "value": "Result",
    "unit": "Unit",
    "reference_low": "Reference range, low",
    "reference_high": "Reference range, high",
    "icd10_code": "ICD-10 code",
    "description": "Description",
    "clinical_status": "Clinical status",
    "onset_date": "Onset date",
    "substance": "Substance",
    "reaction": "Reaction",
    "severity": "Severity",
    "vaccine": "Vaccine",
    "dose_number": "Dose number",
    "date": "Date given",
    "lot": "Lot number",
    "text": "Note",
}

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def label_of(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def _page_field(key: str, field: serializers.Field) -> forms.Field:
    """A text input of the right kind for one schema field; the value is passed on as typed."""
    help_parts = [str(field.help_text)] if field.help_text else []
    if field.required:
        help_parts.insert(0, "Required")
    common = {"label": label_of(key), "required": False, "help_text": ". ".join(help_parts)}
    if isinstance(field, serializers.ChoiceField):
        choices = [("", "—")] + [
            (value, str(text).capitalize()) for value, text in field.choices.items()
        ]
        return forms.CharField(widget=forms.Select(choices=choices), **common)
    if isinstance(field, serializers.DateField):
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if isinstance(field, serializers.IntegerField):
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "1"}), **common)
    if isinstance(field, serializers.FloatField):
        return forms.CharField(
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}), **common
        )
    if key == "text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), strip=False, **common)
    return forms.CharField(**common)


class RecordForm(forms.Form):
    """The fields every record has; `record_form_class` adds the type's data fields."""

    recorded_at = forms.DateTimeField(
        label="When",
        required=False,
        help_text="Your local time. Leave empty for now.",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    data_keys: tuple[str, ...] = ()

    def data_values(self) -> dict[str, str]:
        """The record's data as typed: each filled field, unconverted (the schema parses it)."""
        values = {}
        for key in self.data_keys:
            value = self.cleaned_data.get(key, "")
            if key != "text":
                value = value.strip()
            if value != "":
                values[key] = value
        return values

    def field_map(self) -> dict[str, str]:
        """The service names a data field `data.<key>`; here it is the field `<key>`."""
        return {f"data.{key}": key for key in self.data_keys}

    def data_fields(self):
        return [self[key] for key in self.data_keys]


def record_form_class(record_type: str) -> type[RecordForm]:
    schema = SCHEMAS[record_type]()
    fields = {key: _page_field(key, field) for key, field in schema.fields.items()}
    return type(
        f"{record_type.title().replace('_', '')}Form",
        (RecordForm,),
        {**fields, "data_keys": tuple(fields), "field_order": [*fields, "recorded_at"]},
    )
