"""Server-rendered pages of this app."""

from django.urls import path

from ai_client import views

urlpatterns = [
    path("symptom-check/", views.symptom_check, name="symptom-check"),
    path("risk/", views.risk_assessment, name="risk-assessment"),
]
