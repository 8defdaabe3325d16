"""What patients and doctors do in the browser, end to end, in a real Chromium against a live
server. Every page visited must run without a CSP violation or a script error (the `page`
fixture checks), and a failing flow leaves a screenshot in test-artifacts/browser/."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from appointments.models import Appointment, Status
from appointments.services import appointment_book
from doctors.tests.factories import make_doctor
from health_records.services import health_record_create
from users.models import User
from users.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_DAY = {weekday: (time(0), time(23, 30)) for weekday in range(7)}


def zone_where_it_is_midday() -> str:
    """A fixed-offset zone whose clock reads about noon now: a visit booked for half an hour
    from now is on that doctor's today whenever the test runs (not so near midnight)."""
    hours_ahead = (12 - timezone.now().hour) % 24
    offset = hours_ahead - 24 if hours_ahead > 12 else hours_ahead  # UTC-11 to UTC+12
    return f"Etc/GMT{-offset:+d}"  # the Etc zones' signs are reversed: Etc/GMT+11 is UTC-11


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page, user_name: str) -> None:
    page.locator("details.account summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")


def test_a_patient_registers_books_a_free_slot_sees_it_and_cancels_it(page, live_server):
    base = live_server.url
    doctor = make_doctor(weekly=ALL_DAY, slot_minutes=30, min_booking_notice_minutes=60)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Register as a patient").click()
    page.get_by_label("Full name").fill("Zoë Ångström")
    page.get_by_label("E-mail").fill("zoe@example.com")
    page.get_by_label("Password", exact=True).fill("Quiet-harbour-61")
    page.get_by_label(re.compile("Password again|Repeat|Confirm", re.IGNORECASE)).fill(
        "Quiet-harbour-61"
    )
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{base}/patient/")
    sign_out(page, "Zoë Ångström")

    sign_in(page, base, "zoe@example.com", "Quiet-harbour-61")
    page.wait_for_url(f"{base}/patient/")
    page.get_by_role("link", name="Book an appointment").click()
    page.get_by_label("Doctor", exact=True).select_option(str(doctor.pk))
    page.get_by_role("button", name="See free times").click()
    # Next week: beyond the notice within which a patient can no longer cancel online.
    page.get_by_role("link", name="Next week").click()
    page.locator(".slots a").first.click()
    page.get_by_label("Reason for the visit").fill("Persistent cough")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Appointment on")

    page.get_by_role("link", name="My health").click()
    upcoming = page.get_by_role("region", name="Upcoming appointments")
    expect(upcoming).to_contain_text(doctor.user.full_name)
    upcoming.get_by_role("link").first.click()

    page.get_by_label("Reason to cancel").fill("Feeling better")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.get_by_text("Cancelled").first).to_be_visible()
    booked = Appointment.objects.get(patient__user__email="zoe@example.com")
    assert (booked.status, booked.reason) == (Status.CANCELLED, "Persistent cough")


def test_a_patient_cannot_open_another_patients_pages(
    page, live_server, patient, other_patient, staff
):
    doctor = make_doctor(weekly=ALL_DAY, slot_minutes=30)

    theirs = appointment_book(
        actor=staff,
        doctor=doctor,
        patient=other_patient.patient_profile,
        start=(timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0),
        off_grid_reason="front desk",
    )
    sign_in(page, live_server.url, patient.email)
    page.wait_for_url(f"{live_server.url}/patient/")
    for path in (
        f"/appointments/{theirs.pk}/",
        f"/patients/{other_patient.patient_profile.pk}/",
        "/doctor/",
        "/agenda/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        assert other_patient.full_name not in page.content()
    assert User.objects.get(pk=patient.pk).is_active


def _fill_line(page: Page, number: int, drug: str) -> None:
    line = page.locator("fieldset", has_text=f"Medication {number}")
    line.get_by_label("Drug").fill(drug)
    line.get_by_label("Dose").fill("1 tablet")
    line.get_by_label("Route").select_option("oral")
    line.get_by_label("Frequency").fill("three times a day")
    line.get_by_label("Days").fill("7")
    line.get_by_label("Quantity").fill("21")


def test_a_doctor_runs_the_visit_and_prescribes_and_the_patient_reads_it(
    page, live_server, patient, staff
):
    base = live_server.url
    doctor = make_doctor(weekly=ALL_DAY, slot_minutes=30, timezone=zone_where_it_is_midday())
    soon = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    visit = appointment_book(
        actor=staff,
        doctor=doctor,
        patient=patient.patient_profile,
        start=soon,
        reason="Sore throat",
        off_grid_reason="walk-in",
    )
    health_record_create(
        actor=doctor.user,
        patient=patient.patient_profile,
        record_type="allergy",
        data={"substance": "Penicillin", "severity": "severe"},
    )

    # The doctor's day: the booking is there; check in, then complete.
    sign_in(page, base, doctor.user.email)
    page.wait_for_url(f"{base}/doctor/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    row = page.get_by_role("row").filter(has_text=patient.full_name)
    row.get_by_role("button", name="Check in").click()
    row = page.get_by_role("row").filter(has_text=patient.full_name)
    row.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("row").filter(has_text=patient.full_name)).to_contain_text("Completed")
    visit.refresh_from_db()
    assert visit.status == Status.FULFILLED

    # The chart, then a prescription.
    page.get_by_role("link", name=patient.full_name).first.click()
    page.get_by_role("link", name=re.compile("Write a prescription", re.IGNORECASE)).click()
    _fill_line(page, 1, "Ibuprofen")
    page.get_by_role("button", name="Prescribe").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prescription")
    expect(page.get_by_text("Ibuprofen").first).to_be_visible()

    # A second one meets the penicillin allergy: the warning, then the override.
    page.goto(f"{base}/patients/{patient.patient_profile.pk}/prescriptions/new/")
    _fill_line(page, 1, "Amoxicillin")
    page.get_by_role("button", name="Prescribe").click()
    warning = page.locator(".warning-box")
    expect(warning).to_contain_text("Penicillin")
    page.get_by_label("Allergy override reason").fill("Desensitised in 2024, tolerated since")
    page.get_by_role("button", name="Prescribe").click()
    expect(page.get_by_text("Desensitised in 2024").first).to_be_visible()
    sign_out(page, doctor.user.full_name)

    # The patient is told, and reads both prescriptions.
    sign_in(page, base, patient.email)
    page.wait_for_url(f"{base}/patient/")
    expect(page.locator("#nav-unread")).not_to_have_text("")
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    notice = page.locator(".unread").filter(has_text=re.compile("prescri", re.IGNORECASE)).first
    expect(notice).to_be_visible()
    notice.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prescription")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Prescriptions").click()
    expect(page.get_by_role("main")).to_contain_text("Ibuprofen")
    expect(page.get_by_role("main")).to_contain_text("Amoxicillin")


PHONE_PAGES = {
    "patient": ["/patient/", "/book/", "/appointments/", "/prescriptions/", "/records/",
                "/symptom-check/", "/notifications/", "/notifications/preferences/",
                "/account/access-log/", "/calendar/"],
    "doctor": ["/doctor/", "/agenda/", "/agenda/week/", "/agenda/requests/", "/patients/",
               "/schedule/availability/", "/schedule/time-off/", "/blog/mine/",
               "/blog/moderation/"],
    None: ["/", "/doctors/", "/blog/", "/accounts/login/", "/accounts/register/"],
}  # fmt: skip


@pytest.mark.parametrize("role", ["patient", "doctor", None])
def test_pages_fit_a_390_pixel_phone_and_start_with_a_skip_link(
    browser, live_server, request, role, settings
):
    settings.INFERENCE_URL = "http://127.0.0.1:9"  # nothing listens: the checker says so
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    if role is not None:
        user = request.getfixturevalue(role)
        sign_in(page, live_server.url, user.email)
        page.wait_for_url(f"{live_server.url}/{role}/")
    too_wide = {}
    for path in PHONE_PAGES[role]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
        if page.evaluate("document.activeElement === document.body"):  # no autofocused field
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.textContent.trim()")
            assert focused == "Skip to content", path
    context.close()
    assert too_wide == {}
