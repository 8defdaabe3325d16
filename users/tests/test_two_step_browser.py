"""Two-step sign-in in a real browser: set up from the account menu, then the sign-in's
second step. Any CSP violation (the inline QR code included) fails the test."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, at: float) -> str:
    """What an authenticator app shows for the secret the page gave."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = at
    return f"{totp.token():06d}"


def test_a_doctor_sets_up_two_step_and_signs_in_with_a_code(page, live_server, doctor):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(doctor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/doctor/")

    page.locator("details.account summary").click()  # the account menu
    page.get_by_role("link", name="Two-step sign-in").click()
    page.wait_for_url(f"{live_server.url}/accounts/two-step/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/accounts/two-step/enrol/")
    assert page.get_by_role("img", name="QR code of the secret").is_visible()
    secret = page.get_by_label("Secret, if you cannot scan").input_value()
    page.get_by_label("Code from your authenticator app").fill(app_code(secret, time.time()))
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    assert page.locator("ol.recovery-codes li").count() == 10
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_url(f"{live_server.url}/accounts/two-step/")
    # The time step whose code the enrolment spent: on a slow machine it may be the one before
    # the clock's, and the device then keeps that drift.
    spent_step = TOTPDevice.objects.get(user=doctor, confirmed=True).last_t
    next_code = app_code(secret, (spent_step + 1) * 30)

    page.locator("details.account summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/signed-out/")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(doctor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/code/")
    code_field = page.get_by_label("Code from your authenticator app, or a recovery code")
    code_field.fill("000000" if next_code != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    assert "not correct" in page.locator(".errorlist").inner_text()
    # The enrolment spent that step's code: the app's next one (a phone 30 s ahead).
    code_field = page.get_by_label("Code from your authenticator app, or a recovery code")
    code_field.fill(next_code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/doctor/")
