from rest_framework.routers import DefaultRouter

from doctors.api.views import DoctorViewSet, SpecializationViewSet

router = DefaultRouter()
router.register("specializations", SpecializationViewSet, basename="specialization")
router.register("doctors", DoctorViewSet, basename="doctor")

urlpatterns = router.urls
