"""A person signs in with a real browser."""

import pytest

from users.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_patient_signs_in_and_out_in_chromium(page, live_server, patient):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(patient.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/patient/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    # The stylesheet is served by the portal itself.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"

    page.get_by_text(patient.full_name).click()  # the account menu
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/signed-out/")
    assert page.get_by_role("heading", level=1).inner_text() == "You are signed out"


def test_wrong_password_shows_an_error_in_chromium(page, live_server, patient):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(patient.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert "correct" in page.get_by_role("alert").inner_text()
