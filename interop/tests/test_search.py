"""Search parameters: unknown ones, _count bounds, paging that visits each result once, and
date prefixes on the clinic's clock across a change of the clocks."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.test import override_settings

from appointments.services import appointment_book
from doctors.tests.factories import make_doctor
from interop.tests.conftest import chart_of, entry_ids, every_page, fhir_get
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_an_unknown_parameter_is_400_unless_lenient(chart, signed_in):
    own = signed_in(chart.patient.user)
    outcome = fhir_get(own, "/fhir/R4/Appointment", expect=400, colour="blue")
    assert "colour" in outcome["issue"][0]["diagnostics"]
    assert outcome["issue"][0]["code"] == "invalid"
    fhir_get(own, "/fhir/R4/Appointment", expect=400, **{"date:missing": "true"})
    lenient = fhir_get(
        own, "/fhir/R4/Appointment", headers={"Prefer": "handling=lenient"}, colour="blue"
    )
    assert lenient["total"] == 1
    strict = {"Prefer": "handling=strict"}
    fhir_get(own, "/fhir/R4/Appointment", expect=400, headers=strict, colour="blue")


@pytest.mark.parametrize("value", ["-1", "101", "abc", "1.5", "", "\uff19"])
def test_count_out_of_bounds_is_400(chart, signed_in, value):
    outcome = fhir_get(signed_in(chart.patient.user), "/fhir/R4/Patient", expect=400, _count=value)
    assert "_count" in outcome["issue"][0]["diagnostics"]


def test_count_zero_gives_the_total_only_and_100_is_allowed(chart, signed_in):
    own = signed_in(chart.doctor.user)
    summary = fhir_get(own, "/fhir/R4/Observation", _count=0)
    # Six vital signs (blood pressure is one) and a lab result.
    assert summary["total"] == 7 and "entry" not in summary
    assert len(fhir_get(own, "/fhir/R4/Observation", _count=100)["entry"]) == 7


@pytest.mark.parametrize(
    "params",
    [
        {"date": "2026-13-01"},
        {"date": "sa2026-06-01"},
        {"date": "ap2026-06-01"},
        {"date": "yesterday"},
        {"date": "2026-06-01,2026-06-02"},
        {"status": ""},
        {"patient": "Practitioner/abc"},
        {"_offset": "-5"},
    ],
)
def test_malformed_values_are_400(chart, signed_in, params):
    fhir_get(signed_in(chart.patient.user), "/fhir/R4/Appointment", expect=400, **params)


@pytest.mark.parametrize("resource_type", ["Appointment", "Observation", "MedicationRequest"])
def test_paging_visits_each_result_once(db, frozen, signed_in, resource_type):
    chart = chart_of(
        make_doctor(
            weekly={day: (time(9), time(17)) for day in range(7)}, timezone="Europe/Berlin"
        ),
        make_patient(),
        visits=7,
        each_record=3,
    )
    own = signed_in(chart.patient.user)
    seen, total = every_page(own, f"/fhir/R4/{resource_type}", _count=4)
    assert len(seen) == total == len(set(seen)) and total > 4
    everything_at_once = entry_ids(fhir_get(own, f"/fhir/R4/{resource_type}", _count=100))
    assert sorted(seen) == sorted(everything_at_once)


def test_previous_and_next_links_carry_the_search(chart, signed_in):
    own = signed_in(chart.doctor.user)
    body = fhir_get(own, "/fhir/R4/Observation", _count=2, _offset=2, category="vital-signs")
    links = {link["relation"]: link["url"] for link in body["link"]}
    assert "category=vital-signs" in links["next"] and "_offset=4" in links["next"]
    assert "_offset=0" in links["previous"] and "_count=2" in links["previous"]
    assert body["total"] == 6 and len(body["entry"]) == 2


# The clocks in New York went forward at 02:00 on Sunday 8 March 2026: that day had 23 hours.
DST_DAY = "2026-03-08"


@pytest.fixture
def new_york_visits(db, signed_in):
    """Visits of a New York doctor late on the 7th, early and late on the 8th, and early on
    the 9th of March (local times), booked before them."""
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        doctor = make_doctor(
            timezone="America/New_York",
            weekly={day: (time(0), time(23, 59)) for day in range(7)},
            slot_minutes=30,
        )
        patient = make_patient()
        starts = {
            "7th 23:00": datetime(2026, 3, 8, 4, 0, tzinfo=UTC),  # EST, UTC-5
            "8th 00:30": datetime(2026, 3, 8, 5, 30, tzinfo=UTC),
            "8th 23:00": datetime(2026, 3, 9, 3, 0, tzinfo=UTC),  # EDT, UTC-4
            "9th 00:30": datetime(2026, 3, 9, 4, 30, tzinfo=UTC),
        }
        visits = {
            name: str(
                appointment_book(actor=patient.user, doctor=doctor, patient=patient, start=start).pk
            )
            for name, start in starts.items()
        }
    return signed_in(patient.user), visits


@override_settings(CLINIC_TIMEZONE="America/New_York")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date": DST_DAY}, {"8th 00:30", "8th 23:00"}),
        ({"date": f"eq{DST_DAY}"}, {"8th 00:30", "8th 23:00"}),
        ({"date": f"ge{DST_DAY}"}, {"8th 00:30", "8th 23:00", "9th 00:30"}),
        ({"date": f"gt{DST_DAY}"}, {"9th 00:30"}),
        ({"date": f"lt{DST_DAY}"}, {"7th 23:00"}),
        ({"date": f"le{DST_DAY}"}, {"7th 23:00", "8th 00:30", "8th 23:00"}),
        ({"date": "2026-03"}, {"7th 23:00", "8th 00:30", "8th 23:00", "9th 00:30"}),
        # A time with its offset is that instant, whatever the clinic's clock.
        ({"date": "ge2026-03-08T23:00:00-04:00"}, {"8th 23:00", "9th 00:30"}),
        ({"date": "lt2026-03-08T05:30:00Z"}, {"7th 23:00"}),
        # A time without an offset is on the clinic's clock (EDT by then).
        ({"date": "ge2026-03-08T23:00"}, {"8th 23:00", "9th 00:30"}),
    ],
)
def test_date_prefixes_across_the_clock_change(new_york_visits, params, expected):
    client, visits = new_york_visits
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        found = set(entry_ids(fhir_get(client, "/fhir/R4/Appointment", **params)))
    assert found == {visits[name] for name in expected}


def test_two_date_bounds_make_a_range(new_york_visits):
    client, visits = new_york_visits
    with override_settings(CLINIC_TIMEZONE="America/New_York"):
        found = fhir_get(
            client, "/fhir/R4/Appointment?date=gt2026-03-07T23:30:00-05:00&date=lt2026-03-09"
        )
    assert set(entry_ids(found)) == {visits["8th 00:30"], visits["8th 23:00"]}


def test_slots_across_the_clock_change_keep_the_doctors_wall_clock(db, signed_in):
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        doctor = make_doctor(
            timezone="America/New_York",
            weekly={day: (time(9), time(10)) for day in range(7)},
            slot_minutes=30,
        )
        body = fhir_get(
            signed_in(None),
            "/fhir/R4/Slot",
            schedule=f"Schedule/{doctor.pk}",
            start=["ge2026-03-07T00:00:00-05:00", "lt2026-03-10T00:00:00-04:00"],
            _count=100,
        )
    starts = [entry["resource"]["start"] for entry in body["entry"]]
    # 09:00 and 09:30 local each day: 14:00 UTC in EST, 13:00 UTC in EDT.
    assert starts == [
        "2026-03-07T14:00:00+00:00",
        "2026-03-07T14:30:00+00:00",
        "2026-03-08T13:00:00+00:00",
        "2026-03-08T13:30:00+00:00",
        "2026-03-09T13:00:00+00:00",
        "2026-03-09T13:30:00+00:00",
    ]


def test_slot_search_is_bounded(db, frozen, signed_in):
    doctor = make_doctor(weekly={0: (time(9), time(10))})
    anonymous = signed_in(None)
    outcome = fhir_get(
        anonymous,
        "/fhir/R4/Slot",
        expect=400,
        schedule=f"Schedule/{doctor.pk}",
        start=["ge2026-06-02", "lt2026-12-01"],
    )
    assert "days" in outcome["issue"][0]["diagnostics"]
    fhir_get(anonymous, "/fhir/R4/Slot", expect=400, colour="free")
    fhir_get(anonymous, "/fhir/R4/Slot", expect=400, **{"status": "waitlisted"})
    empty = fhir_get(anonymous, "/fhir/R4/Slot", start=["ge2026-06-10", "lt2026-06-09"])
    assert empty["total"] == 0
    past = fhir_get(anonymous, "/fhir/R4/Slot", start=["ge2020-01-01", "lt2020-01-05"])
    assert past["total"] == 0


def test_observation_search_by_code_category_and_date(chart, signed_in):
    own = signed_in(chart.patient.user)
    heart = fhir_get(own, "/fhir/R4/Observation", code="http://loinc.org|8867-4")
    assert heart["total"] == 1
    assert heart["entry"][0]["resource"]["valueQuantity"]["code"] == "/min"
    assert fhir_get(own, "/fhir/R4/Observation", code="8867-4,2093-3")["total"] == 2
    assert fhir_get(own, "/fhir/R4/Observation", code="http://snomed.info/sct|8867-4")["total"] == 0
    assert fhir_get(own, "/fhir/R4/Observation", category="laboratory")["total"] == 1
    day = (chart.records[0].recorded_at).date().isoformat()
    assert fhir_get(own, "/fhir/R4/Observation", date=day)["total"] == 7
    later = (chart.records[0].recorded_at + timedelta(days=1)).date().isoformat()
    assert fhir_get(own, "/fhir/R4/Observation", date=f"ge{later}")["total"] == 0


def test_condition_medication_and_immunization_searches(chart, signed_in):
    doctor = signed_in(chart.doctor.user)
    patient = f"Patient/{chart.patient_id}"
    conditions = fhir_get(doctor, "/fhir/R4/Condition", patient=patient, code="E11.9")
    assert conditions["total"] == 1
    assert fhir_get(doctor, "/fhir/R4/Condition", **{"clinical-status": "resolved"})["total"] == 0
    assert fhir_get(doctor, "/fhir/R4/MedicationRequest", status="active")["total"] == 2
    assert fhir_get(doctor, "/fhir/R4/MedicationRequest", status="completed")["total"] == 0
    assert fhir_get(doctor, "/fhir/R4/Immunization", date="2026-05-01")["total"] == 1
    assert fhir_get(doctor, "/fhir/R4/Immunization", date="gt2026-05-01")["total"] == 0
