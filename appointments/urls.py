from django.urls import re_path

from appointments import views

urlpatterns = [
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$",
        views.calendar_feed,
        name="calendar-feed",
    ),
]
