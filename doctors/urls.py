"""Server-rendered pages of the doctors app. Slots need the time that bookings hold, which the
appointments app owns: the root URLconf passes it in (`busy`), as for the API."""

from django.urls import URLPattern, path

from doctors import views
from doctors.selectors import BusyLoader


def doctor_page_urls(*, busy: BusyLoader) -> list[URLPattern]:
    return [
        path("doctors/", views.DirectoryView.as_view(busy=busy), name="doctor-directory"),
        path(
            "doctors/<uuid:doctor_id>/",
            views.DoctorPageView.as_view(busy=busy),
            name="doctor-page",
        ),
    ]
