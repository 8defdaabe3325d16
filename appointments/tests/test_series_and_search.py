from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from appointments import services
from appointments.models import Appointment, AppointmentSeries, Status
from appointments.tests.conftest import TUESDAY_9
from core.models import Notification
from core.testing import assert_error
from doctors.models import TimeOff
from doctors.tests.factories import make_doctor
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

SERIES = "/api/v1/appointments/series/"
SEARCH = "/api/v1/slots/"


def series(client, with_doctor, **body):
    payload = {"doctor": str(with_doctor.pk), "start": TUESDAY_9.isoformat(), "reason": "Physio"}
    return client.post(SERIES, {**payload, **body}, format="json")


def test_weekly_series_books_every_visit(clinic_doctor, patient):
    response = series(client_for(patient), clinic_doctor, count=4)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [row["start"] for row in body["booked"]] == [
        f"2026-06-{day:02d}T07:00:00Z" for day in (2, 9, 16, 23)
    ]
    assert body["conflicts"] == []
    assert Appointment.objects.filter(series_id=body["series"]).count() == 4


def test_a_series_keeps_the_local_time_across_a_clock_change(frozen, patient):
    frozen.move_to(datetime(2026, 10, 1, tzinfo=UTC))
    doctor = make_doctor(timezone="Europe/Berlin", weekly={0: (time(9), time(12))})
    first = datetime(2026, 10, 19, 7, 0, tzinfo=UTC)  # Monday 09:00 CEST
    response = client_for(patient).post(
        SERIES, {"doctor": str(doctor.pk), "start": first.isoformat(), "count": 3}, format="json"
    )
    assert response.status_code == 201, response.content
    starts = [row["start"] for row in response.json()["booked"]]
    assert starts == ["2026-10-19T07:00:00Z", "2026-10-26T08:00:00Z", "2026-11-02T08:00:00Z"]


def test_one_clash_refuses_the_whole_series_and_names_it(clinic_doctor, patient, other_patient):
    services.appointment_book(
        actor=other_patient, doctor=clinic_doctor, patient=other_patient.patient_profile,
        start=TUESDAY_9 + timedelta(weeks=2),
    )  # fmt: skip
    response = series(client_for(patient), clinic_doctor, count=4)
    error = assert_error(response, 409, "series_conflicts")
    assert error["fields"]["conflicts"] == [
        {"start": "2026-06-16T07:00:00+00:00", "code": "slot_taken", "message": services.SLOT_TAKEN}
    ]
    assert not Appointment.objects.filter(patient=patient.patient_profile).exists()
    assert not AppointmentSeries.objects.exists()


def test_allow_partial_books_the_free_visits_and_reports_the_rest(
    clinic_doctor, patient, other_patient
):
    services.appointment_book(
        actor=other_patient, doctor=clinic_doctor, patient=other_patient.patient_profile,
        start=TUESDAY_9 + timedelta(weeks=1),
    )  # fmt: skip
    response = series(client_for(patient), clinic_doctor, until="2026-06-30", allow_partial=True)
    assert response.status_code == 201
    body = response.json()
    assert len(body["booked"]) == 4  # 2, 16, 23 and 30 June
    assert [c["start"][:10] for c in body["conflicts"]] == ["2026-06-09"]


def test_a_partial_series_is_announced_once_with_every_date_and_every_refusal(
    clinic_doctor, patient, other_patient, django_capture_on_commit_callbacks
):
    services.appointment_book(
        actor=other_patient, doctor=clinic_doctor, patient=other_patient.patient_profile,
        start=TUESDAY_9 + timedelta(weeks=1),
    )  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = series(client_for(patient), clinic_doctor, count=4, allow_partial=True)
    assert response.status_code == 201, response.content
    doctor_mail = [m for m in mail.outbox if m.to == [clinic_doctor.user.email]]
    receipt = [m for m in mail.outbox if m.to == [patient.email]]
    assert len(doctor_mail) == 1 and len(receipt) == 1  # one message each for the series
    for message in (doctor_mail[0], receipt[0]):
        assert "series of 3 visits" in message.body
        for day in ("Tuesday 2 June 2026, 09:00", "Tuesday 16 June 2026, 09:00",
                    "Tuesday 23 June 2026, 09:00"):  # fmt: skip
            assert day in message.body
        assert "Not booked (1):" in message.body
        assert "Tuesday 9 June 2026, 09:00: This time is no longer free" in message.body
    record = AppointmentSeries.objects.get(pk=response.json()["series"])
    assert record.occurrences == 3  # the visits it holds


def test_visits_beyond_the_horizon_are_conflicts(clinic_doctor, patient):
    # The horizon is 30 days: weekly visits from 2 June reach it in July.
    error = assert_error(series(client_for(patient), clinic_doctor, count=6), 409)
    assert {c["code"] for c in error["fields"]["conflicts"]} == {"beyond_horizon"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"count": 3, "until": "2026-07-01"}, "count"),
        ({}, "count"),
        ({"count": 3, "every_weeks": 0}, "every_weeks"),
        ({"count": 99}, "count"),
        ({"count": 1}, "count"),
        ({"count": 3, "start": "2026-06-02T09:00:00"}, "start"),
        ({"count": 3, "doctor": "00000000-0000-0000-0000-000000000000"}, "doctor"),
        ({"count": 3, "until": "someday"}, "until"),
        ({"until": "2027-12-31"}, "until"),  # more than 52 weekly visits
        ({"count": 2, "start": "9999-12-20T08:00:00Z"}, "start"),
        ({"count": 2, "start": "0001-01-01T00:30:00Z"}, "start"),
    ],
)
def test_series_bad_input(clinic_doctor, patient, body, field):
    response = series(client_for(patient), clinic_doctor, **body)
    assert field in assert_error(response, 400)["fields"]
    assert not Appointment.objects.exists()


def test_cancelling_a_series_cancels_its_future_visits(
    clinic_doctor, patient, frozen, other_patient
):
    body = series(client_for(patient), clinic_doctor, count=3).json()
    frozen.move_to(TUESDAY_9 + timedelta(hours=1))  # the first visit is over
    Appointment.objects.filter(pk=body["booked"][0]["id"]).update(status=Status.FULFILLED)
    assert_error(
        client_for(other_patient).post(f"{SERIES}{body['series']}/cancel/", {"reason": "x"}), 404
    )
    response = client_for(clinic_doctor.user).post(
        f"{SERIES}{body['series']}/cancel/", {"reason": "Course finished"}
    )
    assert response.status_code == 200
    assert len(response.json()) == 2
    statuses = sorted(Appointment.objects.values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "fulfilled"]


# --- cross-doctor search -----------------------------------------------------------------------


def test_earliest_slots_across_a_specialty(frozen, patient, api_client):
    early = make_doctor(specialties=("Cardiology",), weekly={1: (time(8), time(9))})
    late = make_doctor(specialties=("Cardiology",), weekly={1: (time(10), time(11))})
    make_doctor(specialties=("Dermatology",), weekly={1: (time(7), time(8))})
    services.appointment_book(
        actor=patient, doctor=early, patient=patient.patient_profile,
        start=datetime(2026, 6, 2, 6, 0, tzinfo=UTC),
    )  # fmt: skip
    rows = api_client.get(
        SEARCH,
        {"specialization": "cardiology", "start": "2026-06-02", "end": "2026-06-09", "limit": 3},
    ).json()
    assert [(row["doctor"]["id"], row["start"]) for row in rows] == [
        (str(early.pk), "2026-06-02T06:30:00+00:00"),
        (str(late.pk), "2026-06-02T08:00:00+00:00"),
        (str(late.pk), "2026-06-02T08:30:00+00:00"),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (
            {"specialization": "astrology", "start": "2026-06-02", "end": "2026-06-09"},
            "specialization",
        ),
        ({"specialization": "cardiology", "start": "2026-06-09", "end": "2026-06-02"}, "end"),
        ({"specialization": "cardiology", "start": "2026-06-02", "end": "2026-09-02"}, "end"),
        (
            {
                "specialization": "cardiology",
                "start": "2026-06-02",
                "end": "2026-06-09",
                "limit": 500,
            },
            "limit",
        ),
        ({"start": "2026-06-02", "end": "2026-06-09"}, "specialization"),
        ({"specialization": "cardiology", "start": "9999-12-30", "end": "9999-12-31"}, "start"),
        ({"specialization": "cardiology", "start": "0001-01-01", "end": "0001-01-02"}, "start"),
    ],
)
def test_search_bad_input(frozen, api_client, params, field):
    assert field in assert_error(api_client.get(SEARCH, params), 400)["fields"]


def test_a_search_that_runs_past_the_first_week_still_sees_the_bookings_there(
    frozen, patient, api_client, django_assert_max_num_queries
):
    """The bookings are loaded a week first, then for the rest: a slot booked in the second
    week is not offered."""
    doctor = make_doctor(specialties=("Rheumatology",), weekly={1: (time(9), time(10))})
    # Tuesdays only, 09:00-10:00 Berlin: 2 June, 9 June, 16 June... Off for the first two.
    TimeOff.objects.create(
        doctor=doctor,
        start=datetime(2026, 6, 1, tzinfo=UTC),
        end=datetime(2026, 6, 12, tzinfo=UTC),
        reason="Away",
    )
    taken = datetime(2026, 6, 16, 7, 0, tzinfo=UTC)  # 09:00 Berlin, day 15 of the search
    services.appointment_book(
        actor=patient, doctor=doctor, patient=patient.patient_profile, start=taken
    )
    params = {"specialization": "rheumatology", "start": "2026-06-02", "end": "2026-07-01"}
    with django_assert_max_num_queries(7):  # one more than a search settled in its first week
        rows = api_client.get(SEARCH, {**params, "limit": 3}).json()
    assert [row["start"] for row in rows] == [
        "2026-06-16T07:30:00+00:00",
        "2026-06-23T07:00:00+00:00",
        "2026-06-23T07:30:00+00:00",
    ]


def test_search_queries_do_not_grow_with_the_number_of_doctors(
    frozen, api_client, django_assert_max_num_queries
):
    def add_neurologists(count: int) -> None:
        for _ in range(count):
            make_doctor(
                specialties=("Neurology",), weekly={d: (time(9), time(17)) for d in range(7)}
            )

    params = {
        "specialization": "neurology",
        "start": "2026-06-02",
        "end": "2026-07-01",
        "limit": 20,
    }
    add_neurologists(3)
    with django_assert_max_num_queries(6):
        few = api_client.get(SEARCH, params)
    add_neurologists(15)
    with django_assert_max_num_queries(6):
        many = api_client.get(SEARCH, params)
    assert len(few.json()) == len(many.json()) == 20


def test_cancelling_a_long_series_is_one_write(
    clinic_doctor, patient, django_assert_max_num_queries
):
    body = series(client_for(patient), clinic_doctor, count=4).json()
    client = client_for(clinic_doctor.user)
    with django_assert_max_num_queries(40):
        response = client.post(f"{SERIES}{body['series']}/cancel/", {"reason": "Course ends"})
    assert len(response.json()) == 4
    assert Notification.objects.filter(kind="appointment_cancelled", user=patient).count() == 1
    assert "3 later visits" in Notification.objects.get(kind="appointment_cancelled").body


def test_search_leaves_out_doctors_who_take_no_new_patients(frozen, api_client):
    taking = make_doctor(specialties=("Urology",), weekly={1: (time(9), time(10))})
    make_doctor(
        specialties=("Urology",), weekly={1: (time(8), time(9))}, accepting_new_patients=False
    )
    rows = api_client.get(
        SEARCH, {"specialization": "urology", "start": "2026-06-02", "end": "2026-06-02"}
    ).json()
    assert {row["doctor"]["id"] for row in rows} == {str(taking.pk)}
