"""Searches and $everything run a fixed number of SQL queries, whatever the number of rows."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doctors.tests.factories import make_doctor
from interop.tests.conftest import chart_of, fhir_get
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

# path template -> the most queries it may take (the user is force-authenticated: no lookup;
# the rows, their audit insert, a count where the page needs one).
BUDGETS = {
    "/fhir/R4/Patient": 3,
    "/fhir/R4/Appointment": 3,
    "/fhir/R4/Observation": 2,
    "/fhir/R4/Condition": 2,
    "/fhir/R4/AllergyIntolerance": 3,  # and the allergies patients listed themselves
    "/fhir/R4/Immunization": 2,
    "/fhir/R4/MedicationRequest": 3,
    "/fhir/R4/Practitioner": 2,
    "/fhir/R4/PractitionerRole": 3,
    "/fhir/R4/Schedule": 3,
    "/fhir/R4/Slot": 6,
    "/fhir/R4/Patient/{patient}/$everything": 9,
}


DIRECTORY = [
    "/fhir/R4/Practitioner",
    "/fhir/R4/PractitionerRole",
    "/fhir/R4/Schedule",
    "/fhir/R4/Slot",
]
PATIENT_DATA = [path for path in BUDGETS if path not in DIRECTORY]


def _queries(client, path: str, budget: int, assert_max) -> int:
    params = {} if "$everything" in path else {"_count": 100}
    with assert_max(budget), CaptureQueriesContext(connection) as captured:
        fhir_get(client, path, **params)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_rows(db, frozen, signed_in, django_assert_max_num_queries):
    """One doctor's chart of 2 rows of each kind and another's of 50 take the same queries;
    so do the directory's searches over 2 doctors and over 50 (and their slots)."""
    week = {day: (time(8), time(20)) for day in range(7)}
    small = chart_of(make_doctor(weekly=week), make_patient(), visits=2, each_record=2)
    large = chart_of(make_doctor(weekly=week), make_patient(), visits=50, each_record=50)
    anyone = signed_in(small.doctor.user)
    directory_small = {
        path: _queries(anyone, path, BUDGETS[path], django_assert_max_num_queries)
        for path in DIRECTORY
    }
    for _ in range(48):
        make_doctor(weekly={day: (time(9), time(10)) for day in range(7)})
    directory_large = {
        path: _queries(anyone, path, BUDGETS[path], django_assert_max_num_queries)
        for path in DIRECTORY
    }
    assert directory_small == directory_large
    for path in PATIENT_DATA:
        counts = [
            _queries(
                signed_in(chart.doctor.user),
                path.format(patient=chart.patient_id),
                BUDGETS[path],
                django_assert_max_num_queries,
            )
            for chart in (small, large)
        ]
        assert counts[0] == counts[1], (path, counts)
