from rest_framework import serializers

from ai_client.models import RiskAssessment, RiskScore, SymptomCheck
from doctors.api.serializers import SlotSerializer

MAX_TEXT_CHARACTERS = 2000
MAX_SYMPTOM_CODES = 50


class TextField(serializers.CharField):
    """Text as the patient typed it: a number or a list is refused, not turned into words."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SymptomCheckInputSerializer(serializers.Serializer):
    symptoms = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=MAX_SYMPTOM_CODES,
        required=False,
        default=list,
        help_text="Symptom codes, as listed by GET /api/v1/ai/symptoms/.",
    )
    text = TextField(
        max_length=MAX_TEXT_CHARACTERS,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=True,
        help_text="How you feel, in your own words.",
    )

    def validate(self, attrs):
        if not attrs["symptoms"] and not attrs["text"]:
            raise serializers.ValidationError(
                {"symptoms": ["Choose at least one symptom or describe how you feel."]}
            )
        return attrs


class PatientSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField(source="user.full_name")


class SymptomCheckSerializer(serializers.ModelSerializer):
    patient = PatientSummarySerializer()

    class Meta:
        model = SymptomCheck
        fields = ["id", "patient", "created_at", "urgency", "model_version", "input", "output"]


class SymptomSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RecommendedDoctorSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()
    next_free_slot = SlotSerializer()


class RecommendationSerializer(serializers.Serializer):
    specialty = serializers.CharField()
    specialty_name = serializers.CharField()
    searched = serializers.CharField(help_text="The specialty whose doctors are listed.")
    fallback = serializers.BooleanField(
        help_text="True when no doctor of the specialty is free and family doctors are listed."
    )
    doctors = RecommendedDoctorSerializer(many=True)


class SymptomCheckResultSerializer(SymptomCheckSerializer):
    recommendation = RecommendationSerializer(
        allow_null=True, help_text="Null for an emergency: call emergency services instead."
    )

    class Meta(SymptomCheckSerializer.Meta):
        fields = [*SymptomCheckSerializer.Meta.fields, "recommendation"]


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: "no" or 0 for "smoker" is too easy to get wrong."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class RiskInputs(serializers.Serializer):
    """Types only: the inference service owns each score's validated ranges."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["This score does not take this input."] for name in unknown}
            )
        return attrs


SEX = ["female", "male"]


class BmiInputs(RiskInputs):
    weight_kg = serializers.FloatField()
    height_cm = serializers.FloatField()


class BloodPressureInputs(RiskInputs):
    systolic = serializers.FloatField()
    diastolic = serializers.FloatField()


class FindriscInputs(RiskInputs):
    age = serializers.IntegerField(min_value=0, max_value=150)
    sex = serializers.ChoiceField(choices=SEX)
    bmi = serializers.FloatField()
    waist_cm = serializers.FloatField()
    physically_active = StrictBooleanField()
    eats_vegetables_daily = StrictBooleanField()
    takes_blood_pressure_medication = StrictBooleanField()
    history_of_high_glucose = StrictBooleanField()
    family_history = serializers.ChoiceField(choices=["none", "second_degree", "first_degree"])


class AscvdInputs(RiskInputs):
    age = serializers.IntegerField(min_value=0, max_value=150)
    sex = serializers.ChoiceField(choices=SEX)
    race = serializers.ChoiceField(choices=["white", "african_american", "other"])
    total_cholesterol = serializers.FloatField(help_text="mg/dL")
    hdl = serializers.FloatField(help_text="mg/dL")
    systolic = serializers.FloatField(help_text="mmHg")
    on_blood_pressure_treatment = StrictBooleanField()
    smoker = StrictBooleanField()
    diabetic = StrictBooleanField()


RISK_INPUTS: dict[str, type[RiskInputs]] = {
    RiskScore.BMI: BmiInputs,
    RiskScore.BLOOD_PRESSURE: BloodPressureInputs,
    RiskScore.FINDRISC: FindriscInputs,
    RiskScore.ASCVD: AscvdInputs,
}


class RiskAssessmentInputSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=RiskScore.choices)
    patient = serializers.UUIDField(
        required=False, help_text="Required for a doctor; a patient assesses themself."
    )
    inputs = serializers.DictField(
        required=False,
        default=dict,
        help_text="The score's inputs. Age and sex come from the patient's record unless given.",
    )

    def validate(self, attrs):
        inputs = RISK_INPUTS[attrs["score"]](data=attrs["inputs"])
        if not inputs.is_valid():
            raise serializers.ValidationError({"inputs": inputs.errors})
        attrs["inputs"] = dict(inputs.validated_data)
        return attrs


class RiskAssessmentSerializer(serializers.ModelSerializer):
    patient = PatientSummarySerializer()

    class Meta:
        model = RiskAssessment
        fields = ["id", "patient", "created_at", "score", "model_version", "input", "output"]
