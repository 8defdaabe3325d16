from django.urls import path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("patient/", views.patient_home, name="patient-home"),
    path("doctor/", views.doctor_home, name="doctor-home"),
]
