"""The prescription pages, and a patient's chart (it shows prescriptions, records and visits,
so it lives in the rightmost app it needs). Reads go through the selectors (audited as they
are fetched), writes through the prescriptions services, as the API's do."""

from contextlib import suppress

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exceptions import ServiceError
from core.pages import add_service_error, filtered_page
from health_records.views import shown_record
from patients.access import Access, chart_patient_for_actor, patient_for_actor
from prescriptions import selectors, services
from prescriptions.filters import PrescriptionFilter
from prescriptions.forms import MedicationLineFormSet, PrescriptionForm, ReasonForm
from prescriptions.models import PrescriptionStatus
from users.pages import doctor_required, role_required
from users.roles import is_doctor

PAGE_SIZE = 20
LINE_PREFIX = "lines"
FINISH_ACTIONS = {
    "complete": (PrescriptionStatus.COMPLETED, "completed"),
    "cancel": (PrescriptionStatus.CANCELLED, "cancelled"),
}


@doctor_required
def patient_chart(request: HttpRequest, patient_id) -> HttpResponse:
    """The chart at a glance (the chart summary selector audits the read), with the ways on."""
    summary = selectors.chart_summary(actor=request.user, patient_id=patient_id, now=timezone.now())
    return render(
        request,
        "prescriptions/patient_chart.html",
        {
            **summary,
            "allergies": [shown_record(record) for record in summary["allergies"]],
            "active_diagnoses": [shown_record(record) for record in summary["active_diagnoses"]],
            "latest_vitals": (
                shown_record(summary["latest_vitals"]) if summary["latest_vitals"] else None
            ),
        },
    )


@role_required("patient", "doctor")
def prescription_list(request: HttpRequest) -> HttpResponse:
    """A patient's own prescriptions, or (for a linked doctor) one patient's: `?status=`."""
    patient = None
    if is_doctor(request.user):
        if not request.GET.get("patient"):
            messages.info(request, "Choose a patient to see their prescriptions.")
            return redirect("my-patients")
        patient = chart_patient_for_actor(actor=request.user, patient_id=request.GET["patient"])
    filters, page = filtered_page(
        request,
        PrescriptionFilter,
        selectors.prescription_list(actor=request.user),
        page_size=PAGE_SIZE,
        fixed={"patient": str(patient.pk) if patient is not None else None},
    )
    return render(
        request,
        "prescriptions/prescription_list.html",
        {
            "patient": patient,
            "filters": filters,
            "page": page,
            "statuses": PrescriptionStatus.choices,
        },
        status=200 if not filters.errors else 400,
    )


def _prescription_page(request: HttpRequest, prescription, forms: dict, status: int = 200):
    return render(
        request,
        "prescriptions/prescription_page.html",
        {
            "prescription": prescription,
            "lines": list(prescription.lines.all()),
            "complete_form": forms.get("complete") or ReasonForm(prefix="complete"),
            "cancel_form": forms.get("cancel") or ReasonForm(prefix="cancel"),
            "failed_form": next(iter(forms.values()), None),
            "may_finish": is_doctor(request.user)
            and prescription.status == PrescriptionStatus.ACTIVE,
        },
        status=status,
    )


@role_required("patient", "doctor")
def prescription_page(request: HttpRequest, prescription_id) -> HttpResponse:
    prescription = selectors.prescription_get(actor=request.user, prescription_id=prescription_id)
    return _prescription_page(request, prescription, {})


@doctor_required
@require_POST
def prescription_finish(request: HttpRequest, prescription_id, action: str) -> HttpResponse:
    """Complete or cancel, with a reason, by the same service as the API."""
    target, done = FINISH_ACTIONS[action]
    prescription = selectors.prescription_get(
        actor=request.user, prescription_id=prescription_id, access=Access.ACT
    )
    form = ReasonForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            services.prescription_finish(
                actor=request.user,
                prescription=prescription,
                status=target,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The prescription is {done}.")
            return redirect("prescription-page", prescription_id=prescription.pk)
    shown = selectors.prescription_get(actor=request.user, prescription_id=prescription.pk)
    return _prescription_page(request, shown, {action: form}, status=400)


def _place_line_errors(form, lines, filled, exc: ServiceError) -> None:
    """A service error on `lines.<n>.<field>` goes next to that field of the n-th written line;
    an allergy conflict also reveals that line's override reason."""
    placed_on_form = {}
    for name, errors in exc.fields.items():
        parts = name.split(".")
        if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(filled):
                line = filled[index]
                target = parts[2] if len(parts) > 2 and parts[2] in line.fields else None
                for error in errors if isinstance(errors, list) else [errors]:
                    line.add_error(target, str(error))
                if exc.code == "allergy_conflict":
                    line.show_override = True
                continue
        placed_on_form[name] = errors
    if exc.code == "allergy_conflict":
        form.add_error(
            None,
            "A drug conflicts with a recorded allergy (see the line below). Change it, or give "
            "an override reason on that line to prescribe it anyway.",
        )
    elif placed_on_form or not exc.fields:
        add_service_error(form, ServiceError(exc.message, code=exc.code, fields=placed_on_form))
    else:
        form.add_error(None, "Check the medication lines below.")


@doctor_required
def prescription_new(request: HttpRequest, patient_id) -> HttpResponse:
    """Notes and one or more medication lines; the service checks each line and the patient's
    allergies. A conflict re-shows the form with the reason to override on that line."""
    patient = patient_for_actor(actor=request.user, patient_id=patient_id, access=Access.ACT)
    data = request.POST if request.method == "POST" else None
    if data is not None and "add_line" in data:
        data = data.copy()
        total = f"{LINE_PREFIX}-TOTAL_FORMS"
        with suppress(ValueError):
            data[total] = str(int(data.get(total, "0")) + 1)
    form = PrescriptionForm(data)
    lines = MedicationLineFormSet(data, prefix=LINE_PREFIX)
    if data is not None and "add_line" not in data and form.is_valid() and lines.is_valid():
        filled = lines.filled_forms()
        try:
            prescription = services.prescription_create(
                actor=request.user,
                patient=patient,
                lines=[line.line_values() for line in filled],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ServiceError as exc:
            _place_line_errors(form, lines, filled, exc)
        else:
            messages.success(request, f"Prescription for {patient.user.full_name} saved.")
            return redirect("prescription-page", prescription_id=prescription.pk)
    has_errors = data is not None and "add_line" not in data
    return render(
        request,
        "prescriptions/prescription_new.html",
        {
            "patient": patient,
            "form": form,
            "lines": lines,
            "action": reverse("prescription-new", args=[patient.pk]),
        },
        status=400 if has_errors else 200,
    )
