"""The FHIR resources themselves: what each one says, the CapabilityStatement, and the errors."""

import json
from datetime import UTC, datetime, time

import pytest

from appointments.services import appointment_book, appointment_cancel
from doctors.tests.factories import make_doctor
from interop.registry import RESOURCE_TYPES
from interop.tests.conftest import FHIR_JSON, entry_ids, fhir_get, validated
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_metadata_lists_exactly_what_the_views_serve(signed_in):
    statement = fhir_get(signed_in(None), "/fhir/R4/metadata")
    assert statement["fhirVersion"] == "4.0.1" and statement["format"] == ["json"]
    resources = statement["rest"][0]["resource"]
    assert [entry["type"] for entry in resources] == list(RESOURCE_TYPES)
    for entry in resources:
        declared = {param["name"] for param in entry["searchParam"]}
        assert declared == {param.name for param in RESOURCE_TYPES[entry["type"]].params}
    patient = next(entry for entry in resources if entry["type"] == "Patient")
    assert patient["operation"][0]["name"] == "everything"


def test_every_declared_search_parameter_is_accepted(chart, signed_in):
    """Each parameter the CapabilityStatement names works (no 400 for a declared one)."""
    doctor = signed_in(chart.doctor.user)
    samples = {
        "_id": str(chart.doctor.pk),
        "name": "a",
        "identifier": "x",
        "practitioner": f"Practitioner/{chart.doctor.pk}",
        "actor": f"Practitioner/{chart.doctor.pk}",
        "schedule": f"Schedule/{chart.doctor.pk}",
        "specialty": "general-practice",
        "start": "ge2026-06-02",
        "status": "free",
        "gender": "female",
        "birthdate": "le2026-01-01",
        "patient": f"Patient/{chart.patient_id}",
        "date": "ge2026-01-01",
        "category": "vital-signs",
        "code": "8867-4",
        "clinical-status": "active",
    }
    for name, kind in RESOURCE_TYPES.items():
        for param in kind.params:
            value = samples[param.name]
            if name in ("Appointment", "MedicationRequest") and param.name == "status":
                value = "booked" if name == "Appointment" else "active"
            fhir_get(doctor, f"/fhir/R4/{name}", **{param.name: value})


def test_patient_resource_has_demographics_and_never_insurance(db, signed_in):
    patient = make_patient(
        full_name="Zoë Ångström",
        sex="female",
        date_of_birth="1980-02-29",
        address="1 Rue de la Paix, Paris",
        emergency_contact_name="Jean Ångström",
        emergency_contact_phone="+33612345678",
        emergency_contact_relationship="Husband",
        insurance={"provider": "Secret Mutual", "member_id": "M-123", "group_number": "G9"},
    )
    body = fhir_get(signed_in(patient.user), f"/fhir/R4/Patient/{patient.pk}")
    assert body["name"][0]["text"] == "Zoë Ångström"
    assert body["gender"] == "female" and body["birthDate"] == "1980-02-29"
    assert body["address"] == [{"text": "1 Rue de la Paix, Paris"}]
    assert body["contact"][0]["telecom"][0]["value"] == "+33612345678"
    assert {"system": "email", "value": patient.user.email} in body["telecom"]
    text = json.dumps(body)
    assert "Secret Mutual" not in text and "M-123" not in text and "G9" not in text


def test_patient_search_by_name_gender_and_birthdate(db, signed_in, staff):
    make_patient(full_name="Ada Lovelace", sex="female", date_of_birth="1990-05-01")
    make_patient(full_name="Alan Turing", sex="male", date_of_birth="1985-06-23")
    desk = signed_in(staff)
    assert fhir_get(desk, "/fhir/R4/Patient", name="LOVE")["total"] == 1
    assert fhir_get(desk, "/fhir/R4/Patient", gender="male")["total"] == 1
    assert fhir_get(desk, "/fhir/R4/Patient", birthdate="1990-05-01")["total"] == 1
    assert fhir_get(desk, "/fhir/R4/Patient", birthdate="lt1990")["total"] == 1
    assert fhir_get(desk, "/fhir/R4/Patient", birthdate="1985")["total"] == 1
    assert fhir_get(desk, "/fhir/R4/Patient", gender="female,male")["total"] == 2


def test_directory_resources_and_specialty_codes(db, signed_in):
    heart = make_doctor(specialties=("Cardiology",))
    make_doctor(specialties=("Dermatology",))
    anonymous = signed_in(None)
    by_snomed = fhir_get(anonymous, "/fhir/R4/PractitionerRole", specialty="394579002")
    assert entry_ids(by_snomed) == [str(heart.pk)]
    role = by_snomed["entry"][0]["resource"]
    codes = {coding["code"] for coding in role["specialty"][0]["coding"]}
    assert codes == {"cardiology", "394579002"}
    local = "urn:clinic-portal:specialty|cardiology"
    assert entry_ids(fhir_get(anonymous, "/fhir/R4/Schedule", specialty=local)) == [str(heart.pk)]
    practitioner = fhir_get(anonymous, f"/fhir/R4/Practitioner/{heart.pk}")
    assert practitioner["identifier"][0]["value"] == heart.license_number
    schedule = fhir_get(anonymous, f"/fhir/R4/Schedule/{heart.pk}")
    assert schedule["actor"][0]["reference"] == f"Practitioner/{heart.pk}"
    found = fhir_get(anonymous, "/fhir/R4/Practitioner", identifier=heart.license_number)
    assert entry_ids(found) == [str(heart.pk)]


def test_slots_turn_busy_when_booked_and_free_when_cancelled(db, frozen, signed_in):
    doctor = make_doctor(weekly={1: (time(9), time(10))}, slot_minutes=30)
    patient = make_patient()
    anonymous = signed_in(None)
    params = {"schedule": f"Schedule/{doctor.pk}", "start": ["ge2026-06-02", "lt2026-06-03"]}
    free = fhir_get(anonymous, "/fhir/R4/Slot", **params)
    assert [entry["resource"]["status"] for entry in free["entry"]] == ["free", "free"]
    first_id = free["entry"][0]["resource"]["id"]
    assert fhir_get(anonymous, f"/fhir/R4/Slot/{first_id}")["status"] == "free"

    visit = appointment_book(
        actor=patient.user,
        doctor=doctor,
        patient=patient,
        start=datetime(2026, 6, 2, 7, tzinfo=UTC),
    )
    after = fhir_get(anonymous, "/fhir/R4/Slot", **params)
    assert [(e["resource"]["id"], e["resource"]["status"]) for e in after["entry"]] == [
        (first_id, "busy"),
        (free["entry"][1]["resource"]["id"], "free"),
    ]
    assert fhir_get(anonymous, f"/fhir/R4/Slot/{first_id}")["status"] == "busy"
    assert fhir_get(anonymous, "/fhir/R4/Slot", status="free", **params)["total"] == 1
    appointment_cancel(actor=patient.user, appointment=visit, reason="Better now")
    assert fhir_get(anonymous, f"/fhir/R4/Slot/{first_id}")["status"] == "free"


@pytest.mark.parametrize(
    "slot_id",
    ["nonsense", "00000000-0000-0000-0000-000000000000-202606020700", "x-202606020700", "-1"],
)
def test_unknown_slots_are_404(db, frozen, signed_in, slot_id):
    fhir_get(signed_in(None), f"/fhir/R4/Slot/{slot_id}", expect=404)


def test_a_slot_off_the_grid_is_404(db, frozen, signed_in):
    doctor = make_doctor(weekly={1: (time(9), time(10))}, slot_minutes=30)
    fhir_get(signed_in(None), f"/fhir/R4/Slot/{doctor.pk}-202606020710", expect=404)


def test_appointment_resource(chart, signed_in):
    visit = chart.appointments[0]
    body = fhir_get(signed_in(chart.patient.user), f"/fhir/R4/Appointment/{visit.pk}")
    assert body["status"] == "booked" and body["minutesDuration"] == 30
    actors = [participant["actor"]["reference"] for participant in body["participant"]]
    assert actors == [f"Patient/{chart.patient_id}", f"Practitioner/{chart.doctor.pk}"]
    assert body["start"] == "2026-06-02T08:00:00+00:00"
    appointment_cancel(actor=chart.patient.user, appointment=visit, reason="Feeling better")
    body = fhir_get(signed_in(chart.patient.user), f"/fhir/R4/Appointment/{visit.pk}")
    assert body["status"] == "cancelled"
    assert body["cancelationReason"] == {"text": "Feeling better"}
    by_status = fhir_get(signed_in(chart.doctor.user), "/fhir/R4/Appointment", status="cancelled")
    assert entry_ids(by_status) == [str(visit.pk)]


def test_everything_holds_the_whole_chart_once(chart, signed_in):
    body = fhir_get(
        signed_in(chart.doctor.user), f"/fhir/R4/Patient/{chart.patient_id}/$everything"
    )
    kinds = [entry["resource"]["resourceType"] for entry in body["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("Appointment") == 1
    assert kinds.count("Observation") == 7 and kinds.count("Condition") == 1
    assert kinds.count("MedicationRequest") == 2
    assert body["total"] == len(body["entry"]) == len({entry["fullUrl"] for entry in body["entry"]})


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_with_405(chart, signed_in, method):
    response = getattr(signed_in(chart.doctor.user), method)(
        "/fhir/R4/Patient", {"resourceType": "Patient"}, format="json"
    )
    assert response.status_code == 405 and response["Content-Type"].startswith(FHIR_JSON)
    assert validated(response.json())["issue"][0]["code"] == "not-supported"


def test_json_only(chart, signed_in):
    client = signed_in(chart.patient.user)
    fhir_get(client, "/fhir/R4/metadata", expect=406, _format="xml")
    fhir_get(client, "/fhir/R4/Patient", _format="json")
    fhir_get(client, "/fhir/R4/Patient", expect=406, headers={"Accept": "application/fhir+xml"})
    plain = client.get("/fhir/R4/Patient", headers={"Accept": "application/json"})
    assert plain.status_code == 200 and plain.json()["resourceType"] == "Bundle"


@pytest.mark.parametrize(
    "path",
    [
        "/fhir/R4/Nothing",
        "/fhir/R4/Patient/not-a-uuid",
        "/fhir/R4/Patient/00000000-0000-0000-0000-000000000000",
        "/fhir/R4/Observation/00000000-0000-0000-0000-000000000000-hr",
        "/fhir/R4/Patient/ü",
        "/fhir/R4/Patient/a/b/c",
        "/fhir/R5/metadata",
        "/fhir/R4/Patient/not-a-uuid/$everything",
    ],
)
def test_unknown_paths_and_ids_are_404(chart, signed_in, path):
    fhir_get(signed_in(chart.patient.user), path, expect=404)


def test_a_record_type_is_not_readable_as_another(chart, signed_in):
    doctor = signed_in(chart.doctor.user)
    allergy = next(record for record in chart.records if record.record_type == "allergy")
    fhir_get(doctor, f"/fhir/R4/AllergyIntolerance/{allergy.record_id}")
    fhir_get(doctor, f"/fhir/R4/Condition/{allergy.record_id}", expect=404)
    fhir_get(doctor, f"/fhir/R4/Observation/{allergy.record_id}", expect=404)


def test_a_huge_query_string_is_refused_cleanly(chart, signed_in):
    fhir_get(signed_in(chart.patient.user), "/fhir/R4/Patient", expect=200, name="ä" * 5000)
    fhir_get(signed_in(chart.patient.user), "/fhir/R4/Patient", expect=400, _count="9" * 500)
