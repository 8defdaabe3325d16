from django.urls import path
from rest_framework.routers import DefaultRouter

from appointments.api.views import (
    AppointmentViewSet,
    CalendarFeedRotateView,
    CalendarFeedView,
    SeriesViewSet,
    WaitlistOfferViewSet,
    WaitlistViewSet,
)

router = DefaultRouter()
# Before "appointments", whose detail route would otherwise take "series" for an id.
router.register("appointments/series", SeriesViewSet, basename="appointment-series")
router.register("appointments", AppointmentViewSet, basename="appointment")
# Likewise before "waitlist".
router.register("waitlist/offers", WaitlistOfferViewSet, basename="waitlist-offer")
router.register("waitlist", WaitlistViewSet, basename="waitlist")

urlpatterns = [
    path("calendar/feed/", CalendarFeedView.as_view(), name="calendar-feed-list"),
    path("calendar/feed/rotate/", CalendarFeedRotateView.as_view(), name="calendar-feed-rotate"),
    *router.urls,
]
