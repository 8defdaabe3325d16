"""The patients pages: a doctor's linked patients, and a patient's access log."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.models import AuditAction
from patients import selectors
from patients.access import patients_visible_to
from patients.api.serializers import AccessLogEntrySerializer
from patients.filters import PatientFilter
from patients.forms import AccessLogForm, PatientSearchForm
from users.models import Role
from users.pages import doctor_required, patient_required

PAGE_SIZE = 25


@doctor_required
def my_patients(request: HttpRequest) -> HttpResponse:
    """The patients linked to the signed-in doctor, searchable by name, each opening the chart.
    Every patient shown is audited as read (the door's queryset does it as it is fetched)."""
    form = PatientSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    patients = patients_visible_to(request.user)
    if query:
        patients = PatientFilter({"search": query}, queryset=patients).qs
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "patients/my_patients.html",
        {"form": form, "query": query, "page": page},
        status=200 if form.is_valid() else 400,
    )


ROLE_WORDS = dict(Role.choices)
ACTION_WORDS = dict(AuditAction.choices)


@patient_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who touched my data, newest first (the same selector as the API's access log)."""
    form = AccessLogForm(request.GET)
    include_own = form.is_valid() and form.cleaned_data["include_own"]
    events = selectors.access_log(patient_user=request.user, include_own=include_own)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    entries = [
        {
            **shown,
            "at": event.at,
            "role": ROLE_WORDS.get(shown["actor_role"], "System"),
            "action_words": ACTION_WORDS.get(shown["action"], shown["action"]),
        }
        for event, shown in zip(rows, AccessLogEntrySerializer(rows, many=True).data, strict=True)
    ]
    return render(
        request,
        "patients/access_log.html",
        {"form": form, "include_own": include_own, "page": page, "entries": entries},
    )
