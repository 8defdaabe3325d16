from rest_framework.routers import DefaultRouter

from appointments.api.views import AppointmentViewSet, CalendarFeedViewSet, SeriesViewSet

router = DefaultRouter()
# Before "appointments", whose detail route would otherwise take "series" for an id.
router.register("appointments/series", SeriesViewSet, basename="appointment-series")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("calendar/feed", CalendarFeedViewSet, basename="calendar-feed")

urlpatterns = router.urls
