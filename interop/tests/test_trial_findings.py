"""What an integrator trying the API found: extreme values, identifiers in other systems,
names with accents, slot pages while time passes, allergies the patient listed themself."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from doctors.tests.factories import make_doctor
from health_records.services import health_record_amend
from interop.tests.conftest import FHIR_JSON, entry_ids, every_page, fhir_get, validated
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/fhir/R4/Appointment", {"date": "gt9999-12-31"}),
        ("/fhir/R4/Appointment", {"date": "le9999-12-31"}),
        ("/fhir/R4/Appointment", {"date": "ge9999-12-31T23:59:59Z"}),
        ("/fhir/R4/Appointment", {"date": "0001-01-01T00:00:00+01:00"}),
        ("/fhir/R4/Patient", {"birthdate": "9999-12-31"}),
        ("/fhir/R4/Observation", {"date": "gt9999-12-31"}),
        ("/fhir/R4/Immunization", {"date": "9999-12-31"}),
        ("/fhir/R4/Slot", {"start": "ge9999-12-25"}),
        ("/fhir/R4/Slot", {"start": "le9999-12-31"}),
        ("/fhir/R4/Appointment", {"date": "2026-06-02T09:00:00 01:00"}),  # an unencoded '+'
        ("/fhir/R4/Patient", {"name": "\x00"}),
        ("/fhir/R4/Patient", {"_count": ["5", "10"]}),
        ("/fhir/R4/Patient", {"_cursor": "abc"}),
    ],
)
def test_extreme_values_are_400_not_500(chart, signed_in, path, params):
    outcome = fhir_get(signed_in(chart.patient.user), path, expect=400, **params)
    assert outcome["issue"][0]["severity"] == "error"


def test_a_slot_id_far_in_the_future_is_404(chart, signed_in):
    fhir_get(signed_in(None), f"/fhir/R4/Slot/{chart.doctor.pk}-999912312359", expect=404)


def test_too_many_query_parameters_is_400(chart, signed_in):
    query = "&".join(["name=a"] * 1001)
    fhir_get(signed_in(None), f"/fhir/R4/Practitioner?{query}", expect=400)


def test_lenient_handling_caps_count(chart, signed_in):
    lenient = {"Prefer": "handling=lenient"}
    body = fhir_get(
        signed_in(chart.doctor.user), "/fhir/R4/Observation", headers=lenient, _count=1000
    )
    assert body["total"] == 7 and "_count=100" in body["link"][0]["url"]


def test_identifiers_in_another_system_match_nothing(chart, signed_in):
    staff = signed_in(UserFactory(role=Role.STAFF))
    own = f"urn:clinic-portal:patient|{chart.patient_id}"
    assert fhir_get(staff, "/fhir/R4/Patient", identifier=own)["total"] == 1
    assert fhir_get(staff, "/fhir/R4/Patient", identifier=chart.patient_id)["total"] == 1
    assert (
        fhir_get(staff, "/fhir/R4/Patient", identifier=f"urn:other|{chart.patient_id}")["total"]
        == 0
    )
    assert fhir_get(staff, "/fhir/R4/Patient", identifier=f"|{chart.patient_id}")["total"] == 0
    licence = chart.doctor.license_number
    anonymous = signed_in(None)
    assert fhir_get(anonymous, "/fhir/R4/Practitioner", identifier=licence)["total"] == 1
    assert (
        fhir_get(anonymous, "/fhir/R4/Practitioner", identifier=f"urn:other|{licence}")["total"]
        == 0
    )


def test_names_match_without_case_or_accents(db, signed_in):
    make_patient(full_name="María García")
    make_patient(full_name="John Smith")
    staff = signed_in(UserFactory(role=Role.STAFF))
    for term in ("garcia", "GARCÍA", "maria", "Mari\u0301a", "maría garcía"):
        assert fhir_get(staff, "/fhir/R4/Patient", name=term)["total"] == 1, term
    assert fhir_get(staff, "/fhir/R4/Patient", name="smith")["total"] == 1


def test_an_empty_searchset_has_no_entry_array(chart, signed_in):
    staff = signed_in(UserFactory(role=Role.STAFF))
    body = fhir_get(staff, "/fhir/R4/Observation")
    assert body["total"] == 0 and "entry" not in body


def test_slot_pages_skip_nothing_while_slots_pass_the_notice(db, signed_in):
    """The first page is read, time passes so that its first slot can no longer be booked,
    and the next pages still give every later slot once."""
    start = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        doctor = make_doctor(weekly={0: (time(9), time(12))}, slot_minutes=30)
        anonymous = signed_in(None)
        params = {"schedule": f"Schedule/{doctor.pk}", "status": "free", "_count": 2}
        first = fhir_get(anonymous, "/fhir/R4/Slot", **params)
        seen = entry_ids(first)
        assert first["total"] == 6
        clock.move_to(start + timedelta(hours=1, minutes=5))  # 09:00 Berlin has begun
        body = first
        while next_link := next(
            (link["url"] for link in body["link"] if link["relation"] == "next"), None
        ):
            body = fhir_get(anonymous, next_link.removeprefix("http://testserver"))
            seen += entry_ids(body)
    assert len(seen) == len(set(seen)) == 6
    assert fhir_get(anonymous, "/fhir/R4/Slot", expect=400, _offset=2, **params)


def test_slot_paging_is_stable_without_a_clock_change(db, frozen, signed_in):
    doctor = make_doctor(weekly={day: (time(9), time(12)) for day in range(7)}, slot_minutes=30)
    seen, total = every_page(
        signed_in(None), "/fhir/R4/Slot", schedule=f"Schedule/{doctor.pk}", _count=5
    )
    assert len(seen) == len(set(seen)) == total > 5


def test_allergies_the_patient_listed_are_shown_unconfirmed(chart, signed_in):
    chart.patient.allergies = "Sulfonamides, latex"
    chart.patient.save(update_fields=["allergies"])
    own = signed_in(chart.patient.user)
    found = fhir_get(own, "/fhir/R4/AllergyIntolerance")
    texts = {entry["resource"]["code"]["text"] for entry in found["entry"]}
    assert texts == {"Penicillin", "Sulfonamides, latex"}
    reported_id = f"{chart.patient_id}-reported"
    reported = fhir_get(signed_in(chart.doctor.user), f"/fhir/R4/AllergyIntolerance/{reported_id}")
    assert reported["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    everything = fhir_get(own, f"/fhir/R4/Patient/{chart.patient_id}/$everything")
    assert reported_id in entry_ids(everything)
    fhir_get(
        signed_in(make_patient().user), f"/fhir/R4/AllergyIntolerance/{reported_id}", expect=404
    )
    staff = signed_in(UserFactory(role=Role.STAFF))
    fhir_get(staff, f"/fhir/R4/AllergyIntolerance/{reported_id}", expect=404)
    assert fhir_get(staff, "/fhir/R4/AllergyIntolerance")["total"] == 0


def test_an_amended_vital_sign_says_amended(chart, signed_in):
    vitals = next(record for record in chart.records if record.record_type == "vital_signs")
    health_record_amend(
        actor=chart.doctor.user,
        record=vitals,
        data={"heart_rate_bpm": 72},
        reason="Misread",
    )
    body = fhir_get(
        signed_in(chart.doctor.user), f"/fhir/R4/Observation/{vitals.record_id}-heart-rate"
    )
    assert body["status"] == "amended" and body["valueQuantity"]["value"] == 72


def test_everything_takes_no_parameters(chart, signed_in):
    own = signed_in(chart.patient.user)
    path = f"/fhir/R4/Patient/{chart.patient_id}/$everything"
    fhir_get(own, path, expect=400, _count=5)
    fhir_get(own, path, expect=400, _type="Observation")
    fhir_get(own, path, headers={"Prefer": "handling=lenient"}, _count=5)


def test_the_base_options_and_old_media_types(chart, signed_in):
    client = signed_in(chart.patient.user)
    fhir_get(client, "/fhir/R4/", expect=400)
    posted = client.post("/fhir/R4/", {"resourceType": "Bundle"}, format="json")
    assert (
        posted.status_code == 405 and validated(posted.json())["resourceType"] == "OperationOutcome"
    )
    options = client.options("/fhir/R4/Patient")
    assert (
        options.status_code == 405
        and validated(options.json())["resourceType"] == "OperationOutcome"
    )
    legacy = client.get("/fhir/R4/Patient", headers={"Accept": "application/json+fhir"})
    assert legacy.status_code == 200 and validated(legacy.json())["total"] == 1
    answer = client.get(f"/fhir/R4/Patient/{chart.patient_id}")
    assert answer["Cache-Control"] == "no-store" and answer["Content-Type"].startswith(FHIR_JSON)
