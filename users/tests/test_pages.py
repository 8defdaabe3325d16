"""The session sign-in page and the password-setting page, through Django's test client."""

import pytest
from django.core import mail
from django.test import TestCase

from core.models import AuditAction, AuditEvent
from users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_signs_in_and_out(client, patient):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b'name="username"' in page.content

    response = client.post(
        "/accounts/login/", {"username": patient.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    landing = client.get("/dashboard/", follow=True)
    assert landing.redirect_chain == [("/patient/", 302)]
    assert patient.full_name.encode() in landing.content

    signed_out = client.post("/accounts/logout/", follow=True)
    assert signed_out.redirect_chain == [("/accounts/signed-out/", 302)]
    assert b"You are signed out" in signed_out.content
    assert "_auth_user_id" not in client.session
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.LOGIN, AuditAction.LOGOUT} <= actions


def test_login_page_wrong_password_shows_an_error(client, patient):
    response = client.post("/accounts/login/", {"username": patient.email, "password": "nope"})
    assert response.status_code == 200
    assert b"correct" in response.content  # Django's "Please enter a correct e-mail and password"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def _reset_link(client, email: str) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            "/api/v1/auth/password/reset/", {"email": email}, content_type="application/json"
        )
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    return link[link.index("/accounts/reset/") :]


def test_reset_link_page_sets_a_new_password(client, patient):
    path = _reset_link(client, patient.email)
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"new_password": "Quiet-harbour-61", "new_password_again": "Quiet-harbour-61"}
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("Quiet-harbour-61")


def test_reset_link_page_refuses_mismatch_weak_and_bad_tokens(client, patient):
    path = _reset_link(client, patient.email)
    mismatch = client.post(
        path, {"new_password": "Quiet-harbour-61", "new_password_again": "other"}
    )
    assert b"differ" in mismatch.content
    weak = client.post(path, {"new_password": "123", "new_password_again": "123"})
    assert weak.status_code == 200 and b"too short" in weak.content
    bad = client.post(
        "/accounts/reset/bm9wZQ/abc-123/",
        {"new_password": "Quiet-harbour-61", "new_password_again": "Quiet-harbour-61"},
    )
    assert bad.status_code == 200 and b"invalid or has expired" in bad.content
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)
