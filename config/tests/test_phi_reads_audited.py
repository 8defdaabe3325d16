"""Every API route that shows a patient's data writes a view event naming the patient. The
routes are found by walking the URL resolver, not listed by hand, so that a new endpoint cannot
forget its audit: a GET route whose view serves a patient-data model (or takes a patient id)
is called for real and must leave its event."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from ai_client.models import RiskAssessment, SymptomCheck
from appointments import services as appointment_services
from appointments.models import WaitlistEntry, WaitlistOffer
from config.tests.test_one_door import patient_data_models
from core.models import AuditAction, AuditEvent
from doctors.tests.factories import make_doctor
from health_records.models import HealthRecord
from health_records.services import attachment_add, health_record_create
from patients.models import Patient
from patients.services import care_assignment_create
from prescriptions.services import prescription_create

pytestmark = pytest.mark.django_db

# Patient-linked data that is not clinical, and is not audited on read: the care team (who
# treats whom, shown to its members) and a series (an id that groups appointments).
NOT_CLINICAL = {"CareAssignment", "AppointmentSeries"}
KWARG = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


def api_get_routes(resolver: URLResolver | None = None, prefix: str = ""):
    """(route, view class, action) for every GET route under /api/v1/."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from api_get_routes(entry, route)
        elif isinstance(entry, URLPattern) and route.lstrip("^").startswith("api/v1/"):
            view = getattr(entry.callback, "cls", None)
            actions = getattr(entry.callback, "actions", None) or {}
            if view is not None and (actions.get("get") or hasattr(view, "get")):
                yield route, view, actions.get("get", "get")


def served_model(view) -> type | None:
    serializer = getattr(view, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def shows_patient_data(route: str, view) -> bool:
    model = served_model(view)
    names = {model.__name__ for model in patient_data_models()} - NOT_CLINICAL
    return (model is not None and model.__name__ in names) or "patient_id" in route


@pytest.fixture
def clinic(patient, staff):
    doctor = make_doctor()
    care_assignment_create(actor=staff, doctor=doctor, patient=patient.patient_profile)
    chart = patient.patient_profile
    record = health_record_create(
        actor=doctor.user, patient=chart, record_type="note", data={"text": "Seen."}
    )
    prescription = prescription_create(
        actor=doctor.user,
        patient=chart,
        lines=[{"drug_name": "Metformin", "dose": "500 mg", "route": "oral",
                "frequency": "daily", "duration_days": 30, "quantity": 30}],
    )  # fmt: skip
    appointment = appointment_services.appointment_book(
        actor=staff,
        doctor=doctor,
        patient=chart,
        start=record.recorded_at + timedelta(days=2),
        off_grid_reason="Follow-up",
    )
    # A waitlist entry and an offer of a slot (rows as the waitlist service writes them).
    entry = WaitlistEntry.objects.create(
        patient=chart,
        doctor=doctor,
        earliest_date=appointment.start.date(),
        latest_date=appointment.start.date() + timedelta(days=7),
        created_by=patient,
    )
    offer = WaitlistOffer.objects.create(
        entry=entry,
        patient=chart,
        doctor=doctor,
        start=appointment.start + timedelta(days=1),
        end=appointment.end + timedelta(days=1),
        expires_at=appointment.start,
    )
    common = {"patient": chart, "requested_by": patient, "input": {}, "output": {}}
    check = SymptomCheck.objects.create(**common, urgency="routine", model_version="t")
    risk = RiskAssessment.objects.create(**common, score="bmi", model_version="t")
    attachment = attachment_add(
        actor=doctor.user, record=record, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    )
    ids = {
        "patient_id": chart.pk,
        "attachment_id": attachment.pk,
        Patient: chart.pk,
        HealthRecord: record.record_id,
        type(prescription): prescription.pk,
        type(appointment): appointment.pk,
        SymptomCheck: check.pk,
        RiskAssessment: risk.pk,
        WaitlistEntry: entry.pk,
        WaitlistOffer: offer.pk,
    }
    return doctor.user, ids


def test_every_route_that_shows_patient_data_writes_its_view_event(clinic, patient):
    doctor, ids = clinic
    walked = []
    for route, view, action in api_get_routes():
        if not shows_patient_data(route, view):
            continue
        names = [first or second for first, second in KWARG.findall(route)]
        if "format" in names:
            continue  # the router's format-suffix twins of the same views
        # `pk` is the served model's object; other ids by their name (a new nested id fails
        # here until the walk is taught it).
        values = iter(str(ids[served_model(view) if name == "pk" else name]) for name in names)
        url = "/" + KWARG.sub(lambda _, values=values: next(values), route).replace(
            "^", ""
        ).replace("$", "")
        before = AuditEvent.objects.filter(action=AuditAction.VIEW, patient=patient).count()
        answered = None
        for reader in (patient, doctor):
            client = APIClient()
            client.force_authenticate(reader)
            answered = client.get(url)
            if answered.status_code == 200:
                break
        assert answered is not None and answered.status_code == 200, (url, answered.content[:200])
        after = AuditEvent.objects.filter(action=AuditAction.VIEW, patient=patient).count()
        assert after > before, f"{url} ({view.__name__}.{action}) showed data without an audit"
        walked.append(url.split("/")[3])
    # The walk reached every kind of patient data the portal serves.
    assert set(walked) >= {
        "patients", "appointments", "health-records", "prescriptions", "ai",
    }  # fmt: skip
