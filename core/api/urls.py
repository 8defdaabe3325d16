from rest_framework.routers import DefaultRouter

from core.api.views import AuditEventViewSet

router = DefaultRouter()
router.register("audit-logs", AuditEventViewSet, basename="audit-log")

urlpatterns = router.urls
