"""The receptionist moves an appointment with the slot picker, in a real browser."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from appointments import services
from appointments.models import Appointment, Status
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory

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
