"""Every FHIR answer a test reads goes through `fhir_get`, which parses it with the reference
models of the `fhir.resources` package (R4B: the same as R4 for these resources): a resource
the library refuses fails the test, whatever the test was about."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from fhir.resources.R4B import get_fhir_model_class
from rest_framework.test import APIClient

from appointments.models import Appointment
from appointments.services import appointment_book
from doctors.models import Doctor
from doctors.tests.factories import make_doctor
from health_records.services import health_record_create
from patients.models import Patient
from patients.services import care_assignment_create
from patients.tests.factories import make_patient
from prescriptions.services import prescription_create
from users.models import User
from users.tests.factories import system_admin

FHIR_JSON = "application/fhir+json"
# A Monday; the clinic's doctor works every day 09:00-17:00 in Berlin.
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)


def validated(body: dict) -> dict:
    """The body, after the reference models accepted it (and every resource a Bundle holds)."""
    model = get_fhir_model_class(body["resourceType"])
    model.model_validate(body)
    for entry in body.get("entry", []) if body["resourceType"] == "Bundle" else []:
        validated(entry["resource"])
    return body


def fhir_get(
    client: APIClient, path: str, *, expect: int = 200, headers: dict | None = None, **params
) -> dict:
    """GET a FHIR path; the HTTP status must be `expect`, the body valid FHIR JSON (an
    OperationOutcome for an error)."""
    response = client.get(path, params, headers=headers or {})
    assert response.status_code == expect, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(FHIR_JSON), response["Content-Type"]
    body = validated(response.json())
    if expect >= 400:
        assert body["resourceType"] == "OperationOutcome"
    return body


def entry_ids(bundle: dict, resource_type: str | None = None) -> list[str]:
    return [
        entry["resource"]["id"]
        for entry in bundle.get("entry", [])
        if resource_type is None or entry["resource"]["resourceType"] == resource_type
    ]


def every_page(client: APIClient, path: str, **params) -> tuple[list[str], int]:
    """Follow `next` links from the first page: every id seen, and the total announced."""
    body = fhir_get(client, path, **params)
    total, seen = body["total"], entry_ids(body)
    while (next_link := _link(body, "next")) is not None:
        body = fhir_get(client, next_link.removeprefix("http://testserver"))
        seen += entry_ids(body)
    return seen, total


def _link(bundle: dict, relation: str) -> str | None:
    return next((link["url"] for link in bundle["link"] if link["relation"] == relation), None)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in():
    """signed_in(user) -> an API client of its own, signed in as `user` (None: anonymous)."""

    def sign_in(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return sign_in


VITALS = {
    "systolic_mmhg": 128,
    "diastolic_mmhg": 82,
    "heart_rate_bpm": 71,
    "temperature_c": 36.8,
    "spo2_percent": 98,
    "weight_kg": 70.5,
    "height_cm": 172,
}
LAB = {
    "test_name": "Total cholesterol",
    "loinc_code": "2093-3",
    "value": 5.4,
    "unit": "mmol/L",
    "reference_low": 0,
    "reference_high": 5.2,
}
DIAGNOSIS = {"icd10_code": "E11.9", "description": "Type 2 diabetes", "clinical_status": "active"}
ALLERGY = {"substance": "Penicillin", "reaction": "Hives", "severity": "moderate"}
IMMUNIZATION = {"vaccine": "Influenza", "dose_number": 1, "date": "2026-05-01", "lot": "FL-1"}
LINE = {
    "drug_name": "Metformin",
    "strength": "500 mg",
    "form": "tablet",
    "dose": "1 tablet",
    "route": "oral",
    "frequency": "twice a day",
    "duration_days": 30,
    "quantity": 60,
    "refills": 2,
    "instructions": "With meals.",
}


@dataclass
class Chart:
    """A patient with one of everything, written by their doctor through the services."""

    doctor: Doctor
    patient: Patient
    appointments: list[Appointment] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)
    prescriptions: list[Any] = field(default_factory=list)

    @property
    def patient_id(self) -> str:
        return str(self.patient.pk)


def clinic_doctor(**fields) -> Doctor:
    return make_doctor(
        timezone="Europe/Berlin",
        weekly={day: (time(9), time(17)) for day in range(7)},
        slot_minutes=30,
        booking_horizon_days=60,
        **fields,
    )


def chart_of(doctor: Doctor, patient: Patient, *, visits: int = 1, each_record: int = 1) -> Chart:
    """`visits` appointments on following days at 10:00 Berlin, and `each_record` records of
    each type and prescriptions, all for the patient, by the doctor (linked by the first
    visit)."""
    chart = Chart(doctor, patient)
    for day in range(visits):
        start = datetime(2026, 6, 2, 8, 0, tzinfo=UTC) + timedelta(days=day)
        chart.appointments.append(
            appointment_book(actor=patient.user, doctor=doctor, patient=patient, start=start)
        )
    if not chart.appointments:
        care_assignment_create(actor=system_admin(), doctor=doctor, patient=patient)
    for number in range(each_record):
        moment = NOW - timedelta(days=number + 1)
        for record_type, data in (
            ("vital_signs", VITALS),
            ("lab_result", LAB),
            ("diagnosis", DIAGNOSIS),
            ("allergy", ALLERGY),
            ("immunization", IMMUNIZATION),
        ):
            chart.records.append(
                health_record_create(
                    actor=doctor.user,
                    patient=patient,
                    record_type=record_type,
                    data=data,
                    recorded_at=moment,
                )
            )
        chart.prescriptions.append(
            prescription_create(actor=doctor.user, patient=patient, lines=[LINE, LINE])
        )
    return chart


@pytest.fixture
def chart(db, frozen) -> Chart:
    return chart_of(clinic_doctor(), make_patient(full_name="Åsa Øster-Nuñez"))
