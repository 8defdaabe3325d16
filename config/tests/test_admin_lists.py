"""No admin list runs N+1, and the audit log cannot be written in the admin.

The admins are found in the admin site's registry, not listed by hand, so that a model admin
added later is held to the same rule the day it is registered."""

from datetime import datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from ai_client.models import RiskAssessment, RiskScore, SymptomCheck, Urgency
from appointments.services import (
    appointment_book,
    appointment_cancel,
    series_book,
    waitlist_join,
    waitlist_offer_slot,
)
from blogs.models import PostStatus
from blogs.services import comment_create, comment_set_hidden, post_create
from core.audit import audit_record
from core.models import AuditAction, AuditEvent
from doctors.tests.factories import make_doctor
from patients.services import care_assignment_create
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
_numbers = count(1)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def fill(rows: int, staff) -> None:
    """`rows` more rows of every kind the admin lists, each with related rows of its own (a
    doctor, a patient, an author...), the way the portal makes them."""
    first_day = timezone.localdate(timezone=BERLIN) + timedelta(days=2)
    for _ in range(rows):
        number = next(_numbers)
        doctor = make_doctor(
            specialties=(f"Specialty {number}",),
            weekly={day: (time(9), time(17)) for day in range(7)},
        )
        patient = make_patient()
        care_assignment_create(actor=staff, doctor=doctor, patient=patient)
        booked = appointment_book(
            actor=staff,
            doctor=doctor,
            patient=patient,
            start=datetime.combine(first_day, time(9), tzinfo=BERLIN),
        )
        appointment_book(
            actor=staff,
            doctor=doctor,
            patient=patient,
            start=datetime.combine(first_day, time(12, 10), tzinfo=BERLIN),
            off_grid_reason="Walk-in",
        )
        waitlist_join(
            actor=staff,
            patient=make_patient(),
            doctor=doctor,
            earliest_date=first_day,
            latest_date=first_day + timedelta(days=7),
        )
        appointment_cancel(actor=staff, appointment=booked, reason="Moved")
        waitlist_offer_slot(doctor_id=doctor.pk, start=booked.start, end=booked.end)
        series_book(
            actor=staff,
            doctor=doctor,
            patient=patient,
            start=datetime.combine(first_day + timedelta(days=1), time(10), tzinfo=BERLIN),
            every_weeks=1,
            count=2,
        )
        post = post_create(
            actor=doctor.user,
            title=f"Post {number}",
            body="Hello.",
            status=PostStatus.PUBLISHED,
            tags=[f"tag {number}"],
        )
        comment = comment_create(actor=patient.user, post=post, body="Thanks.")
        comment_set_hidden(actor=UserFactory(role=Role.STAFF), comment=comment, hidden=True)
        SymptomCheck.objects.create(
            patient=patient,
            requested_by=patient.user,
            input={},
            output={},
            urgency=Urgency.ROUTINE,
            model_version="test",
        )
        RiskAssessment.objects.create(
            patient=patient,
            requested_by=doctor.user,
            score=RiskScore.BMI,
            input={},
            output={},
            model_version="test",
        )
        audit_record(
            actor=doctor.user,
            action=AuditAction.VIEW,
            resource_type="patient",
            resource_id=patient.pk,
            patient=patient.user,
        )
        RefreshToken.for_user(patient.user).blacklist()
        RefreshToken.for_user(doctor.user)
        access = {
            "user_agent": "test",
            "ip_address": "10.0.0.1",
            "username": patient.user.email,
            "http_accept": "*/*",
            "path_info": "/accounts/login/",
        }
        AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
        AccessFailureLog.objects.create(**access)
        AccessLog.objects.create(**access)


def list_queries(client) -> dict[str, int]:
    """The queries each registered model's list takes, by model; every list must answer 200
    (an N+1 query fails the request itself: django-zeal is on in tests)."""
    taken = {}
    for model in admin.site._registry:
        url = changelist_url(model)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response.context["cl"].result_count > 0, f"{url} lists nothing to check"
        taken[model._meta.label] = len(queries.captured_queries)
    return taken


def test_the_walk_finds_every_admin_and_makes_rows_for_each(client, admin_user, staff):
    labels = {model._meta.label for model in admin.site._registry}
    assert {"appointments.Appointment", "core.AuditEvent", "blogs.Comment"} <= labels
    fill(1, staff)
    client.force_login(admin_user)
    assert set(list_queries(client)) == labels


def test_no_admin_list_grows_its_queries_with_its_rows(client, admin_user, staff):
    client.force_login(admin_user)
    fill(2, staff)
    few = list_queries(client)
    fill(10, staff)
    many = list_queries(client)
    grown = {label: (few[label], many[label]) for label in few if many[label] > few[label]}
    assert grown == {}


def test_no_admin_list_that_staff_see_runs_n_plus_one(client, staff):
    """The front desk's own account, with its permissions rather than a superuser's."""
    fill(6, staff)
    client.force_login(staff)
    signed_in = client.get("/admin/").wsgi_request
    seen = 0
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_view_or_change_permission(signed_in):
            url = changelist_url(model)
            assert client.get(url).status_code == 200, url
            seen += 1
    assert seen >= 10


def test_every_change_page_opens_without_n_plus_one(client, admin_user, staff):
    fill(6, staff)
    client.force_login(admin_user)
    for model in admin.site._registry:
        shown = client.get(changelist_url(model)).context["cl"].result_list[0]
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[shown.pk]
        )
        assert client.get(url).status_code == 200, url


def test_a_foreign_key_on_a_list_is_fetched_with_it():
    """Every foreign key a list shows is in list_select_related (or the admin's queryset
    fetches it: the query-count test above checks that)."""
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"axes", "token_blacklist", "auth"}:
            continue  # libraries' admins: their own querysets select what they show
        related = {field.name for field in model._meta.fields if field.is_relation}
        shown = set(model_admin.list_display) & related
        selected = model_admin.list_select_related
        if shown and not (selected is True or shown <= {name.split("__")[0] for name in selected}):
            missing.append(model._meta.label)
    assert missing == []


def test_every_editable_foreign_key_is_an_autocomplete_with_a_searchable_target(rf, admin_user):
    """A foreign key the admin's add form edits is typed in (an autocomplete), never a select
    of every row; the admin of the model it points to is searchable."""
    request = rf.get("/admin/")
    request.user = admin_user
    plain_selects = []
    for model, model_admin in admin.site._registry.items():
        autocompletes = set(model_admin.get_autocomplete_fields(request))
        for name in autocompletes:
            target = model._meta.get_field(name).related_model
            assert admin.site._registry[target].search_fields, f"{target} is not searchable"
        if not model_admin.has_add_permission(request):
            continue
        keys = {field.name for field in model._meta.fields if field.is_relation}
        edited = set(model_admin.get_form(request).base_fields) - set(
            model_admin.get_readonly_fields(request)
        )
        plain_selects += sorted(
            f"{model._meta.label}.{name}" for name in (edited & keys) - autocompletes
        )
    # A doctor profile's account is chosen among the few doctor accounts without a profile.
    assert plain_selects == ["doctors.Doctor.user"]


@pytest.mark.parametrize("model_label", ["appointments.Appointment", "patients.CareAssignment"])
def test_a_malformed_id_in_an_autocomplete_is_a_form_error_not_a_crash(client, staff, model_label):
    model = next(m for m in admin.site._registry if m._meta.label == model_label)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    client.force_login(staff)
    answer = client.post(url, {"doctor": "not-a-uuid", "patient": "12"})
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert "doctor" in errors and "patient" in errors


# --- the audit log ----------------------------------------------------------------------------


@pytest.fixture
def event(patient):
    return audit_record(
        actor=patient, action=AuditAction.VIEW, resource_type="user", resource_id=patient.pk
    )


@pytest.mark.parametrize("who", ["admin_user", "staff"])
def test_nobody_adds_changes_or_deletes_an_audit_event_in_the_admin(
    request, rf, client, event, who
):
    user = request.getfixturevalue(who)
    model_admin = admin.site._registry[AuditEvent]
    probe = rf.get("/admin/")
    probe.user = user
    assert model_admin.has_view_permission(probe, event)
    assert not model_admin.has_add_permission(probe)
    assert not model_admin.has_change_permission(probe, event)
    assert not model_admin.has_delete_permission(probe, event)
    assert "delete_selected" not in model_admin.get_actions(probe)

    client.force_login(user)
    changelist = "/admin/core/auditevent/"
    change = f"{changelist}{event.pk}/change/"
    assert client.get(changelist).status_code == 200
    page = client.get(change)
    assert page.status_code == 200  # shown, read-only
    assert b'name="_save"' not in page.content and b"deletelink" not in page.content
    assert client.get(f"{changelist}add/").status_code == 403
    assert client.post(f"{changelist}add/", {"action": "login"}).status_code == 403
    changed = client.post(change, {"action": "login", "resource_type": "forged"})
    assert changed.status_code == 403
    delete = f"{changelist}{event.pk}/delete/"
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"},
    )
    assert bulk.status_code == 200  # no such action here: the list is shown again
    assert b'name="action"' not in bulk.content  # no action at all is offered

    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.action, kept.resource_type) == (AuditAction.VIEW, "user")
