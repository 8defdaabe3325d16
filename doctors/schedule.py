"""The doctor's own schedule editors: weekly availability and time off.

Every write goes through doctors.services with the same arguments as the API; a rule's error
lands next to the field it concerns. Times are shown and typed on the doctor's own clock."""

import copy
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exceptions import ServiceError
from core.pages import add_service_error
from doctors import selectors, services
from doctors.forms import AvailabilityWindowForm, TimeOffForm
from doctors.models import Doctor, TimeOff
from users.pages import doctor_required

PAST_TIME_OFF_SHOWN = 20


def _own_doctor(request: HttpRequest) -> Doctor:
    doctor = selectors.doctor_for_user(request.user)
    if doctor is None:  # a doctor account whose profile the clinic has not made yet
        raise Http404("No doctor profile.")
    return doctor


def _doctor_zone(doctor: Doctor) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(doctor.timezone)


def _place_error(form, error: ServiceError) -> str | None:
    """Show a service's error on the form; return the id of the window it clashes with, if
    any (the services name it apart from the message, for the page to point at)."""
    fields = dict(error.fields)
    clashing = fields.pop("clashing_window", None)
    shown = copy.copy(error)
    shown.fields = fields
    add_service_error(form, shown)
    if isinstance(clashing, list | tuple):
        clashing = clashing[0] if clashing else None
    return str(clashing) if clashing else None


# --- weekly availability -------------------------------------------------------------------


@doctor_required
def availability_editor(request: HttpRequest) -> HttpResponse:
    doctor = _own_doctor(request)
    clashing = None
    if request.method == "POST":
        form = AvailabilityWindowForm(request.POST)
        if form.is_valid():
            try:
                window = services.availability_create(
                    actor=request.user, doctor=doctor, **form.cleaned_data
                )
            except ServiceError as exc:
                clashing = _place_error(form, exc)
            else:
                messages.success(request, f"Added the {window} window.")
                return redirect("availability-editor")
    else:
        form = AvailabilityWindowForm()
    windows = list(selectors.availability_list(doctor=doctor))
    for window in windows:
        window.clashes = clashing is not None and str(window.pk) == clashing
    return render(
        request,
        "doctors/schedule/availability.html",
        {"doctor": doctor, "windows": windows, "form": form},
        status=400 if form.is_bound else 200,
    )


@doctor_required
def availability_edit(request: HttpRequest, window_id: uuid.UUID) -> HttpResponse:
    doctor = _own_doctor(request)
    window = get_object_or_404(selectors.availability_list(doctor=doctor), pk=window_id)
    window.doctor = doctor
    described = str(window)  # as it is now, whatever the form says
    if request.method == "POST":
        form = AvailabilityWindowForm(request.POST)
        if form.is_valid():
            try:
                window = services.availability_update(
                    actor=request.user, window=window, data=form.cleaned_data
                )
            except ServiceError as exc:
                _place_error(form, exc)
            else:
                messages.success(request, f"Saved the {window} window.")
                return redirect("availability-editor")
    else:
        form = AvailabilityWindowForm(initial=AvailabilityWindowForm.initial_from(window))
    return render(
        request,
        "doctors/schedule/availability_edit.html",
        {"doctor": doctor, "window": window, "described": described, "form": form},
        status=400 if form.is_bound else 200,
    )


@doctor_required
@require_POST
def availability_delete(request: HttpRequest, window_id: uuid.UUID) -> HttpResponse:
    doctor = _own_doctor(request)
    window = get_object_or_404(selectors.availability_list(doctor=doctor), pk=window_id)
    window.doctor = doctor
    described = str(window)
    try:
        services.availability_delete(actor=request.user, window=window)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Removed the {described} window.")
    return redirect("availability-editor")


# --- time off ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A booking inside time off: it still holds the time and needs resolving."""

    appointment: str
    start: datetime
    end: datetime
    status: str
    patient_name: str

    @classmethod
    def of(cls, item: dict) -> "Conflict":
        return cls(
            appointment=item["appointment"],
            start=datetime.fromisoformat(item["start"]),
            end=datetime.fromisoformat(item["end"]),
            status=item["status"],
            patient_name=item["patient_name"],
        )


def _attach_conflicts(doctor: Doctor, rows: list[TimeOff]) -> None:
    """Each row's bookings, from one load that spans every row."""
    for row in rows:
        row.conflicts = []
    if not rows:
        return
    span_start = min(row.start for row in rows)
    span_end = max(row.end for row in rows)
    found = [
        Conflict.of(item) for item in selectors.schedule_conflicts(doctor.pk, span_start, span_end)
    ]
    for row in rows:
        row.conflicts = [item for item in found if item.start < row.end and item.end > row.start]


def _just_added(request: HttpRequest, rows: list[TimeOff]) -> TimeOff | None:
    try:
        added = uuid.UUID(request.GET.get("added", ""))
    except ValueError:
        return None
    return next((row for row in rows if row.pk == added), None)


@doctor_required
def time_off_editor(request: HttpRequest) -> HttpResponse:
    doctor = _own_doctor(request)
    with timezone.override(_doctor_zone(doctor)):
        return _time_off_page(request, doctor)


def _time_off_page(request: HttpRequest, doctor: Doctor) -> HttpResponse:
    if request.method == "POST":
        form = TimeOffForm(request.POST)
        if form.is_valid():
            try:
                time_off = services.time_off_create(
                    actor=request.user, doctor=doctor, **form.cleaned_data
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "Time off added.")
                return redirect(f"{reverse('time-off-editor')}?added={time_off.pk}")
    else:
        form = TimeOffForm()
    now = timezone.now()
    rows = selectors.time_off_list(doctor=doctor)
    upcoming = list(rows.filter(end__gt=now))
    past = list(rows.filter(end__lte=now).order_by("-start")[:PAST_TIME_OFF_SHOWN])
    _attach_conflicts(doctor, upcoming)
    return render(
        request,
        "doctors/schedule/time_off.html",
        {
            "doctor": doctor,
            "form": form,
            "upcoming": upcoming,
            "past": past,
            "added": None if form.is_bound else _just_added(request, upcoming),
        },
        status=400 if form.is_bound else 200,
    )


@doctor_required
@require_POST
def time_off_delete(request: HttpRequest, time_off_id: uuid.UUID) -> HttpResponse:
    doctor = _own_doctor(request)
    time_off = get_object_or_404(selectors.time_off_list(doctor=doctor), pk=time_off_id)
    time_off.doctor = doctor
    with timezone.override(_doctor_zone(doctor)):
        described = str(time_off)
    try:
        services.time_off_delete(actor=request.user, time_off=time_off)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Removed the time off {described}.")
    return redirect("time-off-editor")
