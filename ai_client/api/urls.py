from django.urls import path
from rest_framework.routers import DefaultRouter

from ai_client.api.views import (
    RiskAssessmentRunView,
    RiskAssessmentViewSet,
    SymptomCheckRunView,
    SymptomCheckViewSet,
    SymptomListView,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("ai/symptom-checks", SymptomCheckViewSet, basename="symptom-check")
router.register("ai/risk-assessments", RiskAssessmentViewSet, basename="risk-assessment")

urlpatterns = [
    path("ai/symptoms/", SymptomListView.as_view(), name="ai-symptoms"),
    path("ai/symptom-check/", SymptomCheckRunView.as_view(), name="ai-symptom-check"),
    path("ai/risk-assessment/", RiskAssessmentRunView.as_view(), name="ai-risk-assessment"),
    *router.urls,
]
