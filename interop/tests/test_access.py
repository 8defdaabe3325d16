"""Who reads what through FHIR: the REST API's rules, through the same door. Anything a user
may not see answers 404, as if it did not exist; a signed-out request for patients' data 401."""

import pytest

from core.models import AuditEvent
from doctors.tests.factories import make_doctor
from interop.tests.conftest import chart_of, entry_ids, fhir_get
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

PATIENT_DATA = (
    "Patient",
    "Appointment",
    "Observation",
    "Condition",
    "AllergyIntolerance",
    "Immunization",
    "MedicationRequest",
)
CLINICAL = ("Observation", "Condition", "AllergyIntolerance", "Immunization", "MedicationRequest")
PUBLIC = ("Practitioner", "PractitionerRole", "Schedule", "Slot")


@pytest.fixture
def ids(chart, signed_in) -> dict[str, str]:
    """One id of each resource type of the chart, as its own patient finds them."""
    own = signed_in(chart.patient.user)
    found = {}
    for resource_type in PATIENT_DATA:
        body = fhir_get(own, f"/fhir/R4/{resource_type}")
        assert body["total"] >= 1, resource_type
        found[resource_type] = entry_ids(body)[0]
    return found


def test_signed_out_gets_401_for_patients_data_and_reads_the_directory(chart, ids, signed_in):
    anonymous = signed_in(None)
    for resource_type, resource_id in ids.items():
        fhir_get(anonymous, f"/fhir/R4/{resource_type}", expect=401)
        outcome = fhir_get(anonymous, f"/fhir/R4/{resource_type}/{resource_id}", expect=401)
        assert outcome["issue"][0]["code"] == "login"
    fhir_get(anonymous, f"/fhir/R4/Patient/{chart.patient_id}/$everything", expect=401)
    for resource_type in PUBLIC:
        assert fhir_get(anonymous, f"/fhir/R4/{resource_type}")["total"] >= 1
    fhir_get(anonymous, f"/fhir/R4/Practitioner/{chart.doctor.pk}")
    fhir_get(anonymous, "/fhir/R4/metadata")


def test_a_bad_token_is_401_even_on_the_directory(chart, api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    outcome = fhir_get(api_client, "/fhir/R4/Practitioner", expect=401)
    assert outcome["issue"][0]["code"] == "login"


def test_the_api_token_signs_in(chart):
    body = fhir_get(client_for(chart.patient.user), f"/fhir/R4/Patient/{chart.patient_id}")
    assert body["id"] == chart.patient_id


def test_the_patient_reads_all_of_their_own_and_nobody_elses(chart, ids, signed_in, frozen):
    own = signed_in(chart.patient.user)
    for resource_type, resource_id in ids.items():
        assert fhir_get(own, f"/fhir/R4/{resource_type}/{resource_id}")["id"] == resource_id
    everything = fhir_get(own, f"/fhir/R4/Patient/{chart.patient_id}/$everything")
    assert {entry["resource"]["resourceType"] for entry in everything["entry"]} == set(PATIENT_DATA)

    stranger = signed_in(make_patient().user)
    for resource_type, resource_id in ids.items():
        fhir_get(stranger, f"/fhir/R4/{resource_type}/{resource_id}", expect=404)
        assert resource_id not in entry_ids(fhir_get(stranger, f"/fhir/R4/{resource_type}"))
    fhir_get(stranger, f"/fhir/R4/Patient/{chart.patient_id}/$everything", expect=404)
    # Asking by the patient's id does not widen anything either.
    found = fhir_get(stranger, "/fhir/R4/Observation", patient=f"Patient/{chart.patient_id}")
    assert found["total"] == 0


def test_a_linked_doctor_reads_the_chart_and_an_unlinked_one_nothing(chart, ids, signed_in):
    linked = signed_in(chart.doctor.user)
    for resource_type, resource_id in ids.items():
        assert fhir_get(linked, f"/fhir/R4/{resource_type}/{resource_id}")["id"] == resource_id
    fhir_get(linked, f"/fhir/R4/Patient/{chart.patient_id}/$everything")

    unlinked = signed_in(make_doctor().user)
    for resource_type, resource_id in ids.items():
        fhir_get(unlinked, f"/fhir/R4/{resource_type}/{resource_id}", expect=404)
        assert fhir_get(unlinked, f"/fhir/R4/{resource_type}")["total"] == 0
    fhir_get(unlinked, f"/fhir/R4/Patient/{chart.patient_id}/$everything", expect=404)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_read_patients_and_visits_but_no_chart(chart, ids, signed_in, role):
    staff = signed_in(UserFactory(role=role))
    for resource_type in ("Patient", "Appointment"):
        fhir_get(staff, f"/fhir/R4/{resource_type}/{ids[resource_type]}")
    for resource_type in CLINICAL:
        fhir_get(staff, f"/fhir/R4/{resource_type}/{ids[resource_type]}", expect=404)
        assert fhir_get(staff, f"/fhir/R4/{resource_type}")["total"] == 0
    fhir_get(staff, f"/fhir/R4/Patient/{chart.patient_id}/$everything", expect=404)


def test_another_doctors_patient_stays_hidden_from_a_doctor_with_patients(chart, signed_in):
    other = chart_of(make_doctor(), make_patient(), visits=0)
    mine = signed_in(chart.doctor.user)
    assert fhir_get(mine, "/fhir/R4/Patient")["total"] == 1
    fhir_get(mine, f"/fhir/R4/Patient/{other.patient_id}", expect=404)
    observations = fhir_get(mine, "/fhir/R4/Observation", _count=100)
    assert {entry["resource"]["subject"]["reference"] for entry in observations["entry"]} == {
        f"Patient/{chart.patient_id}"
    }


def test_every_read_of_patient_data_is_audited(chart, ids, signed_in):
    doctor = signed_in(chart.doctor.user)
    before = AuditEvent.objects.filter(actor=chart.doctor.user, action="view").count()
    fhir_get(doctor, f"/fhir/R4/Patient/{chart.patient_id}")
    fhir_get(doctor, f"/fhir/R4/Condition/{ids['Condition']}")
    fhir_get(doctor, "/fhir/R4/MedicationRequest")
    fhir_get(doctor, f"/fhir/R4/Patient/{chart.patient_id}/$everything")
    events = AuditEvent.objects.filter(actor=chart.doctor.user, action="view").order_by("at")
    new = list(events.values_list("resource_type", "resource_id", "patient_id"))[before:]
    assert ("patient", chart.patient_id, chart.patient.user_id) in new
    assert ("health_record", ids["Condition"], chart.patient.user_id) in new
    assert ("prescription", str(chart.prescriptions[0].pk), chart.patient.user_id) in new
    assert ("patient_everything", chart.patient_id, chart.patient.user_id) in new
    assert all(patient == chart.patient.user_id for _, _, patient in new)
    everything = events.get(resource_type="patient_everything")
    assert everything.detail["resources"] == {
        "Patient": 1,
        "Appointment": 1,
        "Observation": 7,
        "Condition": 1,
        "AllergyIntolerance": 1,
        "Immunization": 1,
        "MedicationRequest": 2,
    }


def test_the_directory_reads_write_no_audit_events(chart, signed_in):
    before = AuditEvent.objects.count()
    for resource_type in PUBLIC:
        fhir_get(signed_in(None), f"/fhir/R4/{resource_type}")
    assert AuditEvent.objects.count() == before
