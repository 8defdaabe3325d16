from django.urls import path
from rest_framework.routers import DefaultRouter

from patients.api.views import (
    AccessLogViewSet,
    CareAssignmentViewSet,
    PatientViewSet,
    RegisterView,
)

router = DefaultRouter()
router.register("patients", PatientViewSet, basename="patient")
router.register("care-assignments", CareAssignmentViewSet, basename="care-assignment")

urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="auth-register"),
    path(
        "patients/me/access-log/",
        AccessLogViewSet.as_view({"get": "list"}),
        name="patient-access-log",
    ),
    *router.urls,
]
