"""The doctor's own schedule editors (availability and time off)."""

from django.urls import path

from doctors import schedule

urlpatterns = [
    path("schedule/availability/", schedule.availability_editor, name="availability-editor"),
    path(
        "schedule/availability/<uuid:window_id>/edit/",
        schedule.availability_edit,
        name="availability-edit",
    ),
    path(
        "schedule/availability/<uuid:window_id>/delete/",
        schedule.availability_delete,
        name="availability-delete",
    ),
    path("schedule/time-off/", schedule.time_off_editor, name="time-off-editor"),
    path(
        "schedule/time-off/<uuid:time_off_id>/delete/",
        schedule.time_off_delete,
        name="time-off-delete",
    ),
]
