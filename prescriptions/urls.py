"""Server-rendered pages of this app."""

from django.urls import path

from prescriptions import views

urlpatterns: list = [
    path("patients/<uuid:patient_id>/", views.patient_chart, name="patient-chart"),
    path(
        "patients/<uuid:patient_id>/prescriptions/new/",
        views.prescription_new,
        name="prescription-new",
    ),
    path("prescriptions/", views.prescription_list, name="prescription-list"),
    path(
        "prescriptions/<uuid:prescription_id>/",
        views.prescription_page,
        name="prescription-page",
    ),
    path(
        "prescriptions/<uuid:prescription_id>/complete/",
        views.prescription_finish,
        {"action": "complete"},
        name="prescription-complete",
    ),
    path(
        "prescriptions/<uuid:prescription_id>/cancel/",
        views.prescription_finish,
        {"action": "cancel"},
        name="prescription-cancel",
    ),
]
