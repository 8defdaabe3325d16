"""Account management: who may list, create, deactivate; staff profiles."""

import pytest
from django.core import mail
from django.db import IntegrityError

from core.models import AuditAction, AuditEvent
from users.models import Role, StaffProfile, User
from users.tests.factories import PASSWORD, UserFactory
from users.tests.utils import assert_error, client_for

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"
STAFF = "/api/v1/staff/"
TOKEN = "/api/v1/auth/token/"


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admin_list_users_with_filters(role, patient, doctor):
    actor = UserFactory(role=role)
    client = client_for(actor)
    body = client.get(USERS, {"role": "doctor"}).json()
    assert [row["id"] for row in body["results"]] == [str(doctor.pk)]
    body = client.get(USERS, {"search": patient.full_name[:4], "role": "patient"}).json()
    assert str(patient.pk) in [row["id"] for row in body["results"]]


def test_user_list_filter_active(admin_user, patient, other_patient):
    client = client_for(admin_user)
    client.post(f"{USERS}{other_patient.pk}/deactivate/")
    inactive = client.get(USERS, {"active": "false"}).json()["results"]
    assert [row["id"] for row in inactive] == [str(other_patient.pk)]


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
def test_patients_and_doctors_cannot_list_or_create_users(role):
    client = client_for(UserFactory(role=role))
    assert_error(client.get(USERS), 403, "permission_denied")
    response = client.post(USERS, {"email": "x@example.com", "full_name": "X", "role": "patient"})
    assert_error(response, 403)
    assert not User.objects.filter(email="x@example.com").exists()


def test_anonymous_cannot_list_users(api_client):
    assert_error(api_client.get(USERS), 401, "not_authenticated")


def test_user_list_queries_do_not_grow_with_page_size(admin_user, django_assert_max_num_queries):
    for _ in range(30):
        UserFactory()
    client = client_for(admin_user)
    with django_assert_max_num_queries(4):
        small = client.get(USERS, {"page_size": 2})
    with django_assert_max_num_queries(4):
        large = client.get(USERS, {"page_size": 100})
    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == User.objects.count()


def test_page_size_is_capped_at_100(admin_user):
    for _ in range(3):
        UserFactory()
    response = client_for(admin_user).get(USERS, {"page_size": 100000})
    assert response.status_code == 200


def test_staff_creates_a_doctor_who_gets_an_invitation(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            USERS,
            {"email": "New.Doctor@Clinic.example", "full_name": "Dr. New", "role": "doctor"},
        )
    assert response.status_code == 201, response.content
    doctor = User.objects.get(email="new.doctor@clinic.example")
    assert doctor.role == Role.DOCTOR
    assert not doctor.has_usable_password()
    assert list(doctor.groups.values_list("name", flat=True)) == ["doctor"]
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_staff_creates_staff_with_a_profile_and_admin_flags(staff):
    response = client_for(staff).post(
        USERS,
        {
            "email": "desk@clinic.example",
            "full_name": "Desk",
            "role": "staff",
            "password": "Very-long-pass-1",
        },
    )
    assert response.status_code == 201
    user = User.objects.get(email="desk@clinic.example")
    assert user.is_staff and not user.is_superuser
    assert StaffProfile.objects.filter(user=user).exists()


def test_staff_cannot_create_an_admin(staff):
    response = client_for(staff).post(
        USERS, {"email": "boss@clinic.example", "full_name": "Boss", "role": "admin"}
    )
    assert_error(response, 403)
    assert not User.objects.filter(email="boss@clinic.example").exists()


def test_admin_creates_an_admin(admin_user):
    response = client_for(admin_user).post(
        USERS, {"email": "boss@clinic.example", "full_name": "Boss", "role": "admin"}
    )
    assert response.status_code == 201
    assert User.objects.get(email="boss@clinic.example").is_superuser


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@b.example", "full_name": "A", "role": "wizard"}, "role"),
        ({"email": "bad", "full_name": "A", "role": "doctor"}, "email"),
        (
            {"email": "a@b.example", "full_name": "A", "role": "doctor", "timezone": "X/Y"},
            "timezone",
        ),
        (
            {"email": "a@b.example", "full_name": "A", "role": "doctor", "password": "short"},
            "password",
        ),
        ({"full_name": "A", "role": "doctor"}, "email"),
    ],
)
def test_user_create_bad_input(staff, body, field):
    error = assert_error(client_for(staff).post(USERS, body), 400)
    assert field in error["fields"]


def test_user_create_with_taken_email_in_another_case(staff, patient):
    response = client_for(staff).post(
        USERS, {"email": patient.email.upper(), "full_name": "Dup", "role": "doctor"}
    )
    assert_error(response, 400, "email_taken")


def test_patients_are_not_created_through_the_users_endpoint(staff):
    response = client_for(staff).post(
        USERS, {"email": "walk.in@example.com", "full_name": "Walk In", "role": "patient"}
    )
    error = assert_error(response, 400)
    assert "/api/v1/patients/" in error["fields"]["role"][0]
    assert not User.objects.filter(email="walk.in@example.com").exists()


def test_email_is_unique_without_regard_to_case_in_the_database(patient):
    with pytest.raises(IntegrityError):
        User.objects.create(email=patient.email.upper(), full_name="Twin")


def test_retrieve_unknown_or_malformed_user_id_is_404(staff):
    client = client_for(staff)
    assert_error(client.get(f"{USERS}00000000-0000-0000-0000-000000000000/"), 404, "not_found")
    assert_error(client.get(f"{USERS}not-a-uuid/"), 404)


def test_deactivated_user_is_refused_at_once(admin_user, patient, api_client):
    tokens = api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD}).json()
    patient_client = client_for(patient)
    assert patient_client.get("/api/v1/users/me/").status_code == 200

    response = client_for(admin_user).post(f"{USERS}{patient.pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False

    assert_error(patient_client.get("/api/v1/users/me/"), 401)
    assert_error(
        api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}), 401
    )
    assert_error(api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD}), 401)
    assert User.objects.filter(pk=patient.pk).exists()  # nobody is hard-deleted
    assert AuditEvent.objects.filter(
        action=AuditAction.DEACTIVATE, resource_id=str(patient.pk)
    ).exists()

    assert client_for(admin_user).post(f"{USERS}{patient.pk}/activate/").status_code == 200
    assert api_client.post(TOKEN, {"email": patient.email, "password": PASSWORD}).status_code == 200


def test_admin_cannot_deactivate_themself(admin_user):
    response = client_for(admin_user).post(f"{USERS}{admin_user.pk}/deactivate/")
    assert_error(response, 400, "self_deactivation")
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.STAFF])
def test_only_admins_deactivate(role, other_patient):
    response = client_for(UserFactory(role=role)).post(f"{USERS}{other_patient.pk}/deactivate/")
    assert_error(response, 403)
    other_patient.refresh_from_db()
    assert other_patient.is_active


def test_users_cannot_be_deleted_through_the_api(admin_user, patient):
    response = client_for(admin_user).delete(f"{USERS}{patient.pk}/")
    assert_error(response, 405)
    assert User.objects.filter(pk=patient.pk).exists()


def test_admin_manages_staff_profiles(admin_user, staff, django_assert_max_num_queries):
    client = client_for(admin_user)
    with django_assert_max_num_queries(3):
        rows = client.get(STAFF).json()["results"]
    profile_id = next(row["id"] for row in rows if row["user"]["id"] == str(staff.pk))
    response = client.patch(
        f"{STAFF}{profile_id}/",
        {"department": "Reception", "position": "Receptionist", "hire_date": "2024-02-01"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["department"] == "Reception"
    assert_error(client.patch(f"{STAFF}{profile_id}/", {"status": "retired"}), 400)
    assert_error(client.patch(f"{STAFF}{profile_id}/", {"hire_date": "yesterday"}), 400)
    assert_error(client.delete(f"{STAFF}{profile_id}/"), 405)


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR, Role.STAFF])
def test_staff_profiles_are_for_admins_only(role, staff):
    client = client_for(UserFactory(role=role))
    assert_error(client.get(STAFF), 403)
    profile = StaffProfile.objects.get(user=staff)
    assert_error(client.patch(f"{STAFF}{profile.pk}/", {"department": "X"}), 403)


@pytest.mark.parametrize(
    ("full_name", "greeted"),
    [
        ("María García", "María"),
        ("Dr. Sara Lindqvist", "Dr. Sara Lindqvist"),
        ("dr Omar Haddad", "dr Omar Haddad"),
        ("Drew Barry", "Drew"),
    ],
)
def test_messages_greet_by_first_name_but_keep_a_title_with_the_name(full_name, greeted):
    assert User(email="someone@example.com", full_name=full_name).get_short_name() == greeted
