"""The API answers as its OpenAPI schema says: Schemathesis generates requests from the schema
the portal serves, sends them to the running portal (pytest-django's live server) as an
anonymous caller, a signed-in patient, a doctor and a member of staff, and checks every answer:
no 5xx, a documented status code, a documented content type, a body that fits the documented
schema, and every error in the portal's one error shape.

Bounded and reproducible: a fixed seed, deterministic generation, a few examples per operation,
no shrinking (a failure is reported as found, with its curl command). Every operation runs; none
is excluded."""

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ai_client import services as ai_services
from appointments import services as appointment_services
from appointments.selectors import held_spans
from blogs import services as blog_services
from blogs.models import PostStatus
from core.models import AuditEvent, Notification
from doctors import selectors as doctor_selectors
from doctors import services as doctor_services
from doctors.tests.factories import make_doctor
from patients import services as patient_services
from patients.tests.factories import make_patient
from users.models import Role, User
from users.services import token_pair_for
from users.tests.factories import UserFactory, system_admin


@schemathesis.check
def error_in_the_one_shape(ctx, response, case) -> None:
    """Every 4xx is {"error": {"code": str, "message": str, "fields": {...}}}."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(
            f"{response.status_code} is not JSON: {response.text[:200]!r}"
        ) from None
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict) and set(error) == {"code", "message", "fields"}, body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["fields"], dict), body
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_in_the_one_shape,
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260310,
        "generation": {
            "mode": "all",  # valid and invalid requests alike: bad input must never be a 5xx
            "max-examples": 3,  # four roles: CI stays well under its time budget
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
        # Explicit examples and fuzzing only: the coverage phase's case count is not bounded by
        # max-examples, and the stateful phase needs links that the schema does not declare.
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)


@dataclass(frozen=True)
class Clinic:
    """The rows the API is tried on, and real values for path parameters, query parameters
    and body fields: random ids alone would reach little but 404s and 400s."""

    patient: User
    doctor: User
    staff: User
    real: dict[tuple[str, str], str]  # (path prefix, parameter or field name) -> a real value

    def real_value(self, path: str, name: str) -> str | None:
        for (prefix, parameter), value in self.real.items():
            if parameter == name and path.startswith(prefix):
                return value
        return None

    def with_real_values(self, path: str, values: Any) -> st.SearchStrategy:
        """The real values first (so the first example of each operation uses them), then the
        values as generated."""
        if not isinstance(values, dict):
            return st.just(values)
        real = {name: value for name in values if (value := self.real_value(path, name))}
        return st.sampled_from([{**values, **real}, values]) if real else st.just(values)


@pytest.fixture
def clinic(transactional_db, inference) -> Clinic:
    """A doctor who works every day; a patient in their care with appointments (one moved, one
    cancelled, two in a series), a symptom check and a risk assessment; a published post with a
    Unicode slug, and a comment."""
    admin = system_admin()
    staff = UserFactory(role=Role.STAFF, full_name="Desk Staff")
    doctor = make_doctor(weekly={day: (time(6), time(20)) for day in range(7)}, slot_minutes=30)
    specialization = doctor.specializations.get()
    patient = make_patient(full_name="Anna Patient")
    assignment = patient_services.care_assignment_create(
        actor=staff, doctor=doctor, patient=patient
    )
    today = timezone.localdate()
    # Three days out and more: past the cancellation notice, so the patient may move or cancel.
    slots = doctor_selectors.doctor_free_slots(
        doctor=doctor,
        first_day=today + timedelta(days=3),
        last_day=today + timedelta(days=5),
        now=timezone.now(),
        busy=held_spans,
    )

    def book(index: int):
        return appointment_services.appointment_book(
            actor=patient.user, doctor=doctor, patient=patient, start=slots[index].start
        )

    booked = book(0)
    appointment_services.appointment_reschedule(
        actor=patient.user, appointment=book(2), start=slots[4].start
    )
    appointment_services.appointment_cancel(actor=patient.user, appointment=book(6), reason="Ill")
    series = appointment_services.series_book(
        actor=patient.user,
        doctor=doctor,
        patient=patient,
        start=slots[12].start,
        every_weeks=1,
        count=2,
    ).series
    time_off = doctor_services.time_off_create(
        actor=admin,
        doctor=doctor,
        start=slots[-1].start + timedelta(days=7),
        end=slots[-1].start + timedelta(days=8),
        reason="Conference",
    )
    check = ai_services.symptom_check_run(
        actor=patient.user, symptoms=["cough"], text="", now=timezone.now()
    ).check
    assessment = ai_services.risk_assessment_run(
        actor=patient.user,
        patient=None,
        score="bmi",
        inputs={"weight_kg": 70.0, "height_cm": 170.0},
        today=today,
    )
    post = blog_services.post_create(
        actor=doctor.user,
        title="Здоровый сон и отдых",
        body="Спите **восемь** часов.",
        tags=["сон"],
        status=PostStatus.PUBLISHED,
    )
    comment = blog_services.comment_create(actor=patient.user, post=post, body="Спасибо!")
    notification = Notification.objects.filter(user=patient.user).latest("created_at")
    first_event = AuditEvent.objects.order_by("at").first()
    real = {
        # Path parameters
        ("/api/v1/appointments/{id}", "id"): str(booked.pk),
        ("/api/v1/appointments/series/", "id"): str(series.pk),
        ("/api/v1/doctors/", "id"): str(doctor.pk),
        ("/api/v1/doctors/", "window_id"): str(doctor.availability.first().pk),
        ("/api/v1/doctors/", "time_off_id"): str(time_off.pk),
        ("/api/v1/specializations/", "id"): str(specialization.pk),
        ("/api/v1/patients/", "id"): str(patient.pk),
        ("/api/v1/care-assignments/", "id"): str(assignment.pk),
        ("/api/v1/users/", "id"): str(patient.user.pk),
        ("/api/v1/staff/", "id"): str(staff.staff_profile.pk),
        ("/api/v1/notifications/", "id"): str(notification.pk),
        ("/api/v1/audit-logs/", "id"): str(first_event.pk),
        ("/api/v1/ai/symptom-checks/", "id"): str(check.pk),
        ("/api/v1/ai/risk-assessments/", "id"): str(assessment.pk),
        ("/api/v1/blogs/", "id"): post.slug,
        ("/api/v1/blogs/", "comment_id"): str(comment.pk),
        # Bodies: a free slot to book (or move to), and who with
        ("/api/v1/appointments/", "start"): slots[10].start.isoformat(),
        ("/api/v1/appointments/", "doctor"): str(doctor.pk),
        ("/api/v1/appointments/", "patient"): str(patient.pk),
        ("/api/v1/care-assignments/", "doctor"): str(doctor.pk),
        ("/api/v1/care-assignments/", "patient"): str(patient.pk),
        ("/api/v1/ai/risk-assessment/", "patient"): str(patient.pk),
        # Query parameters: a slot search that finds slots
        ("/api/v1/doctors/{id}/slots/", "start"): str(today),
        ("/api/v1/doctors/{id}/slots/", "end"): str(today + timedelta(days=6)),
        ("/api/v1/slots/", "start"): str(today),
        ("/api/v1/slots/", "end"): str(today + timedelta(days=6)),
        ("/api/v1/slots/", "specialization"): specialization.slug,
    }
    return Clinic(patient=patient.user, doctor=doctor.user, staff=staff, real=real)


@pytest.fixture(params=["anonymous", "patient", "doctor", "staff"])
def auth_headers(request, clinic: Clinic) -> dict[str, str]:
    if request.param == "anonymous":
        return {}
    user = {"patient": clinic.patient, "doctor": clinic.doctor, "staff": clinic.staff}
    return {"Authorization": f"Bearer {token_pair_for(user[request.param])['access']}"}


@pytest.fixture
def api_schema(
    request, live_server, clinic: Clinic, auth_headers: dict[str, str]
) -> schemathesis.BaseSchema:
    """The schema as the live portal serves it. (`auth_headers` is asked for here so that
    pytest sees its role parameter: Schemathesis' test asks for this fixture alone.)"""
    if not hasattr(request.node, "_nodeid"):
        # Schemathesis 4.32 reads and relabels `Function._nodeid`, which pytest 9.2 no longer
        # has (it keeps `_id`); the label only names each operation in the report.
        request.node._nodeid = request.node.nodeid
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", config=CONFIG
    )

    @schema.hook
    def flatmap_path_parameters(context, path_parameters: Any) -> st.SearchStrategy:
        return clinic.with_real_values(context.operation.path, path_parameters)

    @schema.hook
    def flatmap_query(context, query: Any) -> st.SearchStrategy:
        return clinic.with_real_values(context.operation.path, query)

    @schema.hook
    def flatmap_body(context, body: Any) -> st.SearchStrategy:
        return clinic.with_real_values(context.operation.path, body)

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_answers_as_its_schema_says(case: schemathesis.Case, auth_headers: dict[str, str]):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
