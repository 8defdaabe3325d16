"""The receptionist books and moves appointments with the slot picker, in a real browser."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from appointments import services
from appointments.models import Appointment, Status
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BERLIN = ZoneInfo("Europe/Berlin")


def test_staff_pick_a_free_slot_to_reschedule_in_chromium(page, live_server):
    doctor = make_doctor(
        timezone="Europe/Berlin", weekly={d: (time(9), time(12)) for d in range(7)}
    )
    patient = make_patient()
    day = (datetime.now(BERLIN) + timedelta(days=3)).date()
    booked = services.appointment_book(
        actor=patient.user, doctor=doctor, patient=patient,
        start=datetime.combine(day, time(9), tzinfo=BERLIN),
    )  # fmt: skip
    staff = UserFactory(role=Role.STAFF, timezone="Europe/Berlin")
    signed_in = Client()
    signed_in.force_login(staff)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": signed_in.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"{live_server.url}/admin/appointments/appointment/{booked.pk}/reschedule/")
    page.locator("#id_start_0").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    choices = page.locator("#free-slots .slot-choice")
    choices.first.wait_for()
    shown = choices.all_inner_texts()
    assert shown[0] == "09:30" and "09:00" not in shown  # Berlin clock; 09:00 is this booking
    page.get_by_role("button", name="10:30").click()
    assert page.locator("#id_start_1").input_value() == "10:30:00"
    page.get_by_role("button", name="Move the appointment").click()
    page.wait_for_url("**/change/")

    moved = Appointment.objects.get(rescheduled_from=booked)
    assert moved.start == datetime.combine(day, time(10, 30), tzinfo=BERLIN)
    assert moved.status == Status.BOOKED
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED


def choose(page, field: str, typed: str, shown: str) -> None:
    """Pick a row in one of the form's autocomplete fields, as a person does: open it, type,
    click the match."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=shown).click()


def test_staff_book_for_a_patient_and_a_clash_is_a_form_error_in_chromium(page, live_server):
    """Signed in on the admin's own login page. The `page` fixture keeps a screenshot when
    this fails and fails it on any script error or CSP violation on the pages visited."""
    doctor = make_doctor(
        timezone="Europe/Berlin", weekly={d: (time(9), time(12)) for d in range(7)}
    )
    first = make_patient(full_name="Alma Aalto")
    second = make_patient(full_name="Bruno Berg")
    staff = UserFactory(role=Role.STAFF, timezone="Europe/Berlin")
    day = (datetime.now(BERLIN) + timedelta(days=3)).date()

    page.goto(f"{live_server.url}/admin/")
    page.locator("#id_username").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").inner_text() == "Clinic front desk"

    page.locator("#front-desk").get_by_role("link", name="Book an appointment").click()
    page.wait_for_url("**/appointment/add/")
    choose(page, "doctor", doctor.user.full_name.split()[-1], doctor.user.full_name)
    choose(page, "patient", "alma", "Alma Aalto")
    page.locator("#id_start_0").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    page.get_by_role("button", name="09:00").click()
    assert page.locator("#id_start_1").input_value() == "09:00:00"
    page.locator("#id_reason").fill("First visit")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/appointments/appointment/")
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    assert page.locator("#result_list").get_by_text("Alma Aalto").count() == 1

    page.goto(f"{live_server.url}/admin/appointments/appointment/add/")
    choose(page, "doctor", doctor.user.full_name.split()[-1], doctor.user.full_name)
    choose(page, "patient", "bruno", "Bruno Berg")
    page.locator("#id_start_0").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    page.locator("#free-slots .slot-choice").first.wait_for()
    assert "09:00" not in page.locator("#free-slots").inner_text()  # taken: not offered
    page.locator("#id_start_1").fill("09:00")  # typed anyway
    page.get_by_role("button", name="Save", exact=True).click()

    page.locator(".errornote").wait_for()
    assert "This time is no longer free with this doctor." in (
        page.locator(".errorlist.nonfield").inner_text()
    )
    assert page.locator("#id_start_0").input_value() == day.isoformat()  # input kept

    booked = Appointment.objects.get()
    assert booked.patient == first and booked.booked_by == staff
    assert booked.start == datetime.combine(day, time(9), tzinfo=BERLIN)
    assert not Appointment.objects.filter(patient=second).exists()


def test_staff_check_a_patient_in_from_today_and_see_them_waiting_in_chromium(page, live_server):
    # The receptionist's zone is one where it is not near midnight, so that "in ten minutes"
    # is still today on her clock.
    zone = next(
        name
        for name in ("Europe/Berlin", "Asia/Tokyo", "America/New_York")
        if 1 <= datetime.now(ZoneInfo(name)).hour <= 21
    )
    staff = UserFactory(role=Role.STAFF, timezone=zone)
    doctor = make_doctor(timezone=zone)
    patient = make_patient(full_name="Carla Conti")
    soon = (datetime.now(ZoneInfo(zone)) + timedelta(minutes=10)).replace(second=0, microsecond=0)
    services.appointment_book(
        actor=staff, doctor=doctor, patient=patient, start=soon, off_grid_reason="Walk-in"
    )
    signed_in = Client()
    signed_in.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value,
          "url": live_server.url}]
    )  # fmt: skip

    page.goto(f"{live_server.url}/admin/appointments/appointment/")
    page.locator(".object-tools").get_by_role("link", name="Today").click()
    page.wait_for_url("**/appointment/today/")
    row = page.locator("#today-list tr", has_text="Carla Conti")
    assert "Booked" in row.inner_text()
    row.get_by_role("button", name="Check in").click()
    page.wait_for_url("**/appointment/today/")
    assert "checked in" in page.locator(".messagelist").inner_text()
    assert "Checked in" in page.locator("#today-list tr", has_text="Carla Conti").inner_text()

    page.get_by_role("link", name="Waiting room").first.click()
    page.wait_for_url("**/appointment/waiting-room/")
    waiting = page.locator("#waiting-room tbody tr")
    assert waiting.count() == 1
    assert "Carla Conti" in waiting.inner_text() and str(doctor) in waiting.inner_text()
    assert "0 min" in waiting.inner_text()
