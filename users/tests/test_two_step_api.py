"""Two-step sign-in through the API: enrolment, the challenge and its code, recovery codes,
lockout, forced enrolment and an administrator's reset."""

import json
import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from core.exceptions import NotAllowed
from core.models import AuditAction, AuditEvent
from users import services
from users.models import RecoveryCode
from users.tests.factories import PASSWORD
from users.tests.two_step import STEP, T0, code_at, enrol
from users.tests.utils import assert_error, client_for

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
VERIFY = "/api/v1/auth/token/verify-otp/"
STATUS = "/api/v1/auth/otp/"
ENROL = "/api/v1/auth/otp/enrol/"
CONFIRM = "/api/v1/auth/otp/confirm/"
CODES = "/api/v1/auth/otp/recovery-codes/"
DISABLE = "/api/v1/auth/otp/disable/"
ME = "/api/v1/users/me/"
ACCOUNT_ROUTES = [("post", ENROL), ("post", CONFIRM), ("post", CODES), ("post", DISABLE)]
RECOVERY_CODE = re.compile(r"^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}$")


def fullwidth(text: str) -> str:
    """As some keyboards type it: full-width digits and letters."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def reset_url(user) -> str:
    return f"/api/v1/users/{user.pk}/reset-otp/"


def challenge_for(user, client: APIClient | None = None) -> str:
    response = (client or APIClient()).post(TOKEN, {"email": user.email, "password": PASSWORD})
    assert response.status_code == 202, response.content
    return response.json()["challenge"]


def verify(challenge: str, code: str, client: APIClient | None = None):
    return (client or APIClient()).post(VERIFY, {"challenge": challenge, "code": code})


# --- enrolment ------------------------------------------------------------------------------


def test_a_doctor_enrols_an_authenticator_app(doctor):
    client = client_for(doctor)
    status = client.get(STATUS).json()
    assert status["enrolled"] is False and status["available"] is True
    assert status["required"] is False

    started = client.post(ENROL, {"password": PASSWORD})
    assert started.status_code == 201, started.content
    assert started["Cache-Control"] == "no-store"
    body = started.json()
    assert re.fullmatch(r"[A-Z2-7]{32}", body["secret"])
    assert body["otpauth_uri"].startswith("otpauth://totp/Clinic%20portal%3A")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    assert "issuer=Clinic%20portal" in body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg") and "style=" not in body["qr_svg"]
    assert client.get(STATUS).json()["enrolment_pending"] is True
    # Nothing changes for the sign-in until the app's first code confirms it.
    assert APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD}).status_code == 200

    device = TOTPDevice.objects.get(user=doctor)
    confirmed = client.post(CONFIRM, {"code": code_at(device)})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed["Cache-Control"] == "no-store"
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(RECOVERY_CODE.match(code) for code in codes)
    # Kept hashed: no code is stored as it was shown.
    stored = set(RecoveryCode.objects.filter(user=doctor).values_list("code_hash", flat=True))
    shown = {c.replace("-", "") for c in codes} | set(codes)
    assert len(stored) == 10 and not stored & shown

    status = client.get(STATUS).json()
    assert status["enrolled"] is True and status["recovery_codes_left"] == 10
    assert status["enrolment_pending"] is False
    event = AuditEvent.objects.get(resource_type="second_factor")
    assert (event.action, event.actor, event.resource_id) == (
        AuditAction.CREATE,
        doctor,
        str(doctor.pk),
    )
    assert event.detail == {"method": "totp", "replaced": False}
    assert APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD}).status_code == 202


def test_enrolment_asks_for_the_password(doctor):
    client = client_for(doctor)
    error = assert_error(client.post(ENROL, {"password": "not-it"}), 400, "wrong_password")
    assert error["fields"] == {"password": ["The password is not correct."]}
    assert_error(client.post(ENROL, {}), 400, "validation_error")
    assert not TOTPDevice.objects.exists()


def test_confirming_needs_a_started_enrolment_and_the_right_code(doctor):
    client = client_for(doctor)
    assert_error(client.post(CONFIRM, {"code": "123456"}), 409, "otp_enrolment_not_started")
    client.post(ENROL, {"password": PASSWORD})
    device = TOTPDevice.objects.get(user=doctor)
    wrong = f"{(int(code_at(device)) + 1) % 1_000_000:06d}"
    error = assert_error(client.post(CONFIRM, {"code": wrong}), 400, "invalid_code")
    assert "code" in error["fields"]
    for junk in ["", "12345", "1234567", "abcdef", "💊💊💊", fullwidth("12345")]:
        assert client.post(CONFIRM, {"code": junk}).status_code == 400, junk
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    # Full-width digits and spaces are what some keyboards type: the same code.
    assert client.post(CONFIRM, {"code": fullwidth(" ".join(code_at(device)))}).status_code == 200


def test_staff_and_admins_enrol_too(staff, admin_user):
    for user in (staff, admin_user):
        client = client_for(user)
        assert client.post(ENROL, {"password": PASSWORD}).status_code == 201
        device = TOTPDevice.objects.get(user=user)
        assert client.post(CONFIRM, {"code": code_at(device)}).status_code == 200


def test_patients_are_refused_two_step_sign_in(patient):
    """A clinic expects it of its own accounts; patients are not offered it (403, said so)."""
    client = client_for(patient)
    error = assert_error(client.get(STATUS), 403, "otp_not_available")
    assert "doctors, staff and administrators" in error["message"]
    for method, url in ACCOUNT_ROUTES:
        body = {"password": PASSWORD, "code": "123456"}
        assert_error(getattr(client, method)(url, body), 403, "otp_not_available")
    with pytest.raises(NotAllowed):
        services.otp_enrolment_start(user=patient, password=PASSWORD)
    assert not TOTPDevice.objects.exists()


def test_anonymous_callers_must_sign_in(api_client):
    assert_error(api_client.get(STATUS), 401)
    for method, url in ACCOUNT_ROUTES:
        assert_error(getattr(api_client, method)(url, {"password": PASSWORD}), 401)


def test_enrolling_again_moves_to_a_new_app_when_confirmed(doctor):
    old, old_codes = enrol(doctor)
    client = client_for(doctor)
    assert client.post(ENROL, {"password": PASSWORD}).status_code == 201
    # Until the new app is confirmed, the old one still signs in.
    assert verify(challenge_for(doctor), code_at(old)).status_code == 200
    new = TOTPDevice.objects.get(user=doctor, confirmed=False)
    with time_machine.travel(STEP, tick=False):
        confirmed = client.post(CONFIRM, {"code": code_at(new)})
    assert confirmed.status_code == 200
    assert list(TOTPDevice.objects.filter(user=doctor).values_list("pk", flat=True)) == [new.pk]
    assert (
        AuditEvent.objects.filter(resource_type="second_factor")
        .order_by("at")
        .last()
        .detail["replaced"]
    )
    with time_machine.travel(2 * STEP, tick=False):
        assert verify(challenge_for(doctor), code_at(old)).status_code == 401
        assert verify(challenge_for(doctor), old_codes[0]).status_code == 401


# --- the sign-in ----------------------------------------------------------------------------


def test_sign_in_without_two_step_answers_tokens_at_once(doctor):
    response = APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_sign_in_with_two_step_answers_a_challenge_then_tokens_for_the_code(doctor):
    device, _ = enrol(doctor)
    minted = OutstandingToken.objects.count()
    response = APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD})
    assert response.status_code == 202
    body = response.json()
    assert body["otp_required"] is True and body["expires_in"] == 300
    assert "access" not in body and "refresh" not in body
    assert OutstandingToken.objects.count() == minted  # no token exists before the code
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()

    signed_in = verify(body["challenge"], code_at(device))
    assert signed_in.status_code == 200, signed_in.content
    tokens = signed_in.json()
    assert tokens["recovery_code_used"] is False and tokens["recovery_codes_left"] == 10
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert me.get(ME).json()["email"] == doctor.email
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=doctor).count() == 1


def test_a_wrong_password_still_answers_401_without_a_challenge(doctor):
    enrol(doctor)
    response = APIClient().post(TOKEN, {"email": doctor.email, "password": "wrong"})
    assert_error(response, 401)


def test_a_used_code_cannot_be_replayed(doctor):
    device, _ = enrol(doctor)
    code = code_at(device)
    assert verify(challenge_for(doctor), code).status_code == 200
    error = assert_error(verify(challenge_for(doctor), code), 401, "invalid_code")
    assert "used already" in error["message"]
    assert "WWW-Authenticate" in verify(challenge_for(doctor), code)


@pytest.mark.django_db(transaction=True)
def test_eight_sign_ins_racing_with_one_code_let_one_through(doctor):
    """Each on its own connection: the device row is locked while a code is checked and spent.
    (On SQLite the write lock serialises them; PostgreSQL runs them truly at once.)"""
    device, _ = enrol(doctor)
    code = code_at(device)
    challenges = [challenge_for(doctor) for _ in range(8)]
    barrier = threading.Barrier(len(challenges))
    statuses: list[int | str] = []
    lock = threading.Lock()

    def attempt(challenge: str) -> None:
        try:
            barrier.wait()
            outcome: int | str = verify(challenge, code).status_code
        except Exception as exc:  # reported in the assertion, not lost in a thread
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            statuses.append(outcome)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in challenges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # The others are refused; enough refusals at once may also lock the account (429).
    assert statuses.count(200) == 1, statuses
    assert all(status in (401, 429) for status in statuses if status != 200), statuses


def test_a_challenge_serves_one_sign_in(doctor):
    device, _ = enrol(doctor)
    with time_machine.travel(T0, tick=False):
        challenge = challenge_for(doctor)
        assert verify(challenge, code_at(device)).status_code == 200
    with time_machine.travel(T0 + STEP, tick=False):
        assert_error(verify(challenge, code_at(device)), 401, "invalid_challenge")


def test_clock_drift_of_one_step_is_accepted_and_two_are_not(doctor, other_doctor, staff):
    behind, _ = enrol(doctor)
    ahead, _ = enrol(other_doctor)
    far, _ = enrol(staff)
    with time_machine.travel(T0 + STEP, tick=False):
        # A phone 30 s behind, and one 30 s ahead: accepted.
        assert verify(challenge_for(doctor), code_at(behind, T0)).status_code == 200
        assert verify(challenge_for(other_doctor), code_at(ahead, T0 + 2 * STEP)).status_code == 200
        # A minute off either way: refused.
        assert_error(verify(challenge_for(staff), code_at(far, T0 - STEP)), 401, "invalid_code")
        assert_error(verify(challenge_for(staff), code_at(far, T0 + 3 * STEP)), 401)
    # A steady drift is learnt: the phone still 30 s behind, a day later.
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        late = code_at(behind, T0 + timedelta(days=1) - STEP)
        assert verify(challenge_for(doctor), late).status_code == 200


def test_a_recovery_code_signs_in_once(doctor):
    _, codes = enrol(doctor)
    response = verify(challenge_for(doctor), codes[3])
    assert response.status_code == 200
    assert response.json()["recovery_code_used"] is True
    assert response.json()["recovery_codes_left"] == 9
    event = AuditEvent.objects.get(resource_type="recovery_code")
    assert event.actor == doctor and event.detail == {"used": True, "left": 9}
    assert_error(verify(challenge_for(doctor), codes[3]), 401, "invalid_code")
    # Typed as people type it: upper case, without dashes, with spaces.
    assert verify(challenge_for(doctor), codes[4].upper().replace("-", " ")).status_code == 200
    assert RecoveryCode.objects.filter(user=doctor, used_at__isnull=True).count() == 8


def test_wrong_codes_lock_the_account_like_wrong_passwords(doctor):
    device, _ = enrol(doctor)
    challenge = challenge_for(doctor)
    right = code_at(device)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    statuses = [verify(challenge, wrong).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    response = verify(challenge, right)
    assert_error(response, 429, "account_locked")
    assert int(response["Retry-After"]) == 15 * 60
    # The password step is locked too: it is one account.
    response = APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD})
    assert_error(response, 429, "account_locked")
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert failed.count() == 4 and all(event.detail["step"] == "code" for event in failed)
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT).exists()
    # The code was not spent by the refusals: after the cool-off it signs in.
    with time_machine.travel(timedelta(minutes=16), tick=False):
        assert verify(challenge_for(doctor), code_at(device)).status_code == 200


def test_wrong_passwords_and_wrong_codes_add_up(doctor):
    device, _ = enrol(doctor)
    for _ in range(3):
        APIClient().post(TOKEN, {"email": doctor.email, "password": "wrong"})
    challenge = challenge_for(doctor)
    assert (
        verify(challenge, "000000" if code_at(device) != "000000" else "111111").status_code == 401
    )
    assert verify(challenge, "not a code").status_code == 429


def test_a_sign_in_resets_the_failure_count(doctor):
    device, _ = enrol(doctor)
    for _ in range(4):
        verify(challenge_for(doctor), "abcdef")
    assert verify(challenge_for(doctor), code_at(device)).status_code == 200
    for _ in range(4):
        assert verify(challenge_for(doctor), "abcdef").status_code == 401


def test_an_expired_challenge_is_refused(doctor):
    device, _ = enrol(doctor)
    with time_machine.travel(T0, tick=False):
        challenge = challenge_for(doctor)
    with time_machine.travel(T0 + timedelta(seconds=301), tick=False):
        error = assert_error(verify(challenge, code_at(device)), 401, "invalid_challenge")
    assert "Sign in again" in error["message"]


def test_a_password_change_or_deactivation_voids_the_challenge(doctor, admin_user):
    device, _ = enrol(doctor)
    challenge = challenge_for(doctor)
    doctor.password = make_password("Another-secret-77")
    doctor.save(update_fields=["password"])
    assert_error(verify(challenge, code_at(device)), 401, "invalid_challenge")

    doctor.set_password(PASSWORD)
    doctor.save(update_fields=["password"])
    challenge = challenge_for(doctor)
    services.user_set_active(actor=admin_user, user=doctor, active=False)
    assert_error(verify(challenge, code_at(device)), 401, "invalid_challenge")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"challenge": "x"},
        {"code": "123456"},
        {"challenge": None, "code": "123456"},
        {"challenge": ["a"], "code": "123456"},
        {"challenge": "x", "code": {"a": 1}},
        {"challenge": "x" * 1025, "code": "123456"},
        {"challenge": "x", "code": "1" * 65},
        {"challenge": "", "code": ""},
    ],
)
def test_verify_refuses_bad_bodies_with_400(api_client, body):
    assert_error(api_client.post(VERIFY, body, format="json"), 400, "validation_error")


@pytest.mark.parametrize(
    "challenge",
    ["garbage", "挑战:签名:坏", "eyJ1IjoiMSJ9:1abc:def", "a:b:c:d", "💊" * 100, "x:y"],
)
def test_unknown_challenges_are_refused_with_401(api_client, challenge):
    assert_error(verify(challenge, "123456", api_client), 401, "invalid_challenge")


def test_malformed_and_huge_bodies_answer_in_the_error_shape(api_client, doctor):
    response = api_client.generic("POST", VERIFY, "{not json", content_type="application/json")
    assert_error(response, 400, "malformed_request")
    huge = json.dumps({"challenge": "x" * (3 * 1024 * 1024), "code": "1"})
    response = api_client.generic("POST", VERIFY, huge, content_type="application/json")
    assert_error(response, 413)
    client = client_for(doctor)
    response = client.generic("POST", ENROL, "[1, 2", content_type="application/json")
    assert_error(response, 400, "malformed_request")
    assert_error(client.post(ENROL, {"password": "é" * 129}), 400, "validation_error")
    assert_error(client.post(ENROL, {"password": 12345}), 400, "wrong_password")
    assert_error(client.post(CONFIRM, {"code": ["123456"]}), 400, "validation_error")


def test_unicode_codes_are_wrong_codes_not_errors(doctor):
    enrol(doctor)
    for junk in ["١٢٣٤٥٦", fullwidth("ABCD-EFGH-2345"), "🔑", "\u200b" * 6]:
        assert_error(verify(challenge_for(doctor), junk), 401, "invalid_code")
    assert_error(verify(challenge_for(doctor), "\u0000" * 6), 400, "validation_error")


# --- roles that must sign in with two steps -----------------------------------------------------


def test_a_required_role_without_an_app_is_told_to_enrol(settings, staff, doctor):
    settings.OTP_REQUIRED_ROLES = ["admin", "staff"]
    minted = OutstandingToken.objects.count()
    response = APIClient().post(TOKEN, {"email": staff.email, "password": PASSWORD})
    error = assert_error(response, 403, "otp_enrolment_required")
    assert "set up an authenticator app" in error["message"]
    assert OutstandingToken.objects.count() == minted
    # A wrong password is still only a wrong password (nothing about the role leaks).
    assert_error(APIClient().post(TOKEN, {"email": staff.email, "password": "nope"}), 401)
    # Doctors are not required to: they sign in as before.
    assert APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD}).status_code == 200
    # Enrolled, staff sign in with the code.
    device, _ = enrol(staff)
    assert verify(challenge_for(staff), code_at(device)).status_code == 200
    assert client_for(staff).get(STATUS).json()["required"] is True


def test_a_required_role_cannot_turn_it_off(settings, staff):
    settings.OTP_REQUIRED_ROLES = ["admin", "staff"]
    enrol(staff)
    error = assert_error(client_for(staff).post(DISABLE, {"password": PASSWORD}), 403)
    assert error["code"] == "otp_required"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


# --- turning off, new recovery codes, the administrator's reset -----------------------------------


def test_a_doctor_turns_it_off_with_the_password(doctor):
    enrol(doctor)
    client = client_for(doctor)
    assert_error(client.post(DISABLE, {"password": "wrong"}), 400, "wrong_password")
    assert client.post(DISABLE, {"password": PASSWORD}).status_code == 204
    assert not TOTPDevice.objects.filter(user=doctor).exists()
    assert not RecoveryCode.objects.filter(user=doctor).exists()
    assert APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD}).status_code == 200
    assert_error(client.post(DISABLE, {"password": PASSWORD}), 409, "otp_not_enrolled")
    event = AuditEvent.objects.filter(resource_type="second_factor").order_by("at").last()
    assert (event.action, event.actor) == (AuditAction.DELETE, doctor)


def test_new_recovery_codes_replace_the_old_ones(doctor):
    _, old = enrol(doctor)
    client = client_for(doctor)
    assert_error(client.post(CODES, {"password": "wrong"}), 400, "wrong_password")
    response = client.post(CODES, {"password": PASSWORD})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = response.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert_error(verify(challenge_for(doctor), old[0]), 401, "invalid_code")
    assert verify(challenge_for(doctor), new[0]).status_code == 200
    event = AuditEvent.objects.filter(resource_type="second_factor").order_by("at").last()
    assert event.action == AuditAction.UPDATE and event.detail == {"recovery_codes": "renewed"}


def test_recovery_codes_need_two_step_sign_in(doctor):
    assert_error(client_for(doctor).post(CODES, {"password": PASSWORD}), 409, "otp_not_enrolled")


def test_an_administrator_resets_a_lost_phone(admin_user, doctor):
    enrol(doctor)
    response = client_for(admin_user).post(reset_url(doctor))
    assert response.status_code == 204
    assert not TOTPDevice.objects.filter(user=doctor).exists()
    assert not RecoveryCode.objects.filter(user=doctor).exists()
    event = AuditEvent.objects.filter(resource_type="second_factor").order_by("at").last()
    assert (event.action, event.actor, event.resource_id) == (
        AuditAction.DELETE,
        admin_user,
        str(doctor.pk),
    )
    assert event.detail == {"reset": True, "was_enrolled": True}
    assert APIClient().post(TOKEN, {"email": doctor.email, "password": PASSWORD}).status_code == 200
    # Again, with nothing to reset: still answered, still recorded.
    assert client_for(admin_user).post(reset_url(doctor)).status_code == 204
    assert AuditEvent.objects.filter(resource_type="second_factor").order_by(
        "at"
    ).last().detail == {
        "reset": True,
        "was_enrolled": False,
    }


def test_only_administrators_reset_and_not_their_own(
    admin_user, staff, doctor, other_doctor, patient, api_client
):
    enrol(doctor)
    for caller in (staff, other_doctor, patient, doctor):
        assert_error(client_for(caller).post(reset_url(doctor)), 403)
    assert_error(api_client.post(reset_url(doctor)), 401)
    assert TOTPDevice.objects.filter(user=doctor).exists()
    error = assert_error(client_for(admin_user).post(reset_url(admin_user)), 400, "self_reset")
    assert "own" in error["message"]
    unknown = "/api/v1/users/00000000-0000-0000-0000-000000000000/reset-otp/"
    assert_error(client_for(admin_user).post(unknown), 404)
    assert_error(client_for(admin_user).post("/api/v1/users/not-a-uuid/reset-otp/"), 404)


def test_the_schema_documents_the_two_step_endpoints(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    token = paths["/api/v1/auth/token/"]["post"]["responses"]
    assert {"200", "202", "401", "403", "429"} <= set(token)
    assert token["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OtpChallenge"
    }
    verify_answers = paths["/api/v1/auth/token/verify-otp/"]["post"]["responses"]
    assert {"200", "400", "401", "413", "429"} <= set(verify_answers)
    for path in [STATUS, ENROL, CONFIRM, CODES, DISABLE, "/api/v1/users/{id}/reset-otp/"]:
        assert path in paths, path
    assert "409" in paths[CONFIRM]["post"]["responses"]
