"""The waitlist: joining, the offer a freed slot makes, its hold in the database, accepting,
declining and expiry (exactly once), and who may see what."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connections, transaction
from django.test import Client

from appointments.models import Appointment, OfferState, Status, WaitlistEntry, WaitlistOffer
from appointments.services import (
    appointment_book,
    appointment_cancel,
    waitlist_join,
    waitlist_offer_slot,
    waitlist_sweep,
)
from core.models import Notification
from core.testing import assert_error
from doctors.tests.factories import make_doctor, specialization
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday
SLOT = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)  # Tuesday 09:00 in Berlin
URL = "/api/v1/waitlist/"
OFFERS = "/api/v1/waitlist/offers/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def doctor(db, frozen):
    """Tuesdays 09:00-12:00 in Berlin, half-hour slots."""
    return make_doctor(weekly={1: (time(9), time(12))}, specialties=("Cardiology",))


def join(patient, doctor=None, **terms):
    terms.setdefault("earliest_date", NOW.date())
    terms.setdefault("latest_date", NOW.date() + timedelta(days=30))
    return waitlist_join(actor=patient.user, patient=patient, doctor=doctor, **terms)


def booked_then_cancelled(doctor, when=SLOT):
    """Someone books `when` and cancels it: the freed slot is offered (after commit)."""
    holder = make_patient()
    visit = appointment_book(actor=holder.user, doctor=doctor, patient=holder, start=when)
    appointment_cancel(actor=holder.user, appointment=visit, reason="Can't come")
    return visit


@pytest.fixture
def offered(doctor, django_capture_on_commit_callbacks):
    """A patient waiting for the doctor, offered the slot someone freed."""
    waiting = make_patient()
    join(waiting, doctor)
    with django_capture_on_commit_callbacks(execute=True):
        booked_then_cancelled(doctor)
    offer = WaitlistOffer.objects.get(patient=waiting)
    return waiting, offer


# --- joining ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_patient_joins_for_a_doctor_or_a_specialty(doctor):
    patient = make_patient()
    client = client_for(patient.user)
    body = {
        "doctor": str(doctor.pk),
        "earliest_date": "2026-06-02",
        "latest_date": "2026-06-30",
        "weekdays": [1, 3, 1],
        "earliest_time": "09:00",
        "latest_time": "11:00",
        "note": "Früh wäre gut 🙂",
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["weekdays"] == [1, 3] and created.json()["status"] == "active"
    by_specialty = client.post(
        URL,
        {
            "specialization": "cardiology",
            "earliest_date": "2026-06-02",
            "latest_date": "2026-06-09",
        },
        format="json",
    )
    assert by_specialty.status_code == 201 and by_specialty.json()["specialization"] == "cardiology"
    again = client.post(URL, body, format="json")
    assert_error(again, 409, "already_waiting")
    assert {row["id"] for row in client.get(URL).json()["results"]} == {
        created.json()["id"],
        by_specialty.json()["id"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"specialization": "cardiology"}, "doctor_or_specialty"),
        ({"doctor": None}, "doctor_or_specialty"),
        ({"latest_date": "2026-05-31", "earliest_date": "2026-05-01"}, "in_the_past"),
        ({"latest_date": "2026-06-03", "earliest_date": "2026-06-05"}, "end_before_start"),
        ({"latest_date": "2027-06-01"}, "window_too_long"),
        ({"weekdays": [7]}, "validation_error"),
        ({"weekdays": ["mon"]}, "validation_error"),
        ({"weekdays": [True]}, "validation_error"),
        ({"earliest_time": "11:00", "latest_time": "10:00"}, "end_before_start"),
        ({"earliest_date": "02/06/2026"}, "validation_error"),
        ({"note": "x" * 501}, "validation_error"),
        ({"colour": "blue"}, "validation_error"),
        ({"doctor": "00000000-0000-0000-0000-000000000000"}, "validation_error"),
        ({"doctor": "not-a-uuid"}, "validation_error"),
    ],
)
def test_bad_entries_are_400_in_the_error_shape(doctor, change, code):
    body = {"doctor": str(doctor.pk), "earliest_date": "2026-06-02", "latest_date": "2026-06-30"}
    body.update(change)
    body = {key: value for key, value in body.items() if value is not None}
    response = client_for(make_patient().user).post(URL, body, format="json")
    assert_error(response, 400, code)
    assert not WaitlistEntry.objects.exists()


@pytest.mark.django_db
def test_malformed_json_and_an_unknown_specialty_are_400(doctor):
    client = client_for(make_patient().user)
    bad = client.post(URL, "{not json", content_type="application/json")
    assert_error(bad, 400, "malformed_request")
    unknown = client.post(
        URL,
        {"specialization": "astrology", "earliest_date": "2026-06-02", "latest_date": "2026-06-09"},
        format="json",
    )
    assert_error(unknown, 400, "validation_error")


@pytest.mark.django_db
def test_who_may_join_and_who_sees_which_entries(doctor, api_client):
    patient, other = make_patient(), make_patient()
    entry = join(patient, doctor)
    join(other, make_doctor())
    body = {"doctor": str(doctor.pk), "earliest_date": "2026-06-02", "latest_date": "2026-06-09"}
    assert api_client.post(URL, body, format="json").status_code == 401
    refused = client_for(doctor.user).post(URL, {**body, "patient": str(patient.pk)}, format="json")
    assert refused.status_code in (403, 404)
    staff = client_for(UserFactory(role=Role.STAFF))
    on_behalf = staff.post(
        URL, {**body, "doctor": str(make_doctor().pk), "patient": str(patient.pk)}, format="json"
    )
    assert on_behalf.status_code == 201, on_behalf.content
    assert staff.get(URL).json()["count"] == 3
    assert [row["id"] for row in client_for(doctor.user).get(URL).json()["results"]] == [
        str(entry.pk)
    ]
    stranger = client_for(other.user)
    assert_error(stranger.get(f"{URL}{entry.pk}/"), 404, "not_found")
    assert_error(stranger.delete(f"{URL}{entry.pk}/"), 404, "not_found")
    # Another patient's record as the patient of a new entry: not found.
    assert (
        stranger.post(URL, {**body, "patient": str(patient.pk)}, format="json").status_code == 404
    )
    left = client_for(patient.user).delete(f"{URL}{entry.pk}/")
    assert left.status_code == 204
    entry.refresh_from_db()
    assert entry.status == "cancelled"
    assert_error(client_for(patient.user).delete(f"{URL}{entry.pk}/"), 409, "entry_closed")


# --- offers and holds -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cancel_makes_one_offer_that_holds_the_slot(doctor, offered):
    waiting, offer = offered
    assert WaitlistOffer.objects.count() == 1
    assert offer.state == "open" and offer.start == SLOT
    assert offer.expires_at == NOW + timedelta(minutes=15)
    hold = Appointment.objects.get(pk=offer.hold_id)
    assert hold.status == Status.PROPOSED and hold.patient == waiting
    message = Notification.objects.get(user=waiting.user, kind="waitlist_offer")
    assert "held for you" in message.body

    # The slot search does not show it, a third patient cannot book it, lists do not show it.
    day = client_for(make_patient().user).get(
        f"/api/v1/doctors/{doctor.pk}/slots/", {"start": "2026-06-02", "end": "2026-06-02"}
    )
    starts = [slot["start"] for slot in day.json()]
    assert "2026-06-02T07:30:00+00:00" in starts and SLOT.isoformat() not in starts
    third = client_for(make_patient().user).post(
        "/api/v1/appointments/",
        {"doctor": str(doctor.pk), "start": SLOT.isoformat()},
        format="json",
    )
    assert_error(third, 409, "slot_taken")
    assert client_for(waiting.user).get("/api/v1/appointments/").json()["results"] == []
    mine = client_for(waiting.user).get(OFFERS).json()["results"]
    assert [row["id"] for row in mine] == [str(offer.pk)]


@pytest.mark.django_db
def test_accepting_books_the_slot_through_the_booking_service(doctor, offered):
    waiting, offer = offered
    accepted = client_for(waiting.user).post(f"{OFFERS}{offer.pk}/accept/")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["status"] == "booked"
    assert accepted.json()["start"] == "2026-06-02T07:00:00Z"
    offer.refresh_from_db()
    assert offer.state == "accepted" and str(offer.appointment_id) == accepted.json()["id"]
    assert offer.entry.status == "booked"
    assert not Appointment.objects.filter(status=Status.PROPOSED).exists()
    again = client_for(waiting.user).post(f"{OFFERS}{offer.pk}/accept/")
    assert_error(again, 409, "offer_closed")


@pytest.mark.django_db
def test_an_accept_after_expiry_is_409_offer_expired(doctor, offered, frozen):
    waiting, offer = offered
    frozen.shift(timedelta(minutes=15))
    late = client_for(waiting.user).post(f"{OFFERS}{offer.pk}/accept/")
    assert_error(late, 409, "offer_expired")
    assert not Appointment.objects.filter(patient=waiting, status=Status.BOOKED).exists()


@pytest.mark.django_db
def test_others_cannot_decide_an_offer(doctor, offered):
    waiting, offer = offered
    assert_error(
        client_for(make_patient().user).post(f"{OFFERS}{offer.pk}/accept/"), 404, "not_found"
    )
    assert client_for(doctor.user).post(f"{OFFERS}{offer.pk}/accept/").status_code == 403
    assert client_for(doctor.user).get(f"{OFFERS}{offer.pk}/").status_code == 200
    assert_error(client_for(make_doctor().user).get(f"{OFFERS}{offer.pk}/"), 404, "not_found")
    assert client_for(waiting.user).post(f"{OFFERS}not-a-uuid/accept/").status_code == 404


@pytest.mark.django_db
def test_decline_and_expiry_pass_the_slot_to_the_next_entry(
    doctor, frozen, django_capture_on_commit_callbacks
):
    first, second, third = make_patient(), make_patient(), make_patient()
    for patient in (first, second, third):
        join(patient, doctor)
        frozen.shift(timedelta(seconds=1))  # oldest first
    with django_capture_on_commit_callbacks(execute=True):
        booked_then_cancelled(doctor)
    offer = WaitlistOffer.objects.get(state="open")
    assert offer.patient == first
    with django_capture_on_commit_callbacks(execute=True):
        declined = client_for(first.user).post(f"{OFFERS}{offer.pk}/decline/")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    offer = WaitlistOffer.objects.get(state="open")
    assert offer.patient == second
    assert WaitlistEntry.objects.get(patient=first).status == "active"  # still waiting

    frozen.shift(timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist_sweep()["offers_expired"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist_sweep()["offers_expired"] == 0  # each offer expires once
    states = dict(WaitlistOffer.objects.values_list("patient_id", "state"))
    assert states == {first.pk: "declined", second.pk: "expired", third.pk: "open"}
    assert Appointment.objects.filter(status=Status.PROPOSED).count() == 1


@pytest.mark.django_db
def test_an_entry_is_offered_only_slots_that_fit_it(doctor, frozen):
    tuesday_late = make_patient()
    join(tuesday_late, doctor, weekdays=[1], earliest_time=time(11))  # Tuesdays from 11:00
    wednesday = make_patient()
    join(wednesday, doctor, weekdays=[2])
    by_specialty = make_patient()
    waitlist_join(
        actor=by_specialty.user,
        patient=by_specialty,
        specialization=specialization("Cardiology"),
        earliest_date=NOW.date(),
        latest_date=NOW.date() + timedelta(days=30),
    )
    offer = waitlist_offer_slot(doctor_id=doctor.pk, start=SLOT, end=SLOT + timedelta(minutes=30))
    assert offer.patient == by_specialty  # 09:00 on a Tuesday fits neither of the older entries
    eleven = SLOT + timedelta(hours=2)
    later = waitlist_offer_slot(
        doctor_id=doctor.pk, start=eleven, end=eleven + timedelta(minutes=30)
    )
    assert later.patient == tuesday_late


@pytest.mark.django_db
def test_a_patient_busy_at_that_time_is_skipped(doctor, frozen):
    busy, free = make_patient(), make_patient()
    join(busy, doctor)
    frozen.shift(timedelta(seconds=1))
    join(free, doctor)
    elsewhere = make_doctor(weekly={1: (time(9), time(12))})
    appointment_book(actor=busy.user, doctor=elsewhere, patient=busy, start=SLOT)
    offer = waitlist_offer_slot(doctor_id=doctor.pk, start=SLOT, end=SLOT + timedelta(minutes=30))
    assert offer.patient == free


@pytest.mark.django_db
def test_leaving_withdraws_the_offer_and_passes_the_slot_on(
    doctor, offered, django_capture_on_commit_callbacks
):
    waiting, offer = offered
    next_in_line = make_patient()
    join(next_in_line, doctor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(waiting.user).delete(f"{URL}{offer.entry_id}/")
    assert response.status_code == 204
    offer.refresh_from_db()
    assert offer.state == "withdrawn"
    assert WaitlistOffer.objects.get(state="open").patient == next_in_line


@pytest.mark.django_db
def test_entries_whose_window_passed_expire(doctor, frozen):
    entry = join(make_patient(), doctor, latest_date=NOW.date() + timedelta(days=1))
    frozen.shift(timedelta(days=2))
    assert waitlist_sweep()["entries_expired"] == 0  # a day's margin for every time zone
    frozen.shift(timedelta(days=1))
    assert waitlist_sweep()["entries_expired"] == 1
    entry.refresh_from_db()
    assert entry.status == "expired"


# --- under concurrency (SQLite's write lock, then PostgreSQL's constraints in CI) -----------


def _all_at_once(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcome = work(index)
        except Exception as exc:  # reported in the assertion, not lost in a thread
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_make_one_offer():
    with time_machine.travel(NOW, tick=False) as clock:
        doctor = make_doctor(weekly={1: (time(9), time(12))})
        first, second = make_patient(), make_patient()
        join(first, doctor)
        clock.shift(timedelta(seconds=1))
        join(second, doctor)
        booked_then_cancelled(doctor)  # committed: the first is offered it
        assert WaitlistOffer.objects.get().patient == first
        clock.shift(timedelta(minutes=20))
        results = _all_at_once(2, lambda _: waitlist_sweep()["offers_expired"])
    assert sorted(results) == [0, 1], results
    assert WaitlistOffer.objects.filter(state="open").count() == 1
    assert WaitlistOffer.objects.get(state="open").patient == second
    assert Appointment.objects.filter(status=Status.PROPOSED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_sixteen_accepts_of_one_offer_book_exactly_one():
    with time_machine.travel(NOW, tick=False):
        doctor = make_doctor(weekly={1: (time(9), time(12))})
        waiting = make_patient()
        join(waiting, doctor)
        booked_then_cancelled(doctor)
        offer = WaitlistOffer.objects.get()
        clients = [client_for(waiting.user) for _ in range(16)]
        statuses = _all_at_once(
            16, lambda index: clients[index].post(f"{OFFERS}{offer.pk}/accept/").status_code
        )
    assert sorted(statuses, key=str) == [201] + [409] * 15, statuses
    assert Appointment.objects.filter(patient=waiting, status=Status.BOOKED).count() == 1
    assert not Appointment.objects.filter(status=Status.PROPOSED).exists()
    assert WaitlistOffer.objects.get().state == OfferState.ACCEPTED


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_counts_a_hold_like_a_booking(doctor, offered):
    """Even a row written past the services cannot take a held slot: the exclusion
    constraint counts the hold."""
    other = make_patient()
    end = SLOT + timedelta(minutes=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            doctor=doctor,
            patient=other,
            start=SLOT,
            end=end,
            held_start=SLOT,
            held_end=end,
            status=Status.BOOKED,
            booked_by=other.user,
        )


# --- pages -----------------------------------------------------------------------------------


def _page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_patient_joins_and_leaves_on_the_page(doctor):
    patient = make_patient()
    client = _page_client(patient.user)
    page = client.get("/waitlist/")
    assert page.status_code == 200 and b"Join a waitlist" in page.content
    form = {
        "doctor": str(doctor.pk),
        "earliest_date": "2026-06-02",
        "latest_date": "2026-06-20",
        "weekdays": ["1", "3"],
        "earliest_time": "09:00",
        "note": "Knie",
    }
    joined = client.post("/waitlist/", form, follow=True)
    assert b"You are on the waitlist" in joined.content
    entry = WaitlistEntry.objects.get(patient=patient)
    assert entry.weekdays == [1, 3] and "Tue, Thu" in joined.content.decode()
    refused = client.post("/waitlist/", {**form, "latest_date": "2026-06-01"})
    assert refused.status_code == 400 and b"must not be before" in refused.content
    neither = client.post("/waitlist/", {**form, "doctor": ""})
    assert neither.status_code == 400 and b"Wait for one doctor" in neither.content
    left = client.post(f"/waitlist/{entry.pk}/leave/", follow=True)
    assert b"You have left this waitlist" in left.content
    assert client.post(f"/waitlist/{entry.pk}/leave/", follow=True).status_code == 200


@pytest.mark.django_db
def test_the_patient_accepts_an_offer_on_the_page(doctor, offered):
    waiting, offer = offered
    client = _page_client(waiting.user)
    page = client.get("/waitlist/")
    assert b"Book this slot" in page.content and b"Held for you until" in page.content
    booked = client.post(f"/waitlist/offers/{offer.pk}/accept/", follow=True)
    assert booked.status_code == 200 and b"Booked:" in booked.content
    visit = Appointment.objects.get(patient=waiting, status=Status.BOOKED)
    assert booked.redirect_chain[-1][0] == f"/appointments/{visit.pk}/"
    again = client.post(f"/waitlist/offers/{offer.pk}/accept/", follow=True)
    assert b"This offer was accepted" in again.content


@pytest.mark.django_db
def test_declining_on_the_page_and_who_may_reach_the_pages(doctor, offered):
    waiting, offer = offered
    assert (
        _page_client(make_patient().user).post(f"/waitlist/offers/{offer.pk}/decline/").status_code
        == 404
    )
    assert (
        _page_client(waiting.user).post(f"/waitlist/offers/{offer.pk}/nonsense/").status_code == 404
    )
    assert _page_client(UserFactory(role=Role.STAFF)).get("/waitlist/").status_code == 404
    assert Client().get("/waitlist/").status_code == 302  # to the sign-in page
    doctor_page = _page_client(doctor.user).get("/waitlist/")
    assert doctor_page.status_code == 200 and b"Waiting for you" in doctor_page.content
    assert waiting.user.full_name.encode() in doctor_page.content
    assert b"Join a waitlist" not in doctor_page.content
    declined = _page_client(waiting.user).post(f"/waitlist/offers/{offer.pk}/decline/", follow=True)
    assert b"Declined" in declined.content
    offer.refresh_from_db()
    assert offer.state == "declined"


@pytest.mark.django_db
def test_the_desk_sees_the_waitlist_and_takes_entries_off_in_the_admin(
    doctor, offered, django_capture_on_commit_callbacks
):
    waiting, offer = offered
    desk = _page_client(UserFactory(role=Role.STAFF))
    entries = desk.get("/admin/appointments/waitlistentry/")
    assert entries.status_code == 200 and waiting.user.full_name.encode() in entries.content
    assert desk.get("/admin/appointments/waitlistoffer/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = desk.post(
            "/admin/appointments/waitlistentry/",
            {"action": "leave_selected", "_selected_action": [str(offer.entry_id)]},
            follow=True,
        )
    assert b"1 taken off the waitlist" in done.content
    offer.refresh_from_db()
    assert offer.state == "withdrawn" and offer.entry.status == "cancelled"


@pytest.mark.django_db
def test_a_window_that_opened_before_today_starts_today_and_says_so(doctor):
    patient = make_patient()
    response = client_for(patient.user).post(
        URL,
        {"doctor": str(doctor.pk), "earliest_date": "2026-05-20", "latest_date": "2026-06-30"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["earliest_date"] == "2026-06-01"
    assert WaitlistEntry.objects.get().earliest_date == NOW.date()


@pytest.mark.django_db
def test_the_window_errors_speak_of_days_and_times_not_field_names(doctor):
    api = client_for(make_patient().user)
    body = {"doctor": str(doctor.pk), "earliest_date": "2026-06-05", "latest_date": "2026-06-03"}
    response = api.post(URL, body, format="json")
    assert_error(response, 400, "end_before_start")
    assert response.json()["error"]["message"] == "The last day must not be before the first day."
    body = {**body, "latest_date": "2026-06-30", "earliest_time": "11:00", "latest_time": "10:00"}
    message = api.post(URL, body, format="json").json()["error"]["message"]
    assert message == "The latest time must be after the earliest time."
