"""Server-rendered pages of this app."""

from django.urls import path

from health_records import views

urlpatterns: list = [
    path("records/", views.record_list, name="record-list"),
    path("records/<uuid:record_id>/", views.record_page, name="record-page"),
    path(
        "records/<uuid:record_id>/attachments/<uuid:attachment_id>/",
        views.record_attachment,
        name="record-attachment",
    ),
    path("patients/<uuid:patient_id>/records/new/", views.record_new, name="record-new"),
]
