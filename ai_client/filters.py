import django_filters

from ai_client.models import RiskAssessment, RiskScore, SymptomCheck, Urgency


class SymptomCheckFilter(django_filters.FilterSet):
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)

    class Meta:
        model = SymptomCheck
        fields: list[str] = []


class RiskAssessmentFilter(django_filters.FilterSet):
    score = django_filters.ChoiceFilter(choices=RiskScore.choices)

    class Meta:
        model = RiskAssessment
        fields: list[str] = []
