from django.urls import path
from rest_framework.routers import DefaultRouter

from prescriptions.api.views import ChartSummaryView, PrescriptionViewSet

router = DefaultRouter()
router.register("prescriptions", PrescriptionViewSet, basename="prescription")

urlpatterns = [
    path("patients/<str:patient_id>/summary/", ChartSummaryView.as_view(), name="patient-summary"),
    *router.urls,
]
