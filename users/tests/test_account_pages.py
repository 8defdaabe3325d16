"""The account pages: registration, password change and reset, and the sign-in page's links and
lockout, through Django's test client."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.exceptions import TokenError

from core.models import AuditAction, AuditEvent
from users import services
from users.models import Role, User
from users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = "/accounts/register/"
CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
LOGIN = "/accounts/login/"
NEW_PASSWORD = "Quiet-harbour-61"


def new_patient(**changes) -> dict:
    data = {
        "full_name": "Zoë Ångström-Łukasiewicz 李",
        "email": "zoe.angstrom@example.com",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "phone": "+14155550123",
        "timezone": "America/New_York",
        "date_of_birth": "1990-04-01",
        "sex": "female",
    }
    data.update(changes)
    return data


def errors_of(response) -> dict:
    return response.context["form"].errors


def assert_no_inline_style_or_script(response) -> None:
    html = response.content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " on" + "click=" not in html


# --- the sign-in page ------------------------------------------------------------------------


def test_login_page_links_to_registration_and_reset(client):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert f'href="{REGISTER}"'.encode() in page.content
    assert f'href="{RESET}"'.encode() in page.content
    assert_no_inline_style_or_script(page)


@pytest.mark.parametrize(
    ("role", "landing"),
    [(Role.PATIENT, "/patient/"), (Role.DOCTOR, "/doctor/"), (Role.STAFF, "/admin/")],
)
def test_each_role_lands_on_its_own_start_page(client, patient, doctor, staff, role, landing):
    user = {Role.PATIENT: patient, Role.DOCTOR: doctor, Role.STAFF: staff}[role]
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[0] == ("/dashboard/", 302)
    assert response.redirect_chain[1] == (landing, 302)
    assert response.status_code == 200


def test_five_wrong_passwords_lock_the_account_on_the_sign_in_page(client, patient):
    statuses = [
        client.post(LOGIN, {"username": patient.email, "password": f"wrong-{i}"}).status_code
        for i in range(5)
    ]
    assert statuses[:4] == [200] * 4
    response = client.post(LOGIN, {"username": patient.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Account temporarily locked" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT).exists()


# --- registration ----------------------------------------------------------------------------


def test_registration_page_shows_every_field_labelled(client):
    page = client.get(REGISTER)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("full_name", "email", "password", "password_again", "phone", "timezone"):
        assert f'<label for="id_{name}">' in html
        assert f'name="{name}"' in html
    assert '<label for="id_date_of_birth">' in html and 'type="date"' in html
    assert '<option value="female">' in html
    assert '<option value="Europe/Berlin">' in html
    assert_no_inline_style_or_script(page)


def test_registration_signs_the_patient_in_and_lands_on_their_dashboard(client):
    response = client.post(REGISTER, new_patient(), follow=True)
    assert response.redirect_chain == [("/dashboard/", 302), ("/patient/", 302)]
    assert response.status_code == 200
    assert "Welcome, Zoë Ångström-Łukasiewicz 李" in response.content.decode()

    user = User.objects.get(email="zoe.angstrom@example.com")
    assert user.role == Role.PATIENT
    assert user.timezone == "America/New_York"
    assert user.phone == "+14155550123"
    assert user.check_password(NEW_PASSWORD)
    record = user.patient_profile  # the patient record came with the account
    assert str(record.date_of_birth) == "1990-04-01"
    assert record.sex == "female"
    assert client.session["_auth_user_id"] == str(user.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.CREATE, AuditAction.LOGIN} <= actions


def test_only_the_required_fields_are_enough(client, settings):
    data = new_patient(phone="", timezone="", date_of_birth="", sex="")
    response = client.post(REGISTER, data)
    assert response.status_code == 302, errors_of(response)
    user = User.objects.get(email="zoe.angstrom@example.com")
    assert user.timezone == settings.CLINIC_TIMEZONE
    assert user.patient_profile.date_of_birth is None


def test_a_registered_patient_signs_in_on_the_login_page_afterwards(client):
    client.post(REGISTER, new_patient())
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session

    response = client.post(
        LOGIN,
        {"username": "ZOE.ANGSTROM@example.com", "password": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/dashboard/", 302), ("/patient/", 302)]
    assert response.status_code == 200
    assert "Zoë Ångström-Łukasiewicz 李" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "123", "password_again": "123"}, "password", "too short"),
        ({"password": "password123", "password_again": "password123"}, "password", "common"),
        ({"password_again": "Another-harbour-62"}, "password_again", "differ"),
        ({"phone": "12345"}, "phone", "international form"),
        ({"phone": "+1" + "5" * 30}, "phone", "at most 20"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "future"),
        ({"date_of_birth": "31/31/2020"}, "date_of_birth", "valid date"),
        ({"date_of_birth": "1200-01-01"}, "date_of_birth", "130 years"),
        ({"email": "not-an-e-mail"}, "email", "valid email"),
        ({"email": ""}, "email", "required"),
        ({"full_name": ""}, "full_name", "required"),
        ({"full_name": "Ž" * 10_000}, "full_name", "at most 150"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "valid choice"),
        ({"sex": "dragon"}, "sex", "valid choice"),
    ],
)
def test_bad_registrations_show_the_error_next_to_the_field_and_keep_the_input(
    client, changes, field, message
):
    data = new_patient(**changes)
    response = client.post(REGISTER, data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert field in errors, errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert message in html
    # What was typed stays (passwords excepted, as browsers expect).
    if field != "full_name":
        assert 'value="Zoë Ångström-Łukasiewicz 李"' in html
    assert not User.objects.filter(role=Role.PATIENT).exists()
    assert "_auth_user_id" not in client.session


def test_a_taken_e_mail_is_refused_whatever_its_case(client, patient):
    response = client.post(REGISTER, new_patient(email=patient.email.upper()))
    assert response.status_code == 200
    assert "already exists" in " ".join(errors_of(response)["email"])
    assert User.objects.filter(email__iexact=patient.email).count() == 1


def test_a_password_like_the_name_is_refused_by_the_service(client):
    data = new_patient(
        email="harbourquiet@example.com",
        password="harbourquiet",
        password_again="harbourquiet",
    )
    response = client.post(REGISTER, data)
    assert "too similar" in " ".join(errors_of(response)["password"])


def test_signed_in_users_are_sent_to_their_dashboard(client, patient, doctor):
    client.force_login(patient)
    assert client.get(REGISTER)["Location"] == "/dashboard/"
    response = client.post(REGISTER, new_patient())
    assert response["Location"] == "/dashboard/"
    assert not User.objects.filter(email="zoe.angstrom@example.com").exists()
    client.force_login(doctor)
    assert client.get(REGISTER)["Location"] == "/dashboard/"


def test_registration_shares_the_api_rate_limit(client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})
    for number in range(2):
        client.post(REGISTER, new_patient(email=f"first{number}@example.com"))
        client.post("/accounts/logout/")
    response = client.post(REGISTER, new_patient())
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.filter(email="zoe.angstrom@example.com").exists()


# --- password change -------------------------------------------------------------------------


def test_password_change_needs_a_signed_in_user(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={CHANGE}"
    assert client.post(CHANGE, {})["Location"].startswith(LOGIN)


def test_password_change_keeps_this_session_and_ends_the_others(client, patient):
    tokens = services.token_pair_for(patient)
    other_device = type(client)()
    other_device.force_login(patient)
    client.force_login(patient)
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert '<label for="id_old_password">' in page.content.decode()
    assert_no_inline_style_or_script(page)

    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain == [("/dashboard/", 302), ("/patient/", 302)]
    assert b"Your password has been changed" in response.content
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)
    assert client.get("/patient/").status_code == 200  # this session stays signed in
    assert other_device.get("/patient/").status_code == 302  # the other one does not
    with pytest.raises(TokenError):
        services.token_refresh(refresh=tokens["refresh"])  # nor the apps' tokens
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).count() == 1


def test_doctors_change_their_password_too(client, doctor):
    client.force_login(doctor)
    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response["Location"] == "/dashboard/"
    doctor.refresh_from_db()
    assert doctor.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "not-it", "new_password": NEW_PASSWORD},
            "old_password",
            "not correct",
        ),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password", "too short"),
        (
            {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": "x"},
            "new_password_again",
            "differ",
        ),
        ({"old_password": PASSWORD, "new_password": "ø" * 5000}, "new_password", "at most 128"),
        ({"old_password": "", "new_password": NEW_PASSWORD}, "old_password", "required"),
    ],
)
def test_password_change_errors_sit_next_to_their_field(client, patient, data, field, message):
    data.setdefault("new_password_again", data["new_password"])
    client.force_login(patient)
    response = client.post(CHANGE, data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)
    assert client.get("/patient/").status_code == 200


def test_a_wrong_current_password_does_not_lock_the_account_as_the_api_does_not(client, patient):
    """The API's password change answers a wrong current password with a field error and counts
    no sign-in failure; the page does the same (the rate limit still applies)."""
    client.force_login(patient)
    for number in range(6):
        data = {"old_password": f"wrong-{number}", "new_password": NEW_PASSWORD}
        client.post(CHANGE, {**data, "new_password_again": NEW_PASSWORD})
    other = type(client)()
    response = other.post(LOGIN, {"username": patient.email, "password": PASSWORD})
    assert response.status_code == 302


def test_password_change_shares_the_api_rate_limit(client, patient, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "1/minute"})
    client.force_login(patient)
    client.post(CHANGE, {"old_password": "x", "new_password": "y", "new_password_again": "y"})
    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 429
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


# --- password reset --------------------------------------------------------------------------


def reset_link(body: str) -> str:
    line = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    return line[line.index("/accounts/reset/") :].strip()


def test_reset_page_e_mails_a_link_that_opens_the_set_password_page(
    client, patient, django_capture_on_commit_callbacks
):
    page = client.get(RESET)
    assert page.status_code == 200
    assert '<label for="id_email">' in page.content.decode()
    assert_no_inline_style_or_script(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": f"  {patient.email.upper()} "}, follow=True)
    assert response.redirect_chain == [(RESET, 302)]
    assert b"a link to choose a new password is on its way" in response.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [patient.email]

    link = reset_link(mail.outbox[0].body)
    opened = client.get(link)
    assert opened.status_code == 200
    assert b"Choose a password" in opened.content
    done = client.post(
        link, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain == [(LOGIN, 302)]
    signed_in = client.post(LOGIN, {"username": patient.email, "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/dashboard/"


def test_reset_answers_the_same_for_an_unknown_address(
    client, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": patient.email}, follow=True)
        unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert [str(m) for m in known.context["messages"]] == [
        str(m) for m in unknown.context["messages"]
    ]
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUEST).count() == 2


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-e-mail", "valid email"),
        ("", "required"),
        ("a" * 300 + "@example.com", "at most 254"),
        ("zoë@exämple.com\x00", "Null characters"),
    ],
)
def test_reset_refuses_malformed_addresses_next_to_the_field(
    client, email, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)["email"])
    assert mail.outbox == []


def test_reset_shares_the_api_rate_limit(client, patient, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"password_reset": "2/hour"})
    for _ in range(2):
        client.post(RESET, {"email": "nobody@example.com"})
    response = client.post(RESET, {"email": patient.email})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # One counter for both doors: the API is now refused too.
    api = client.post("/api/v1/auth/password/reset/", {"email": patient.email})
    assert api.status_code == 429


def test_reset_link_expires(client, patient, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": patient.email})
    link = reset_link(mail.outbox[0].body)
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = client.post(
            link, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
        )
    assert b"invalid or has expired" in response.content
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)
    with time_machine.travel(later):
        opened = client.get(link)  # says so before anything is typed, and offers a new link
    assert b"This link no longer works" in opened.content
    assert b'href="/accounts/password/reset/"' in opened.content
    assert b"new_password" not in opened.content


def test_staff_reach_the_password_change_page_too(client, staff):
    client.force_login(staff)
    assert client.get(CHANGE).status_code == 200
