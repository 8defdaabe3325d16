from rest_framework.routers import DefaultRouter

from core.api.views import AuditEventViewSet, NotificationViewSet

router = DefaultRouter()
router.register("audit-logs", AuditEventViewSet, basename="audit-log")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
