"""Repeated failed sign-ins lock an account, on the API, the sign-in page and the admin."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from users.tests.factories import PASSWORD
from users.tests.utils import assert_error

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def test_six_wrong_passwords_lock_the_account_even_for_the_right_password(api_client, patient):
    statuses = [
        api_client.post(TOKEN, {"email": patient.email, "password": f"wrong-{i}"}).status_code
        for i in range(6)
    ]
    assert statuses[:4] == [401] * 4
    assert 429 in statuses

    response = api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD})
    error = assert_error(response, 429, "account_locked")
    assert "Try again" in error["message"]
    assert int(response["Retry-After"]) == 15 * 60

    # Another spelling of the same address is the same account.
    response = api_client.post(TOKEN, {"email": patient.email.upper(), "password": PASSWORD})
    assert_error(response, 429, "account_locked")

    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 4
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_lockout_ends_after_the_cool_off(api_client, patient):
    for i in range(5):
        api_client.post(TOKEN, {"email": patient.email, "password": f"wrong-{i}"})
    assert api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD}).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD})
    assert response.status_code == 200


def test_other_accounts_are_not_locked(api_client, patient, other_patient):
    for i in range(6):
        api_client.post(TOKEN, {"email": patient.email, "password": f"wrong-{i}"})
    response = api_client.post(TOKEN, {"email": other_patient.email, "password": PASSWORD})
    assert response.status_code == 200


def test_session_login_page_locks_too(client, patient):
    for i in range(5):
        client.post("/accounts/login/", {"username": patient.email, "password": f"wrong-{i}"})
    response = client.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert b"temporarily locked" in response.content
    assert "_auth_user_id" not in client.session


def test_admin_login_locks_too(client, staff):
    for i in range(5):
        client.post("/admin/login/", {"username": staff.email, "password": f"wrong-{i}"})
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(api_client, patient):
    for i in range(4):
        api_client.post(TOKEN, {"email": patient.email, "password": f"wrong-{i}"})
    assert api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD}).status_code == 200
    for i in range(4):
        api_client.post(TOKEN, {"email": patient.email, "password": f"wrong-{i}"})
    assert api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD}).status_code == 200
