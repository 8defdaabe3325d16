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
    "/fhir/R4/AllergyIntolerance": 2,
    "/fhir/R4/Immunization": 2,
    "/fhir/R4/MedicationRequest": 3,
    "/fhir/R4/Practitioner": 2,
    "/fhir/R4/PractitionerRole": 3,
    "/fhir/R4/Schedule": 3,
    "/fhir/R4/Slot": 6,
    "/fhir/R4/Patient/{patient}/$everything": 9,
}


def _queries(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        fhir_get(client, path, **params)
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", list(BUDGETS))
def test_queries_do_not_grow_with_the_rows(
    db, frozen, signed_in, path, django_assert_max_num_queries
):
    counts = []
    for size in (2, 50):
        doctor = make_doctor(weekly={day: (time(8), time(20)) for day in range(7)})
        chart = chart_of(doctor, make_patient(), visits=size, each_record=size)
        for _ in range(size - 1):  # more doctors for the directory's searches
            make_doctor(weekly={day: (time(9), time(10)) for day in range(7)})
        client = signed_in(doctor.user)
        url = path.format(patient=chart.patient_id)
        params = {"_count": 100} if "$everything" not in path else {}
        with django_assert_max_num_queries(BUDGETS[path]):
            fhir_get(client, url, **params)
        counts.append(_queries(client, url, **params))
    assert counts[0] == counts[1], counts
