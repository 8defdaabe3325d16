"""The sign-in journey through the API: register, tokens, rotation, logout, password changes."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from core.models import AuditAction, AuditEvent, Delivery, DeliveryStatus
from core.outbox import deliveries_sweep
from users.models import Role, User
from users.tests.factories import PASSWORD
from users.tests.utils import assert_error, client_for

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/users/me/"
PASSWORD_CHANGE = "/api/v1/auth/password/change/"
RESET = "/api/v1/auth/password/reset/"
RESET_CONFIRM = "/api/v1/auth/password/reset/confirm/"

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "email": "Zoe.Mueller@Example.com",
    "password": "Lantern-river-93",
    "full_name": "Zoë Müller",
    "timezone": "Europe/Berlin",
    "phone": "+4915123456789",
}


def login(api_client, email: str, password: str):
    return api_client.post(TOKEN, {"email": email, "password": password}, format="json")


def test_full_journey_register_login_me_refresh_logout(api_client):
    response = api_client.post(REGISTER, NEW_PATIENT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "zoe.mueller@example.com"
    assert body["role"] == "patient"
    assert "password" not in body

    tokens = login(api_client, "ZOE.MUELLER@example.com", NEW_PATIENT["password"]).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api_client.get(ME)
    assert me.status_code == 200
    assert me.json()["full_name"] == "Zoë Müller"

    rotated = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert rotated.status_code == 200
    new_refresh = rotated.json()["refresh"]
    assert new_refresh != tokens["refresh"]
    assert_error(api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401)

    assert api_client.post(LOGOUT, {"refresh": new_refresh}, format="json").status_code == 204
    assert_error(api_client.post(REFRESH, {"refresh": new_refresh}, format="json"), 401)

    actions = list(AuditEvent.objects.order_by("at").values_list("action", flat=True))
    assert actions == [AuditAction.CREATE, AuditAction.LOGIN, AuditAction.LOGOUT]


def test_registration_with_role_doctor_is_refused_and_creates_nothing(api_client):
    response = api_client.post(REGISTER, {**NEW_PATIENT, "role": "doctor"}, format="json")
    error = assert_error(response, 403, "permission_denied")
    assert "patient" in error["message"]
    assert not User.objects.exists()


def test_registration_with_role_patient_is_accepted(api_client):
    response = api_client.post(REGISTER, {**NEW_PATIENT, "role": "patient"}, format="json")
    assert response.status_code == 201
    assert User.objects.get().role == Role.PATIENT


def test_duplicate_email_in_another_case_is_refused(api_client, patient):
    response = api_client.post(
        REGISTER, {**NEW_PATIENT, "email": patient.email.upper()}, format="json"
    )
    error = assert_error(response, 400, "email_taken")
    assert "email" in error["fields"]
    assert User.objects.filter(email__iexact=patient.email).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": "x" * 1_000_000}, "full_name"),
        ({"password": "password"}, "password"),
        ({"password": "12345678901"}, "password"),
        ({"password": "Zoe.Mueller1"}, "password"),  # too close to the e-mail
        ({"email": "not-an-email"}, "email"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"phone": "12345"}, "phone"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "nul\x00byte"}, "full_name"),
        ({"email": ["a@b.c"]}, "email"),
    ],
)
def test_registration_bad_input_gets_400_naming_the_field(api_client, change, field):
    response = api_client.post(REGISTER, {**NEW_PATIENT, **change}, format="json")
    error = assert_error(response, 400)
    assert field in error["fields"], error
    assert not User.objects.exists()


def test_registration_with_malformed_json_gets_400(api_client):
    response = api_client.post(REGISTER, '{"email": "a@b.c",', content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_registration_with_body_that_is_not_an_object_gets_400(api_client):
    response = api_client.post(REGISTER, "[1, 2, 3]", content_type="application/json")
    assert_error(response, 400)


def test_wrong_password_gets_401_in_error_shape(api_client, patient):
    assert_error(login(api_client, patient.email, "wrong-password-1"), 401)


def test_login_with_missing_fields_gets_400(api_client):
    error = assert_error(api_client.post(TOKEN, {}, format="json"), 400)
    assert set(error["fields"]) == {"email", "password"}


def test_password_change_kills_old_refresh_and_access_tokens(api_client, patient):
    first = login(api_client, patient.email, PASSWORD).json()
    second = login(api_client, patient.email, PASSWORD).json()
    client = client_for(patient)

    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password": "Brand-new-secret-77"},
        format="json",
    )
    assert response.status_code == 200
    fresh = response.json()

    for old in (first, second):
        assert_error(api_client.post(REFRESH, {"refresh": old["refresh"]}, format="json"), 401)
    assert_error(client.get(ME), 401)  # the access token from before the change

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh['access']}")
    assert api_client.get(ME).status_code == 200
    assert api_client.post(REFRESH, {"refresh": fresh["refresh"]}, format="json").status_code == 200
    assert login(APIClient(), patient.email, "Brand-new-secret-77").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).count() == 1


def test_password_change_with_wrong_old_password_changes_nothing(patient):
    client = client_for(patient)
    response = client.post(
        PASSWORD_CHANGE, {"old_password": "nope", "new_password": "Brand-new-secret-77"}
    )
    assert "old_password" in assert_error(response, 400, "wrong_password")["fields"]
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_password_change_with_weak_new_password_is_refused(patient):
    response = client_for(patient).post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password": "abc"}
    )
    assert "new_password" in assert_error(response, 400, "weak_password")["fields"]


def test_password_change_needs_authentication(api_client):
    assert_error(api_client.post(PASSWORD_CHANGE, {}, format="json"), 401)


def test_password_reset_answers_the_same_for_known_and_unknown_emails(
    api_client, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = api_client.post(RESET, {"email": patient.email.upper()}, format="json")
        unknown = api_client.post(RESET, {"email": "nobody@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [patient.email]


def test_password_reset_confirm_sets_the_password_and_revokes_tokens(
    api_client, patient, django_capture_on_commit_callbacks
):
    old = login(api_client, patient.email, PASSWORD).json()
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(RESET, {"email": patient.email}, format="json")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    uid, token = link.rstrip("/").split("/")[-2:]

    response = api_client.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "Fresh-meadow-58"}
    )
    assert response.status_code == 200
    assert login(api_client, patient.email, "Fresh-meadow-58").status_code == 200
    assert_error(api_client.post(REFRESH, {"refresh": old["refresh"]}, format="json"), 401)

    # The link works once.
    again = api_client.post(
        RESET_CONFIRM, {"uid": uid, "token": token, "new_password": "Other-meadow-59"}
    )
    assert_error(again, 400, "invalid_reset_token")


@pytest.mark.parametrize("uid", ["garbage", "", "MTIz", "!!!!"])
def test_password_reset_confirm_with_bad_uid_gets_400(api_client, uid):
    response = api_client.post(
        RESET_CONFIRM, {"uid": uid, "token": "abc-def", "new_password": "Fresh-meadow-58"}
    )
    assert_error(response, 400)


def test_logout_with_garbage_token_gets_401(api_client):
    assert_error(api_client.post(LOGOUT, {"refresh": "not.a.token"}, format="json"), 401)


def test_me_patch_changes_profile_fields(patient):
    client = client_for(patient)
    response = client.patch(ME, {"full_name": "Renée O'Brien", "timezone": "America/New_York"})
    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.full_name == "Renée O'Brien"
    assert patient.timezone == "America/New_York"


@pytest.mark.parametrize(
    "change",
    [{"role": "admin"}, {"is_staff": True}, {"email_verified": True}, {"email": "x@y.zz"}],
)
def test_me_patch_cannot_change_role_staff_flag_verification_or_email(patient, change):
    email_before = patient.email
    response = client_for(patient).patch(ME, change)
    error = assert_error(response, 403, "permission_denied")
    assert next(iter(change)) in error["message"]
    patient.refresh_from_db()
    assert patient.role == Role.PATIENT
    assert not patient.is_staff
    assert patient.email == email_before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"phone": "+1 555"}, "phone"),
        ({"full_name": "y" * 151}, "full_name"),
    ],
)
def test_me_patch_bad_values_get_400_and_change_nothing(patient, change, field):
    response = client_for(patient).patch(ME, change)
    assert field in assert_error(response, 400)["fields"]
    before = patient.timezone, patient.phone, patient.full_name
    patient.refresh_from_db()
    assert (patient.timezone, patient.phone, patient.full_name) == before


def test_me_requires_authentication(api_client):
    assert_error(api_client.get(ME), 401, "not_authenticated")


def test_auth_endpoints_are_throttled_in_the_error_shape(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    for _ in range(3):
        api_client.post(TOKEN, {"email": "a@b.example", "password": "x"})
    response = api_client.post(TOKEN, {"email": "a@b.example", "password": "x"})
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_a_mail_server_that_is_down_does_not_change_the_reset_answer(
    api_client, patient, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "users.tests.test_auth_api.BrokenMailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        known = api_client.post(RESET, {"email": patient.email}, format="json")
    assert known.status_code == 202


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")


def reset_link_in(body: str) -> str:
    return next(line for line in body.splitlines() if "/accounts/reset/" in line)


@pytest.mark.parametrize("door", ["reset", "account setup"])
def test_a_password_link_outlives_a_mail_server_outage_and_its_secret_stays_out_of_logs(
    api_client, patient, staff, settings, django_capture_on_commit_callbacks, caplog, door
):
    settings.EMAIL_BACKEND = "users.tests.test_auth_api.BrokenMailBackend"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        if door == "reset":
            answer = api_client.post(RESET, {"email": patient.email}, format="json")
            assert answer.status_code == 202
            to = patient.email
        else:
            answer = client_for(staff).post(
                "/api/v1/patients/",
                {"email": "walk.in@example.com", "full_name": "Walk In"},
                format="json",
            )
            assert answer.status_code == 201, answer.content
            to = "walk.in@example.com"
    [delivery] = Delivery.objects.filter(to=to)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.secret and delivery.notification is None  # nothing in the in-portal list
    token = reset_link_in(delivery.body).rstrip("/").rsplit("/", 1)[-1]
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert deliveries_sweep() == 1
    [sent] = mail.outbox
    assert sent.to == [to] and token in reset_link_in(sent.body)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.body == ""  # delivered: no copy of the secret is kept
    assert token not in caplog.text


def test_a_password_link_is_not_sent_after_its_token_expires(
    api_client, patient, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "users.tests.test_auth_api.BrokenMailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(RESET, {"email": patient.email}, format="json")
    [delivery] = Delivery.objects.all()
    assert delivery.expires_at == pytest.approx(
        delivery.created_at + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        abs=timedelta(seconds=5),
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(delivery.expires_at + timedelta(seconds=1)):
        assert deliveries_sweep() == 0
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.body == ""
    assert "expired" in delivery.last_error


def test_no_admin_page_lists_a_delivery_body():
    """The stored body of a password link is a secret: staff never see it in the admin."""
    registered = admin.site._registry.get(Delivery)
    if registered is not None:
        shown = set(registered.list_display) | set(registered.get_fields(None))
        assert "body" not in shown


def test_refresh_tokens_die_when_the_password_changes_by_any_door(api_client, patient):
    tokens = login(api_client, patient.email, PASSWORD).json()
    patient.set_password("Changed-elsewhere-1")  # e.g. manage.py changepassword or the admin
    patient.save()
    assert_error(api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401)


@pytest.mark.parametrize(
    "body",
    ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000],
    ids=["deep-list", "deep-object"],
)
def test_deeply_nested_json_is_400_not_500(api_client, body):
    response = api_client.post(TOKEN, body, content_type="application/json")
    assert_error(response, 400, "malformed_request")


@pytest.mark.parametrize(
    "body",
    ['{"email": "\\ud800@example.com", "password": "x"}', '{"\\udfff": 1}'],
    ids=["in-a-value", "in-a-key"],
)
def test_a_lone_surrogate_is_400_not_500(api_client, body):
    response = api_client.post(TOKEN, body, content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_a_very_long_email_at_sign_in_is_refused_cleanly(api_client, client):
    long_email = "a" * 300 + "@example.com"
    response = api_client.post(TOKEN, {"email": long_email, "password": "x"}, format="json")
    assert response.status_code in (400, 401)
    assert set(response.json()) == {"error"}
    page = client.post("/accounts/login/", {"username": long_email, "password": "x"})
    assert page.status_code == 200


def test_a_long_request_id_is_replaced_not_stored(api_client, patient):
    response = api_client.post(
        TOKEN,
        {"email": patient.email, "password": PASSWORD},
        format="json",
        HTTP_X_REQUEST_ID="r" * 100,
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] != "r" * 100


def test_a_forged_forwarded_for_does_not_dodge_the_throttle(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})
    statuses = [
        api_client.post(
            TOKEN, {"email": "a@b.example", "password": "x"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses[2:] == [429, 429]
