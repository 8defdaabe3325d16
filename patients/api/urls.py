from django.urls import path
from rest_framework.routers import DefaultRouter

from patients.api.views import CareAssignmentViewSet, PatientViewSet, RegisterView

router = DefaultRouter()
router.register("patients", PatientViewSet, basename="patient")
router.register("care-assignments", CareAssignmentViewSet, basename="care-assignment")

urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="auth-register"),
    *router.urls,
]
