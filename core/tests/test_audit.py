import datetime as dt

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory

from core.audit import audit_record
from core.models import AppendOnlyError, AuditAction, AuditEvent
from core.testing import assert_error

pytestmark = pytest.mark.django_db

AUDIT = "/api/v1/audit-logs/"


def test_audit_events_cannot_be_changed_or_deleted(patient):
    event = audit_record(actor=patient, action=AuditAction.VIEW, resource_type="user")
    event.action = AuditAction.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.DELETE)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.VIEW


def test_audit_record_keeps_request_facts(patient):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="UA/1" + "x" * 400)
    event = audit_record(
        actor=patient,
        action=AuditAction.VIEW,
        resource_type="user",
        resource_id=patient.pk,
        patient=patient,
        request=request,
    )
    assert event.ip == "10.1.2.3"
    assert len(event.user_agent) == 256
    assert event.resource_id == str(patient.pk)


def test_the_admin_cannot_add_change_or_delete_audit_events(admin_user):
    model_admin = admin_site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.parametrize("role", ["patient", "doctor", "staff"])
def test_only_admins_read_the_audit_log(role, client_for, make_user):
    assert_error(client_for(make_user(role=role)).get(AUDIT), 403, "permission_denied")


def test_anonymous_cannot_read_the_audit_log(api_client):
    assert_error(api_client.get(AUDIT), 401)


def test_audit_log_is_read_only(admin_user, patient, client_for):
    event = audit_record(actor=patient, action=AuditAction.VIEW, resource_type="user")
    client = client_for(admin_user)
    assert_error(client.post(AUDIT, {"action": "view"}), 405)
    assert_error(client.delete(f"{AUDIT}{event.pk}/"), 405)
    assert_error(client.patch(f"{AUDIT}{event.pk}/", {"action": "login"}), 405)


def test_audit_log_filters(admin_user, patient, other_patient, doctor, client_for):
    audit_record(actor=doctor, action=AuditAction.VIEW, resource_type="patient", patient=patient)
    audit_record(
        actor=doctor, action=AuditAction.UPDATE, resource_type="patient", patient=other_patient
    )
    audit_record(actor=patient, action=AuditAction.VIEW, resource_type="user")
    client = client_for(admin_user)

    def ids(**params):
        return [row["id"] for row in client.get(AUDIT, params).json()["results"]]

    by_patient = ids(patient=patient.pk)
    assert len(by_patient) == 1
    assert len(ids(actor=doctor.pk)) == 2
    assert len(ids(actor=doctor.pk, action="update")) == 1
    assert len(ids(resource_type="patient")) == 2
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert ids(date_from=tomorrow) == []
    assert len(ids(date_to=tomorrow, resource_type="patient")) == 2
    row = client.get(f"{AUDIT}{by_patient[0]}/").json()
    assert row["actor_email"] == doctor.email
    assert row["patient_email"] == patient.email


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "not-a-uuid"},
        {"action": "dance"},
        {"at_after": "last tuesday"},
        {"date_from": "2026-13-45"},
    ],
)
def test_audit_log_bad_filters_are_400(admin_user, params, client_for):
    assert_error(client_for(admin_user).get(AUDIT, params), 400)


def test_audit_log_unknown_id_is_404(admin_user, client_for):
    assert_error(client_for(admin_user).get(f"{AUDIT}00000000-0000-0000-0000-000000000000/"), 404)


def test_audit_log_queries_do_not_grow_with_page_size(
    admin_user, patient, django_assert_max_num_queries, client_for, make_user
):
    actors = [make_user(role="doctor") for _ in range(5)]
    for index in range(40):
        audit_record(
            actor=actors[index % 5],
            action=AuditAction.VIEW,
            resource_type="patient",
            patient=patient,
        )
    client = client_for(admin_user)
    with django_assert_max_num_queries(3):
        client.get(AUDIT, {"page_size": 5})
    with django_assert_max_num_queries(3):
        response = client.get(AUDIT, {"page_size": 100})
    assert len(response.json()["results"]) >= 40


@pytest.mark.django_db
def test_staff_read_the_audit_log_in_the_admin_and_cannot_change_it(client, staff, patient):
    from core.audit import audit_record
    from core.models import AuditAction, AuditEvent

    event = audit_record(
        actor=staff, action=AuditAction.VIEW, resource_type="patient", patient=patient
    )
    client.force_login(staff)
    listed = client.get("/admin/core/auditevent/")
    assert listed.status_code == 200 and str(event.resource_type).encode() in listed.content
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200
    client.post(f"/admin/core/auditevent/{event.pk}/change/", {"resource_type": "forged"})
    client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    event.refresh_from_db()
    assert event.resource_type == "patient"
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert client.get("/admin/core/auditevent/add/").status_code == 403
