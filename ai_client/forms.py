"""Page forms of the AI assistant. They only turn what was typed into Python values; the
inference service and ai_client.services decide everything else (ranges, urgency, booking)."""

from django import forms

from ai_client.api.serializers import MAX_SYMPTOM_CODES, MAX_TEXT_CHARACTERS, RISK_INPUTS
from ai_client.models import RiskScore


class SymptomCheckForm(forms.Form):
    text = forms.CharField(
        label="Describe how you feel, in your own words",
        required=False,
        max_length=MAX_TEXT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: “itchy red skin on my arms for a week, no fever”.",
    )
    symptoms = forms.MultipleChoiceField(
        label="Or pick your symptoms",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, symptoms: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].choices = symptoms

    def clean_symptoms(self) -> list[str]:
        codes = self.cleaned_data["symptoms"]
        if len(codes) > MAX_SYMPTOM_CODES:
            raise forms.ValidationError(f"Pick at most {MAX_SYMPTOM_CODES} symptoms.")
        return codes

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("symptoms"):
            raise forms.ValidationError("Choose at least one symptom or describe how you feel.")
        return data


YES_NO = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


def yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None,
        required=False,
    )  # fmt: skip


def number(label: str, help_text: str = "") -> forms.FloatField:
    return forms.FloatField(
        label=label, required=False, help_text=help_text, widget=forms.NumberInput({"step": "any"})
    )


# A score input that the form asks under another name: one question, two scores.
FIELD_OF_INPUT = {
    "takes_blood_pressure_medication": "blood_pressure_medication",
    "on_blood_pressure_treatment": "blood_pressure_medication",
}


class RiskAssessmentForm(forms.Form):
    """Every input the published scores take (ai_client.api.serializers.RISK_INPUTS), once."""

    scores = forms.MultipleChoiceField(
        label="Scores to work out",
        choices=RiskScore.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one score."},
    )
    age = forms.IntegerField(label="Age (years)", required=False, min_value=0, max_value=150)
    sex = forms.ChoiceField(
        label="Sex",
        required=False,
        choices=[("", "Not known"), ("female", "Female"), ("male", "Male")],
    )
    weight_kg = number("Weight (kg)")
    height_cm = number("Height (cm)")
    bmi = number("Body mass index (kg/m²)", "Worked out from your latest weight and height.")
    waist_cm = number("Waist (cm)", "Measured at the navel.")
    systolic = number("Blood pressure, upper number (systolic, mmHg)")
    diastolic = number("Blood pressure, lower number (diastolic, mmHg)")
    blood_pressure_medication = yes_no("Do you take medicine for high blood pressure?")
    total_cholesterol = number("Total cholesterol (mg/dL)")
    hdl = number("HDL cholesterol (mg/dL)")
    smoker = yes_no("Do you smoke?")
    diabetic = yes_no("Do you have diabetes?")
    physically_active = yes_no("Are you physically active for 30 minutes or more every day?")
    eats_vegetables_daily = yes_no("Do you eat vegetables, fruit or berries every day?")
    history_of_high_glucose = yes_no(
        "Have you ever been told your blood sugar was high (a check-up, an illness, pregnancy)?"
    )
    family_history = forms.ChoiceField(
        label="Has anyone in your family had diabetes?",
        required=False,
        choices=[
            ("", "Not known"),
            ("none", "No"),
            ("second_degree", "Grandparent, aunt, uncle or first cousin"),
            ("first_degree", "Parent, brother, sister or own child"),
        ],
    )
    race = forms.ChoiceField(
        label="Ancestry (the heart-risk equations differ by it)",
        required=False,
        choices=[
            ("", "Not known"),
            ("white", "White"),
            ("african_american", "African American"),
            ("other", "Other"),
        ],
    )

    GROUPS = [
        ("About you", ["age", "sex"]),
        ("Body", ["weight_kg", "height_cm", "bmi", "waist_cm"]),
        ("Blood pressure", ["systolic", "diastolic", "blood_pressure_medication"]),
        ("Cholesterol", ["total_cholesterol", "hdl"]),
        (
            "Health and habits",
            [
                "smoker",
                "diabetic",
                "physically_active",
                "eats_vegetables_daily",
                "history_of_high_glucose",
                "family_history",
                "race",
            ],
        ),
    ]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def inputs_for(self, score: str, *, filled_by_chart: set[str]) -> dict:
        """The score's inputs as typed. Left out: what was left empty, and what the chart
        filled in and nobody changed (the service fills those in itself, and records that it
        did)."""
        inputs = {}
        for name in RISK_INPUTS[score]().fields:
            field = FIELD_OF_INPUT.get(name, name)
            value = self.cleaned_data.get(field)
            if value is None or value == "":
                continue
            if field in filled_by_chart and field not in self.changed_data:
                continue
            inputs[name] = value
        return inputs
