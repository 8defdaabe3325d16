from rest_framework.routers import DefaultRouter

from health_records.api.views import HealthRecordViewSet

router = DefaultRouter()
router.register("health-records", HealthRecordViewSet, basename="health-record")

urlpatterns = router.urls
