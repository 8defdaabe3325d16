"""Two-step sign-in on the pages and in the admin: the sign-in's code step, the enrolment a
role requires, the account's "Two-step sign-in" page and the administrator's reset."""

import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.checks import run_checks
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent
from users.models import RecoveryCode
from users.tests.factories import PASSWORD
from users.tests.two_step import STEP, code_at, enrol

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
LOGIN_ENROL = "/accounts/login/enrol/"
TWO_STEP = "/accounts/two-step/"
TWO_STEP_ENROL = "/accounts/two-step/enrol/"
ADMIN_LOGIN = "/admin/login/"


def password_step(client, user, path: str = LOGIN, **extra):
    return client.post(path, {"username": user.email, "password": PASSWORD, **extra})


def wrong_code(device) -> str:
    return f"{(int(code_at(device)) + 500_000) % 1_000_000:06d}"


# --- the sign-in ------------------------------------------------------------------------------


def test_the_sign_in_asks_for_the_code_after_the_password(client, doctor):
    device, _ = enrol(doctor)
    response = password_step(client, doctor)
    assert (response.status_code, response["Location"]) == (302, CODE)
    assert "_auth_user_id" not in client.session  # nobody is signed in yet

    page = client.get(CODE)
    assert page.status_code == 200
    assert doctor.email.encode() in page.content
    assert b'autocomplete="one-time-code"' in page.content
    assert b"Code from your authenticator app, or a recovery code" in page.content
    assert page["Cache-Control"].startswith("max-age=0")

    refused = client.post(CODE, {"code": wrong_code(device)})
    assert refused.status_code == 200 and b"not correct" in refused.content
    assert "_auth_user_id" not in client.session

    signed_in = client.post(CODE, {"code": code_at(device)})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/dashboard/")
    assert client.session["_auth_user_id"] == str(doctor.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/doctor/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=doctor).count() == 1
    # The pending sign-in is over: the code page sends back to the sign-in.
    client.logout()
    assert client.get(CODE)["Location"] == LOGIN


def test_the_sign_in_without_two_step_is_unchanged(client, doctor):
    response = password_step(client, doctor)
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")
    assert client.session["_auth_user_id"] == str(doctor.pk)


def test_the_code_step_keeps_where_the_visitor_was_going(client, doctor):
    device, _ = enrol(doctor)
    password_step(client, doctor, next="/agenda/")
    assert client.post(CODE, {"code": code_at(device)})["Location"] == "/agenda/"
    client.logout()
    password_step(client, doctor, next="https://evil.example/")
    with time_machine.travel(STEP, tick=False):
        assert client.post(CODE, {"code": code_at(device)})["Location"] == "/dashboard/"


def test_a_code_used_on_the_api_is_refused_on_the_page(client, doctor):
    device, _ = enrol(doctor)
    code = code_at(device)
    challenge = (
        APIClient()
        .post("/api/v1/auth/token/", {"email": doctor.email, "password": PASSWORD})
        .json()["challenge"]
    )
    api = APIClient().post("/api/v1/auth/token/verify-otp/", {"challenge": challenge, "code": code})
    assert api.status_code == 200
    password_step(client, doctor)
    refused = client.post(CODE, {"code": code})
    assert refused.status_code == 200 and b"used already" in refused.content
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once_on_the_page(client, doctor):
    _, codes = enrol(doctor)
    password_step(client, doctor)
    response = client.post(CODE, {"code": codes[0]}, follow=True)
    assert b"You signed in with a recovery code; 9 left" in response.content
    client.logout()
    password_step(client, doctor)
    assert b"not correct" in client.post(CODE, {"code": codes[0]}).content


def test_wrong_codes_lock_the_page_sign_in(client, doctor):
    device, _ = enrol(doctor)
    password_step(client, doctor)
    for _ in range(4):
        assert client.post(CODE, {"code": wrong_code(device)}).status_code == 200
    locked = client.post(CODE, {"code": wrong_code(device)})
    assert locked.status_code == 429 and "Retry-After" in locked
    assert b"temporarily locked" in locked.content
    locked = client.post(CODE, {"code": code_at(device)})
    assert locked.status_code == 429 and b"temporarily locked" in locked.content
    assert "_auth_user_id" not in client.session
    assert password_step(client, doctor).status_code == 429


def test_an_expired_sign_in_goes_back_to_the_password(client, doctor):
    device, _ = enrol(doctor)
    password_step(client, doctor)
    with time_machine.travel(timedelta(seconds=301), tick=False):
        response = client.post(CODE, {"code": code_at(device)}, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    assert b"Your sign-in has expired" in response.content
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_pending_sign_in_sends_to_the_sign_in(client):
    assert client.get(CODE)["Location"] == LOGIN
    assert client.get(LOGIN_ENROL)["Location"] == LOGIN
    session = client.session
    session["users.pending_sign_in"] = {"challenge": "forged:challenge:value", "next": "/x/"}
    session.save()
    assert client.post(CODE, {"code": "123456"})["Location"] == LOGIN


# --- a role that must sign in with two steps ----------------------------------------------------


def test_a_required_role_enrols_on_its_next_sign_in(client, settings, staff):
    settings.OTP_REQUIRED_ROLES = ["admin", "staff"]
    response = password_step(client, staff)
    assert (response.status_code, response["Location"]) == (302, LOGIN_ENROL)
    assert "_auth_user_id" not in client.session

    page = client.get(LOGIN_ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html and "style=" not in html
    assert "<script" not in html.split("</head>")[1]  # no inline script in the body
    assert 'id="otp-secret"' in html and 'inputmode="numeric"' in html
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert device.config_url.split("secret=")[1].split("&")[0] in html.replace(" ", "")

    assert b"not correct" in client.post(LOGIN_ENROL, {"code": "000000x"}).content
    done = client.post(LOGIN_ENROL, {"code": code_at(device)})
    assert done.status_code == 200
    assert b"Your recovery codes" in done.content and done.content.count(b"<code>") == 10
    assert done["Cache-Control"].startswith("max-age=0")
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(resource_type="second_factor", actor=staff).exists()

    # The next sign-in asks for the code.
    client.logout()
    assert password_step(client, staff)["Location"] == CODE


def test_a_role_not_required_signs_in_without_enrolling(client, settings, doctor):
    settings.OTP_REQUIRED_ROLES = ["admin", "staff"]
    assert password_step(client, doctor)["Location"] == "/dashboard/"


# --- the admin ----------------------------------------------------------------------------------


def test_the_admin_asks_for_the_code(client, staff):
    device, _ = enrol(staff)
    response = password_step(client, staff, ADMIN_LOGIN, next="/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/code/")
    assert "_auth_user_id" not in client.session
    page = client.get("/admin/login/code/")
    assert page.status_code == 200 and b"Signing in as" in page.content
    assert b'id="login-form"' in page.content  # the admin's own look
    assert b"errornote" in client.post("/admin/login/code/", {"code": wrong_code(device)}).content
    response = client.post("/admin/login/code/", {"code": code_at(device)})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b'href="/accounts/two-step/"' in index.content  # among the user links


def test_a_session_without_the_code_does_not_reach_the_admin(client, staff):
    enrol(staff)
    client.force_login(staff)  # a session made some other way, e.g. before enrolling
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN)
    assert client.get("/admin/users/user/").status_code == 302


def test_the_admin_sign_in_still_refuses_non_staff(client, doctor):
    enrol(doctor)
    response = password_step(client, doctor, ADMIN_LOGIN)
    assert response.status_code == 200
    assert b"staff account" in response.content


def test_an_administrator_resets_a_second_step_in_the_admin(client, admin_user, doctor, staff):
    enrol(doctor)
    client.force_login(admin_user)
    listing = client.get("/admin/users/user/")
    assert b"Two-step sign-in" in listing.content
    response = client.post(
        "/admin/users/user/",
        {"action": "reset_two_step_selected", "_selected_action": [str(doctor.pk)]},
        follow=True,
    )
    assert b"Two-step sign-in reset for 1 account" in response.content
    assert not TOTPDevice.objects.filter(user=doctor).exists()
    event = AuditEvent.objects.get(resource_type="second_factor", action=AuditAction.DELETE)
    assert event.actor == admin_user and event.resource_id == str(doctor.pk)
    # Staff do not get the action.
    client.force_login(staff)
    assert b"reset_two_step_selected" not in client.get("/admin/users/user/").content


def test_the_library_admin_of_devices_is_not_offered(client, admin_user):
    assert TOTPDevice not in admin.site._registry  # it would show every secret
    assert RecoveryCode not in admin.site._registry


# --- the account's Two-step sign-in page --------------------------------------------------------


def test_a_doctor_sets_it_up_on_the_account_page(client, doctor):
    client.force_login(doctor)
    page = client.get(TWO_STEP)
    assert page.status_code == 200 and b"Set up an authenticator app" in page.content
    assert client.get(TWO_STEP_ENROL)["Location"] == TWO_STEP  # nothing started yet

    refused = client.post(TWO_STEP, {"action": "enrol", "enrol-password": "wrong"})
    assert refused.status_code == 200 and b"The password is not correct" in refused.content
    started = client.post(TWO_STEP, {"action": "enrol", "enrol-password": PASSWORD})
    assert started["Location"] == TWO_STEP_ENROL
    page = client.get(TWO_STEP_ENROL)
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=doctor, confirmed=False)
    done = client.post(TWO_STEP_ENROL, {"code": code_at(device)})
    assert done.status_code == 200 and done.content.count(b"<code>") == 10
    assert b'href="/accounts/two-step/"' in done.content
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    status = client.get(TWO_STEP)
    assert b"Recovery codes left" in status.content and b"Turn off" in status.content


def test_new_codes_and_turning_off_on_the_account_page(client, doctor):
    _, old = enrol(doctor)
    client.force_login(doctor)
    codes = client.post(TWO_STEP, {"action": "codes", "codes-password": PASSWORD})
    assert codes.status_code == 200 and codes.content.count(b"<code>") == 10
    assert old[0].encode() not in codes.content
    refused = client.post(TWO_STEP, {"action": "disable", "disable-password": "nope"})
    assert b"The password is not correct" in refused.content
    off = client.post(TWO_STEP, {"action": "disable", "disable-password": PASSWORD}, follow=True)
    assert b"Two-step sign-in is off" in off.content
    assert not TOTPDevice.objects.filter(user=doctor).exists()
    assert client.post(TWO_STEP, {"action": "unknown"}).status_code == 400


def test_a_required_role_cannot_turn_it_off_on_the_page(client, settings, staff):
    settings.OTP_REQUIRED_ROLES = ["admin", "staff"]
    enrol(staff)
    client.force_login(staff)
    page = client.get(TWO_STEP)
    assert b"disable-password" not in page.content
    assert b"Your role must sign in with two steps" in page.content
    refused = client.post(TWO_STEP, {"action": "disable", "disable-password": PASSWORD})
    assert b"cannot be turned off" in refused.content
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_the_account_page_is_not_for_patients_or_visitors(client, patient, doctor):
    assert client.get(TWO_STEP)["Location"].startswith(f"{LOGIN}?next=")
    client.force_login(patient)
    assert client.get(TWO_STEP).status_code == 404
    assert client.get(TWO_STEP_ENROL).status_code == 404
    assert client.post(TWO_STEP, {"action": "enrol", "enrol-password": PASSWORD}).status_code == 404
    assert not TOTPDevice.objects.exists()
    assert b"/accounts/two-step/" not in client.get("/patient/").content
    client.force_login(doctor)
    assert b'href="/accounts/two-step/"' in client.get("/doctor/").content


# --- settings ---------------------------------------------------------------------------------


def test_roles_must_be_consistent(settings):
    settings.OTP_REQUIRED_ROLES = ["staff", "patient"]
    settings.OTP_ALLOWED_ROLES = ["doctor", "staff", "admin", "nurse"]
    ids = {message.id for message in run_checks()}
    assert {"users.E001", "users.E002"} <= ids


def test_production_requires_it_of_admins_and_staff_and_the_demo_of_nobody():
    read = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.OTP_REQUIRED_ROLES))"
    )
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCD",
        "DJANGO_ALLOWED_HOSTS": "clinic.example",
        "INFERENCE_API_KEY": "test-only-inference-key",
        "DATABASE_URL": "postgres://clinic@127.0.0.1:5432/clinic",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWtleS1mb3Itc2V0dGluZ3MtdGVzdHM=",
        "PATH": "/usr/bin:/bin",
    }
    for environment, expected in [
        (production, "['admin', 'staff']"),
        ({"DJANGO_SETTINGS_MODULE": "config.settings.local", "PATH": "/usr/bin:/bin"}, "[]"),
    ]:
        result = subprocess.run(
            [sys.executable, "-c", read],
            env=environment,
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == expected
    assert django_settings.OTP_REQUIRED_ROLES == []  # the test settings
