from django.urls import path
from rest_framework.routers import DefaultRouter

from doctors.api.views import DoctorViewSet, SlotSearchView, SpecializationViewSet

router = DefaultRouter()
router.register("specializations", SpecializationViewSet, basename="specialization")
router.register("doctors", DoctorViewSet, basename="doctor")

urlpatterns = [
    path("slots/", SlotSearchView.as_view(), name="slot-search"),
    *router.urls,
]
