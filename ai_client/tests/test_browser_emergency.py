"""A patient describes an emergency to the symptom checker in a real browser, against the real
inference service: the page shows the emergency banner and offers no booking."""

from datetime import time

import pytest
from playwright.sync_api import expect

from doctors.tests.factories import make_doctor
from users.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_red_flag_shows_the_emergency_banner_and_no_booking(
    page, live_server, live_inference, patient
):
    # A cardiologist with free time: a booking could be offered, and must not be.
    make_doctor(specialties=("Cardiology",), weekly={day: (time(0), time(23)) for day in range(7)})
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(patient.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/patient/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Symptom checker").click()
    expect(page.locator(".disclaimer").first).to_be_visible()
    page.get_by_label("Describe how you feel, in your own words").fill(
        "Crushing pain in my chest spreading to my left arm, and I can't catch my breath"
    )
    page.get_by_role("button", name="Check my symptoms").click()

    banner = page.get_by_role("alert").filter(has_text="This may be an emergency")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Call emergency services now")
    assert page.get_by_role("link", name="Book this slot").count() == 0
    assert "/book/" not in page.get_by_role("main").inner_html()
    # The banner is the first thing on the page, above the answer.
    assert (
        banner.bounding_box()["y"]
        < page.get_by_role("heading", name="What the assistant suggests").bounding_box()["y"]
    )
