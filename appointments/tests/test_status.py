"""Every action: its allowed move, the moves it refuses, and the roles it refuses."""

from datetime import timedelta

import pytest

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import TUESDAY_9
from core.testing import assert_error
from doctors.tests.factories import make_doctor
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/appointments/{}/{}/"


@pytest.fixture
def appointment(clinic_doctor, patient) -> Appointment:
    return services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )


def force(appointment: Appointment, status: str) -> Appointment:
    Appointment.objects.filter(pk=appointment.pk).update(
        status=status, cancelled_at=appointment.start if status == Status.CANCELLED else None
    )
    appointment.refresh_from_db()
    return appointment


def post(user, appointment, action, body=None):
    return client_for(user).post(URL.format(appointment.pk, action), body or {}, format="json")


# action, who may, start status, end status
MOVES = [
    ("confirm", "doctor", Status.PENDING, Status.BOOKED),
    ("confirm", "staff", Status.PENDING, Status.BOOKED),
    ("check-in", "doctor", Status.BOOKED, Status.ARRIVED),
    ("check-in", "staff", Status.BOOKED, Status.ARRIVED),
    ("complete", "doctor", Status.ARRIVED, Status.FULFILLED),
    ("cancel", "patient", Status.BOOKED, Status.CANCELLED),
    ("cancel", "patient", Status.PENDING, Status.CANCELLED),
    ("cancel", "doctor", Status.BOOKED, Status.CANCELLED),
    ("cancel", "staff", Status.BOOKED, Status.CANCELLED),
]


def actor_for(who, appointment):
    return {
        "doctor": appointment.doctor.user,
        "patient": appointment.patient.user,
        "staff": UserFactory(role=Role.STAFF),
    }[who]


@pytest.mark.parametrize(("action", "who", "before", "after"), MOVES)
def test_allowed_moves(appointment, frozen, action, who, before, after):
    force(appointment, before)
    if action == "check-in":
        frozen.move_to(appointment.start - timedelta(minutes=30))
    response = post(actor_for(who, appointment), appointment, action, {"reason": "Feeling better"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == after
    appointment.refresh_from_db()
    assert appointment.status == after


VISIT_STATUSES = [status for status in Status if status != Status.PROPOSED]


@pytest.mark.parametrize("action", ["confirm", "check-in", "complete", "cancel"])
@pytest.mark.parametrize("before", VISIT_STATUSES)
def test_every_other_move_is_refused_with_409(appointment, action, before):
    allowed = {(a, b) for a, _, b, _ in MOVES}
    if (action, before) in allowed:
        return
    force(appointment, before)
    actor = appointment.doctor.user
    response = post(actor, appointment, action, {"reason": "x"})
    assert_error(response, 409, "invalid_transition")
    appointment.refresh_from_db()
    assert appointment.status == before


@pytest.mark.parametrize("action", ["confirm", "check-in", "complete", "cancel", "no-show"])
def test_a_waitlist_hold_is_no_visit_to_move(appointment, action):
    """A slot held for a waitlist offer is not an appointment of the API: 404 to every move."""
    force(appointment, Status.PROPOSED)
    response = post(appointment.doctor.user, appointment, action, {"reason": "x"})
    assert_error(response, 404, "not_found")
    appointment.refresh_from_db()
    assert appointment.status == Status.PROPOSED


@pytest.mark.parametrize(
    ("action", "before", "refused"),
    [
        ("confirm", Status.PENDING, ["patient"]),
        ("check-in", Status.BOOKED, ["patient"]),
        ("complete", Status.ARRIVED, ["patient", "staff"]),
        ("no-show", Status.BOOKED, ["patient"]),
    ],
)
def test_refused_roles_get_403(appointment, frozen, action, before, refused):
    force(appointment, before)
    frozen.move_to(appointment.start + timedelta(minutes=20))
    for who in refused:
        assert_error(post(actor_for(who, appointment), appointment, action), 403)
    appointment.refresh_from_db()
    assert appointment.status == before


@pytest.mark.parametrize("action", ["confirm", "check-in", "complete", "no-show", "cancel"])
def test_other_people_s_appointments_answer_404(appointment, action):
    for stranger in (UserFactory(role=Role.PATIENT), make_doctor().user):
        assert_error(post(stranger, appointment, action, {"reason": "x"}), 404)
    assert_error(
        post(
            appointment.patient.user,
            appointment.__class__(pk="00000000-0000-0000-0000-000000000000"),
            action,
        ),
        404,
    )


def test_no_show_only_after_the_start(appointment, frozen):
    assert_error(post(appointment.doctor.user, appointment, "no-show"), 409, "too_early")
    frozen.move_to(appointment.start + timedelta(minutes=16))
    response = post(UserFactory(role=Role.STAFF), appointment, "no-show")
    assert response.json()["status"] == "noshow"


def test_patient_cancels_only_outside_the_cancellation_notice(appointment, frozen, settings):
    settings.CLINIC_PHONE = "+49 30 1234567"
    frozen.move_to(appointment.start - timedelta(hours=23))
    response = post(appointment.patient.user, appointment, "cancel", {"reason": "Away"})
    error = assert_error(response, 409, "inside_cancellation_notice")
    assert error["message"].endswith("Please call the clinic at +49 30 1234567.")
    assert (
        post(appointment.doctor.user, appointment, "cancel", {"reason": "Doctor ill"}).status_code
        == 200
    )


def test_cancel_needs_a_reason_and_frees_the_slot(appointment, other_patient):
    assert (
        "reason"
        in assert_error(post(appointment.patient.user, appointment, "cancel", {}), 400)["fields"]
    )
    assert_error(post(appointment.patient.user, appointment, "cancel", {"reason": "   "}), 400)
    response = post(appointment.patient.user, appointment, "cancel", {"reason": "Feeling better"})
    body = response.json()
    assert body["cancellation_reason"] == "Feeling better" and body["cancelled_at"]
    again = services.appointment_book(
        actor=other_patient, doctor=appointment.doctor, patient=other_patient.patient_profile,
        start=TUESDAY_9,
    )  # fmt: skip
    assert again.status == Status.BOOKED


def test_cancelling_the_only_appointment_removes_the_doctor_s_access(appointment):
    doctor_client = client_for(appointment.doctor.user)
    record = f"/api/v1/patients/{appointment.patient.pk}/"
    assert doctor_client.get(record).status_code == 200
    post(appointment.patient.user, appointment, "cancel", {"reason": "Not needed"})
    assert_error(doctor_client.get(record), 404)


@pytest.mark.parametrize("before", [s for s in VISIT_STATUSES if s != Status.BOOKED])
def test_no_show_from_any_other_status_is_refused(appointment, frozen, before):
    force(appointment, before)
    frozen.move_to(appointment.start + timedelta(minutes=20))
    assert_error(post(appointment.doctor.user, appointment, "no-show"), 409, "invalid_transition")


@pytest.mark.parametrize(
    "before", [Status.ARRIVED, Status.FULFILLED, Status.CANCELLED, Status.NOSHOW]
)
def test_reschedule_from_a_final_or_running_status_is_refused(appointment, before):
    force(appointment, before)
    response = post(
        appointment.doctor.user, appointment, "reschedule",
        {"start": (TUESDAY_9 + timedelta(hours=2)).isoformat()},
    )  # fmt: skip
    assert_error(response, 409, "invalid_transition")


def test_reschedule_roles(appointment):
    new_start = {"start": (TUESDAY_9 + timedelta(hours=2)).isoformat()}
    assert_error(post(UserFactory(role=Role.PATIENT), appointment, "reschedule", new_start), 404)
    assert_error(post(make_doctor().user, appointment, "reschedule", new_start), 404)
    assert (
        post(UserFactory(role=Role.STAFF), appointment, "reschedule", new_start).status_code == 201
    )


def test_a_no_show_ends_the_link(appointment, frozen):
    record = f"/api/v1/patients/{appointment.patient.pk}/"
    frozen.move_to(appointment.start + timedelta(minutes=20))
    post(appointment.doctor.user, appointment, "no-show")
    assert_error(client_for(appointment.doctor.user).get(record), 404)


def test_a_visit_that_took_place_keeps_the_doctor_s_access(appointment, frozen):
    record = f"/api/v1/patients/{appointment.patient.pk}/"
    doctor = appointment.doctor.user
    post(doctor, appointment, "check-in")
    post(doctor, appointment, "complete")
    frozen.move_to(appointment.start + timedelta(days=400))
    assert client_for(doctor).get(record).status_code == 200


def test_check_in_opens_two_hours_before_the_start(appointment, frozen):
    frozen.move_to(appointment.start - timedelta(hours=3))
    assert_error(post(appointment.doctor.user, appointment, "check-in"), 409, "too_early")
    frozen.move_to(appointment.start - timedelta(hours=1))
    assert post(appointment.doctor.user, appointment, "check-in").json()["status"] == "arrived"


def test_check_in_closes_at_the_end_of_the_visit(appointment, frozen, staff, settings):
    frozen.move_to(appointment.end + timedelta(minutes=3))
    assert_error(post(staff, appointment, "check-in"), 409, "too_late")
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    assert post(staff, appointment, "no-show").json()["status"] == "noshow"


def test_check_in_stays_open_for_the_configured_grace(appointment, frozen, staff, settings):
    settings.APPOINTMENT_CHECK_IN_CLOSES_AFTER_END_MINUTES = 10
    frozen.move_to(appointment.end + timedelta(minutes=9))
    assert post(staff, appointment, "check-in").json()["status"] == "arrived"


def test_a_request_whose_time_has_passed_cannot_be_confirmed(appointment, frozen):
    force(appointment, Status.PENDING)
    frozen.move_to(appointment.start + timedelta(minutes=1))
    assert_error(post(appointment.doctor.user, appointment, "confirm"), 409, "too_late")
