"""The slot pages read a doctor's terms, windows and time off from a cache versioned on every
change (doctors.schedule_cache). After each kind of change, through the services, the admin or
a plain model save, the next answer reflects it.

These tests commit (transactional database), as requests in production do: the version moves
on when a change commits, with the cache backend the settings configure (local memory, or
Redis when REDIS_URL is set)."""

from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from doctors import selectors, services
from doctors.models import AvailabilityWindow, Doctor, TimeOff
from doctors.schedule_cache import _timetables, doctor_schedules, schedule_versions, timetables
from doctors.tests.factories import make_doctor
from users.models import Role
from users.services import user_set_active
from users.tests.factories import UserFactory, system_admin

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday; Berlin is UTC+2
TUESDAY = "2026-06-02"
# Tuesdays 09:00-11:00 Berlin, 30-minute slots.
USUAL = ["07:00", "07:30", "08:00", "08:30"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def doctor() -> Doctor:
    return make_doctor(timezone="Europe/Berlin", weekly={1: (time(9), time(11))})


def slots(client, doctor: Doctor) -> list[str] | int:
    """The doctor's free slots on Tuesday as UTC hh:mm, or the status of a refusal."""
    response = client.get(f"/api/v1/doctors/{doctor.pk}/slots/", {"start": TUESDAY, "end": TUESDAY})
    if response.status_code != 200:
        return response.status_code
    return [row["start"][11:16] for row in response.json()]


def warm(client, doctor: Doctor, expected: list[str]) -> None:
    """Ask once to fill the cache, then check that the next answer comes from it: the
    bookings are the only query."""
    assert slots(client, doctor) == expected
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        assert slots(client, doctor) == expected
    assert len(queries) == 1, [query["sql"][:80] for query in queries]
    assert "appointments_appointment" in queries[0]["sql"]


def _window(doctor: Doctor) -> AvailabilityWindow:
    return doctor.availability.get()


def _tuesday_morning_off() -> dict:
    return {
        "start": datetime(2026, 6, 2, 7, 0, tzinfo=UTC),
        "end": datetime(2026, 6, 2, 8, 0, tzinfo=UTC),
        "reason": "Dentist",
    }


def _save(instance, update_fields: list[str] | None = None, **fields) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save(update_fields=update_fields)


ADMIN = system_admin
AFTERNOON = {"weekday": 1, "start_time": time(13), "end_time": time(14), "slot_minutes": 30}

# name -> (change, the answer after it)
CHANGES: dict[str, tuple[Callable[[Doctor], object], list[str] | int]] = {
    "window added (service)": (
        lambda d: services.availability_create(actor=ADMIN(), doctor=d, **AFTERNOON),
        [*USUAL, "11:00", "11:30"],
    ),
    "window added (model)": (
        lambda d: AvailabilityWindow.objects.create(doctor=d, **AFTERNOON),
        [*USUAL, "11:00", "11:30"],
    ),
    "window edited (service)": (
        lambda d: services.availability_update(
            actor=ADMIN(), window=_window(d), data={"end_time": time(10)}
        ),
        ["07:00", "07:30"],
    ),
    "window edited (model)": (lambda d: _save(_window(d), slot_minutes=60), ["07:00", "08:00"]),
    "window removed (service)": (
        lambda d: services.availability_delete(actor=ADMIN(), window=_window(d)),
        [],
    ),
    "window removed (model)": (lambda d: _window(d).delete(), []),
    "window removed (queryset)": (
        lambda d: AvailabilityWindow.objects.filter(doctor=d).delete(),
        [],
    ),
    "time off added (service)": (
        lambda d: services.time_off_create(actor=ADMIN(), doctor=d, **_tuesday_morning_off()),
        ["08:00", "08:30"],
    ),
    "time off added (model)": (
        lambda d: TimeOff.objects.create(doctor=d, **_tuesday_morning_off()),
        ["08:00", "08:30"],
    ),
    "time zone changed (service)": (
        lambda d: services.doctor_update(actor=ADMIN(), doctor=d, data={"timezone": "UTC"}),
        ["09:00", "09:30", "10:00", "10:30"],
    ),
    "time zone changed (model)": (
        lambda d: _save(d, timezone="Europe/London"),
        ["08:00", "08:30", "09:00", "09:30"],
    ),
    "notice changed (service)": (
        # Monday 06:00 + 25 h 30 min: Tuesday 07:30 is the first bookable start.
        lambda d: services.doctor_update(
            actor=ADMIN(), doctor=d, data={"min_booking_notice_minutes": 25 * 60 + 30}
        ),
        ["07:30", "08:00", "08:30"],
    ),
    "notice changed (model, update_fields)": (
        lambda d: _save(
            d,
            update_fields=["min_booking_notice_minutes"],
            **{"min_booking_notice_minutes": 26 * 60},
        ),
        ["08:00", "08:30"],
    ),
    "horizon changed (service)": (
        lambda d: services.doctor_update(actor=ADMIN(), doctor=d, data={"booking_horizon_days": 1}),
        [],
    ),
    "account deactivated (service)": (
        lambda d: user_set_active(actor=ADMIN(), user=d.user, active=False),
        404,
    ),
    "account deactivated (model)": (lambda d: _save(d.user, is_active=False), 404),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_the_next_answer_after_a_change_reflects_it(change, doctor, api_client):
    make_change, expected = CHANGES[change]
    warm(api_client, doctor, USUAL)
    make_change(Doctor.objects.select_related("user").get(pk=doctor.pk))
    assert slots(api_client, doctor) == expected


@pytest.mark.parametrize("how", ["service", "model"])
def test_removing_time_off_gives_the_time_back(how, doctor, api_client):
    time_off = services.time_off_create(actor=ADMIN(), doctor=doctor, **_tuesday_morning_off())
    warm(api_client, doctor, ["08:00", "08:30"])
    if how == "service":
        services.time_off_delete(actor=ADMIN(), time_off=time_off)
    else:
        time_off.delete()
    assert slots(api_client, doctor) == USUAL


def test_a_reactivated_account_is_shown_again(doctor, api_client):
    user_set_active(actor=ADMIN(), user=doctor.user, active=False)
    assert slots(api_client, doctor) == 404
    user_set_active(actor=ADMIN(), user=doctor.user, active=True)
    assert slots(api_client, doctor) == USUAL


def test_saves_that_cannot_change_the_slots_keep_the_cache(doctor, api_client):
    warm(api_client, doctor, USUAL)
    services.doctor_update(actor=ADMIN(), doctor=doctor, data={"bio": "Twenty years in Berlin."})
    doctor.user.save(update_fields=["last_login"])
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        assert slots(api_client, doctor) == USUAL
    assert len(queries) == 1


# --- the admin ---------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.STAFF))
    return client


def _admin_page(doctor: Doctor, **fields) -> dict:
    """The doctor's admin page as it is, with no schedule rows; tests add rows and changes."""
    return {
        "license_number": doctor.license_number,
        "specializations": [str(item.pk) for item in doctor.specializations.all()],
        "bio": "",
        "education": "",
        "years_of_experience": 0,
        "timezone": doctor.timezone,
        "accepting_new_patients": "on",
        "default_visit_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_booking_notice_minutes": 0,
        "booking_horizon_days": 90,
        "availability-TOTAL_FORMS": 0,
        "availability-INITIAL_FORMS": 0,
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
        **fields,
    }


def _afternoon_row(number: int = 0) -> dict:
    return {
        "availability-TOTAL_FORMS": number + 1,
        f"availability-{number}-weekday": 1,
        f"availability-{number}-start_time": "13:00",
        f"availability-{number}-end_time": "14:00",
        f"availability-{number}-slot_minutes": 30,
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (_afternoon_row(), [*USUAL, "11:00", "11:30"]),
        (
            {
                "time_off-TOTAL_FORMS": 1,
                "time_off-0-start_0": "2026-06-02",  # the staff member's clock: Berlin
                "time_off-0-start_1": "09:00",
                "time_off-0-end_0": "2026-06-02",
                "time_off-0-end_1": "10:00",
            },
            ["08:00", "08:30"],
        ),
        ({"timezone": "UTC"}, ["09:00", "09:30", "10:00", "10:30"]),
        ({"booking_horizon_days": 1}, []),
    ],
    ids=["window added", "time off added", "time zone changed", "horizon changed"],
)
def test_changes_made_in_the_admin_are_reflected(
    fields, expected, doctor, api_client, staff_client
):
    warm(api_client, doctor, USUAL)
    response = staff_client.post(
        f"/admin/doctors/doctor/{doctor.pk}/change/", _admin_page(doctor, **fields)
    )
    assert response.status_code == 302, response.content[:2000]
    assert slots(api_client, doctor) == expected


def test_an_admin_page_refused_as_a_whole_leaves_the_cached_answer_right(
    doctor, api_client, staff_client
):
    """The page writes a new window through the service, then a refused one undoes the page:
    the window that was written and rolled back is never served."""
    warm(api_client, doctor, USUAL)
    overlapping = {
        "availability-TOTAL_FORMS": 2,
        "availability-1-weekday": 1,
        "availability-1-start_time": "13:30",
        "availability-1-end_time": "15:00",
        "availability-1-slot_minutes": 30,
    }
    page = _admin_page(doctor, **{**_afternoon_row(), **overlapping})
    response = staff_client.post(f"/admin/doctors/doctor/{doctor.pk}/change/", page)
    assert response.status_code == 200
    assert b"Overlaps the Tuesday 13:00-14:00 window" in response.content
    assert slots(api_client, doctor) == USUAL
    assert list(doctor.availability.values_list("start_time", flat=True)) == [time(9)]


# --- inside a transaction --------------------------------------------------------------------


def _selector_slots(doctor: Doctor) -> list[str]:
    free = selectors.doctor_free_slots(
        doctor=doctor,
        first_day=datetime(2026, 6, 2).date(),
        last_day=datetime(2026, 6, 2).date(),
        now=NOW,
        busy=None,
    )
    return [f"{slot.start:%H:%M}" for slot in free]


def test_a_transaction_sees_its_own_change_and_a_rollback_leaves_no_trace(doctor, api_client):
    warm(api_client, doctor, USUAL)
    with transaction.atomic():
        services.availability_create(actor=ADMIN(), doctor=doctor, **AFTERNOON)
        # Read around the cache: the change is not committed, and may not be cached for others.
        assert _selector_slots(doctor) == [*USUAL, "11:00", "11:30"]
        assert _selector_slots(doctor) == [*USUAL, "11:00", "11:30"]
        transaction.set_rollback(True)
    assert slots(api_client, doctor) == USUAL
    assert _selector_slots(doctor) == USUAL


def test_an_entry_read_before_a_change_is_not_served_after_it(doctor):
    """A reader that read the database before a change committed stores its entry under the
    version it read first: the change moved the version on, so the entry is not used."""
    stale = timetables([doctor.pk], since=NOW)[doctor.pk]
    assert len(stale.windows) == 1
    version = cache.get(schedule_versions.key(doctor.pk))
    services.availability_create(actor=ADMIN(), doctor=doctor, **AFTERNOON)
    # The racing reader's late write, under the version it had read before the change.
    cache.set(_timetables.key(doctor.pk), (version, stale))
    assert len(timetables([doctor.pk], since=NOW)[doctor.pk].windows) == 2


def test_the_schedules_of_many_doctors_come_in_three_queries_then_none(doctor):
    other = make_doctor(timezone="America/New_York")
    with CaptureQueriesContext(transaction.get_connection()) as cold:
        found = doctor_schedules([doctor.pk, other.pk])
    assert len(cold) == 3  # the doctor rows, the windows, the time off
    assert found[other.pk].terms.timezone == "America/New_York"
    assert len(found[doctor.pk].timetable.windows) == 1
    with CaptureQueriesContext(transaction.get_connection()) as warm_queries:
        assert doctor_schedules([doctor.pk, other.pk]) == found
    assert len(warm_queries) == 0
