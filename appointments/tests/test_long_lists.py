"""Lists that hold every appointment of a clinic (the staff's API list, the front desk's day)
cost what their page costs, not what the table holds: the API's count stops a step past the
page (and says so), rows carry only the names of their doctor and patient, and the Today page
reads whole only the rows it shows."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments import services
from appointments.models import Appointment
from core import pagination
from core.models import AuditAction, AuditEvent
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

APPOINTMENTS = "/api/v1/appointments/"
TODAY_URL = "/admin/appointments/appointment/today/"
# NOW (conftest) is Monday 1 June 2026, 08:00 in Berlin; 09:00 Berlin is 07:00 UTC.
MONDAY_9 = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def doctors(frozen):
    return [make_doctor(weekly={day: (time(9), time(17)) for day in range(7)}) for _ in range(4)]


def book_many(doctors, count: int, *, patient=None) -> list[Appointment]:
    """`count` visits on Monday from 09:00 Berlin, half-hourly: four doctors at a time, each
    with a patient of their own, or one after the other for the one `patient` given."""
    booked = []
    for index in range(count):
        someone = patient or make_patient()
        slot = index if patient else index // len(doctors)
        booked.append(
            services.appointment_book(
                actor=someone.user,
                doctor=doctors[index % len(doctors)],
                patient=someone,
                start=MONDAY_9 + timedelta(minutes=30 * slot),
            )
        )
    return booked


def count_statements(captured: CaptureQueriesContext) -> list[str]:
    return [item["sql"] for item in captured.captured_queries if "COUNT(" in item["sql"]]


# --- the API's list -------------------------------------------------------------------------


def test_a_short_list_is_counted_exactly(doctors, staff):
    book_many(doctors, 3)
    page = client_for(staff).get(APPOINTMENTS).json()
    assert (page["count"], page["count_exact"]) == (3, True)
    assert page["next"] is None and len(page["results"]) == 3


def test_a_long_list_is_counted_a_step_past_the_page_and_says_so(doctors, staff, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_STEP", 5)  # 1000 in the portal
    book_many(doctors, 12)
    client = client_for(staff)

    first = client.get(APPOINTMENTS, {"page_size": 2}).json()
    assert (first["count"], first["count_exact"]) == (5, False)  # "more than 5"
    assert first["next"] and len(first["results"]) == 2
    third = client.get(APPOINTMENTS, {"page_size": 2, "page": 3}).json()  # rows 5 and 6
    assert (third["count"], third["count_exact"]) == (10, False)
    assert third["next"] and third["previous"]
    last = client.get(APPOINTMENTS, {"page_size": 2, "page": 6}).json()  # rows 11 and 12
    assert (last["count"], last["count_exact"]) == (12, True)
    assert last["next"] is None and len(last["results"]) == 2

    # Every row once, on the pages the links lead to.
    seen, url = [], f"{APPOINTMENTS}?page_size=5"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 12


def test_pages_past_the_end_and_pages_that_are_no_number_answer_404(doctors, staff):
    book_many(doctors, 3)
    client = client_for(staff)
    for page in ("2", "0", "-1", "last", "two", "9" * 30):
        answer = client.get(APPOINTMENTS, {"page": page})
        assert answer.status_code == 404, page
        assert answer.json()["error"]["code"] == "not_found", page


def test_the_count_stops_counting_at_the_step_whatever_the_order(doctors, staff):
    book_many(doctors, 3)
    client = client_for(staff)
    for params in ({}, {"ordering": "-created_at"}, {"status": "booked"}):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(APPOINTMENTS, params).status_code == 200
        (count,) = count_statements(captured)
        assert f"LIMIT {pagination.COUNT_STEP + 1}" in count, count
        assert "ORDER BY" not in count and "DISTINCT" not in count, count


def test_rows_carry_the_parties_names_but_not_the_rest_of_them(doctors, staff):
    patient = make_patient(insurance={"provider": "Acme", "member_id": "M-1"})
    mine = book_many(doctors, 1, patient=patient)[0]
    with CaptureQueriesContext(connection) as captured:
        page = client_for(staff).get(APPOINTMENTS).json()
    (row,) = page["results"]
    assert row["patient_name"] == patient.user.full_name
    assert row["doctor_name"] == mine.doctor.user.full_name
    (page_query,) = [
        item["sql"] for item in captured.captured_queries if '"patients_patient"' in item["sql"]
    ]
    assert "insurance" not in page_query and "password" not in page_query
    # Still audited as read, naming the patient.
    event = AuditEvent.objects.get(action=AuditAction.VIEW, resource_id=str(mine.pk))
    assert event.patient_id == patient.user_id


@pytest.mark.parametrize("role", ["staff", "doctor", "patient"])
def test_the_list_costs_the_same_queries_for_any_page_size(
    role, doctors, staff, django_assert_max_num_queries
):
    patient = make_patient()
    book_many(doctors, 12, patient=patient if role == "patient" else None)  # 3 for each doctor
    user = {"staff": staff, "doctor": doctors[0].user, "patient": patient.user}[role]
    client = client_for(user)
    sizes = {}
    for size in (2, 100):
        # The user, the count, the page, the audit of the rows read.
        with django_assert_max_num_queries(4):
            answer = client.get(APPOINTMENTS, {"page_size": size, "status": "booked"})
        assert answer.status_code == 200
        sizes[size] = len(answer.json()["results"])
    assert sizes[2] == 2 and sizes[100] > 2


def test_the_schema_documents_the_count_as_it_is(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["components"]["schemas"]["PaginatedAppointmentList"]
    assert listing["required"] == ["count", "count_exact", "results"]
    assert listing["properties"]["count_exact"]["type"] == "boolean"
    assert "lower bound" in listing["properties"]["count"]["description"]


# --- the front desk's Today page ------------------------------------------------------------


@pytest.fixture
def desk(client, staff):
    client.force_login(staff)
    return client


def test_today_reads_and_audits_only_the_rows_it_shows(desk, doctors):
    day = book_many(doctors, 53)
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type="appointment")

    first = desk.get(TODAY_URL)
    assert len(first.context["rows"]) == 50 and views.count() == 50
    second = desk.get(TODAY_URL, {"page": 2})
    assert len(second.context["rows"]) == 3 and views.count() == 53
    assert {event.resource_id for event in views} == {str(visit.pk) for visit in day}
    assert "53 appointments:" in second.content.decode()


def test_today_rows_link_to_their_page_and_their_buttons_to_their_moves(desk, doctors):
    visit = book_many(doctors, 1)[0]
    html = desk.get(TODAY_URL).content.decode()
    change = reverse("admin:appointments_appointment_change", args=[visit.pk])
    assert f'<a href="{change}">09:00\u201309:30</a>' in html
    for move in ("check-in", "no-show", "cancel"):
        url = reverse("admin:appointments_appointment_desk_move", args=[visit.pk, move])
        assert f'action="{url}"' in html, move
    name = visit.patient.user.full_name
    assert f'data-confirm="Cancel the appointment of {name} at 09:00?"' in html
    assert f'aria-label="Check in: {name} at 09:00"' in html
    # And a button does what it says.
    check_in = reverse("admin:appointments_appointment_desk_move", args=[visit.pk, "check-in"])
    assert desk.post(check_in, {"next": TODAY_URL}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == "arrived"


@pytest.mark.parametrize("count", [2, 60])
def test_today_costs_the_same_queries_on_every_page_and_order(
    desk, doctors, count, django_assert_max_num_queries
):
    book_many(doctors, count)
    last_page = count - 50 if count > 50 else count  # a page past the last shows the last
    for params, shown in (({}, min(count, 50)), ({"order": "time"}, min(count, 50)),
                          ({"page": 2}, last_page)):  # fmt: skip
        # The user, their second sign-in step, their permissions (two), the day's counts per
        # status, the page's rows, the audit of those rows.
        with django_assert_max_num_queries(7):
            page = desk.get(TODAY_URL, params)
        assert page.status_code == 200
        assert len(page.context["rows"]) == shown
