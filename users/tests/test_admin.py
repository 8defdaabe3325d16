"""Staff work in the admin; it goes through the same services as the API."""

import pytest

from users.models import Role, User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_admin_lists_users_with_role_filter_and_search(staff_client, doctor, patient):
    response = staff_client.get("/admin/users/user/", {"role__exact": "doctor"})
    assert response.status_code == 200
    assert doctor.email.encode() in response.content
    assert patient.email.encode() not in response.content
    response = staff_client.get("/admin/users/user/", {"q": patient.full_name})
    assert patient.email.encode() in response.content


def test_admin_add_user_goes_through_the_service(staff_client):
    response = staff_client.post(
        "/admin/users/user/add/",
        {
            "email": "Nurse@Clinic.example",
            "full_name": "Nora Nurse",
            "role": "staff",
            "timezone": "UTC",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    nurse = User.objects.get(email="nurse@clinic.example")
    assert nurse.is_staff and nurse.groups.filter(name="staff").exists()
    assert hasattr(nurse, "staff_profile")


def test_admin_add_user_shows_service_errors_on_the_form(staff_client, patient):
    response = staff_client.post(
        "/admin/users/user/add/",
        {"email": patient.email.upper(), "full_name": "Dup", "role": "doctor", "timezone": "UTC"},
    )
    assert response.status_code == 200
    assert b"already exists" in response.content
    bare_patient = staff_client.post(
        "/admin/users/user/add/",
        {
            "email": "walk.in@example.com",
            "full_name": "Walk In",
            "role": "patient",
            "timezone": "UTC",
        },
    )
    assert bare_patient.status_code == 200
    assert b"/api/v1/patients/" in bare_patient.content  # patients get their record too
    assert not User.objects.filter(email="walk.in@example.com").exists()
    admin_attempt = staff_client.post(
        "/admin/users/user/add/",
        {"email": "boss@clinic.example", "full_name": "Boss", "role": "admin", "timezone": "UTC"},
    )
    assert admin_attempt.status_code == 200
    assert b"may not create admin" in admin_attempt.content
    assert not User.objects.filter(email="boss@clinic.example").exists()


def test_staff_cannot_change_roles_in_the_admin(staff_client, patient):
    response = staff_client.post(
        f"/admin/users/user/{patient.pk}/change/",
        {"full_name": patient.full_name, "phone": "", "timezone": "UTC", "role": "doctor"},
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.role == Role.PATIENT


def test_admin_changes_a_role_and_the_group_follows(client, admin_user, patient):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/users/user/{patient.pk}/change/",
        {
            "full_name": patient.full_name,
            "phone": "",
            "timezone": "UTC",
            "role": "doctor",
            "email_verified": "on",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    patient.refresh_from_db()
    assert patient.role == Role.DOCTOR
    assert list(patient.groups.values_list("name", flat=True)) == ["doctor"]


def test_nobody_deletes_users_in_the_admin(client, admin_user, patient):
    client.force_login(admin_user)
    response = client.post(f"/admin/users/user/{patient.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=patient.pk).exists()


def test_deactivate_action_revokes_access(client, admin_user):
    target = UserFactory(role=Role.DOCTOR)
    client.force_login(admin_user)
    response = client.post(
        "/admin/users/user/",
        {"action": "deactivate_selected", "_selected_action": [str(target.pk)]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active


def test_a_staff_profile_changed_in_the_admin_goes_through_the_service(client, admin_user, staff):
    from core.models import AuditAction, AuditEvent
    from users.models import StaffProfile

    profile = StaffProfile.objects.get(user=staff)
    client.force_login(admin_user)
    url = f"/admin/users/staffprofile/{profile.pk}/change/"
    form = {"department": "  Front desk ", "position": "Receptionist", "status": "active"}
    assert client.post(url, form).status_code == 302
    profile.refresh_from_db()
    assert (profile.department, profile.position) == ("Front desk", "Receptionist")
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, resource_type="staff_profile")
    assert event.actor == admin_user
    assert event.detail == {"fields": ["department", "position"]}
