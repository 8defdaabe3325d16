"""Server-rendered pages of this app."""

from django.urls import path

from patients import views

urlpatterns: list = [
    path("patients/", views.my_patients, name="my-patients"),
    path("account/access-log/", views.access_log, name="access-log"),
]
