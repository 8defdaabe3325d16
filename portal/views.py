"""The portal's own pages: the public home, and each role's dashboard. They compose the apps'
selectors; every rule stays in the apps."""

from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from appointments.models import HOLDING, Status
from appointments.selectors import appointment_list
from doctors.selectors import specialization_list
from prescriptions.models import PrescriptionStatus
from prescriptions.selectors import prescription_list
from users.pages import doctor_required, patient_required
from users.roles import is_clinic_staff, is_doctor, is_patient

UPCOMING_ON_HOME = 5


def _midnight(day: date) -> datetime:
    """The start of a day in the viewer's zone (the page's active zone), DST-correct."""
    return timezone.make_aware(datetime.combine(day, time.min))


def home(request: HttpRequest) -> HttpResponse:
    """The clinic and its specialties, for anyone; a signed-in user is offered their dashboard."""
    return render(request, "portal/home.html", {"specializations": specialization_list()})


def dashboard(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: each role on its own start page."""
    user = request.user
    if is_patient(user):
        return redirect("patient-home")
    if is_doctor(user):
        return redirect("doctor-home")
    if is_clinic_staff(user):
        return redirect("admin:index")
    return redirect("login")


@patient_required
def patient_home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming = list(
        appointment_list(actor=request.user)
        .filter(status__in=HOLDING, end__gt=now)
        .order_by("start")[:UPCOMING_ON_HOME]
    )
    prescriptions = list(
        prescription_list(actor=request.user).filter(status=PrescriptionStatus.ACTIVE)[:5]
    )
    return render(
        request,
        "portal/patient_home.html",
        {"upcoming": upcoming, "prescriptions": prescriptions},
    )


@doctor_required
def doctor_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    visits = appointment_list(actor=request.user)
    today_visits = list(
        visits.filter(
            start__gte=_midnight(today), start__lt=_midnight(today + timedelta(days=1))
        ).exclude(status=Status.CANCELLED)
    )
    pending = visits.filter(status=Status.PENDING, end__gt=timezone.now()).count()
    return render(
        request,
        "portal/doctor_home.html",
        {"today": today, "today_visits": today_visits, "pending": pending},
    )
