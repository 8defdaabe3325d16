from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from doctors.api.views import DoctorViewSet, SlotSearchView, SpecializationViewSet
from doctors.selectors import BusyLoader


def doctor_urls(*, busy: BusyLoader) -> list[URLPattern | URLResolver]:
    """The doctors API, with the time that bookings hold passed in by the caller that knows
    them (the root URLconf passes appointments' held spans): this app never imports them."""
    router = DefaultRouter()
    router.register("specializations", SpecializationViewSet, basename="specialization")
    router.register(
        "doctors",
        type("DoctorViewSet", (DoctorViewSet,), {"busy": staticmethod(busy)}),
        basename="doctor",
    )
    return [
        path("slots/", SlotSearchView.as_view(busy=busy), name="slot-search"),
        *router.urls,
    ]
