"""Every patient and doctor endpoint against every kind of actor, with the status each gets.

A record someone may not see answers 404, as if it did not exist; a door someone may not use at
all answers 403; anonymous callers get 401 where an account is needed."""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from doctors.tests.factories import make_doctor
from patients import services
from patients.tests.factories import make_patient
from users.models import Role, User
from users.tests.factories import UserFactory, system_admin
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

ACTORS = ["patient_a", "patient_b", "doctor_linked", "doctor_unlinked", "staff", "anonymous"]


@dataclass
class World:
    users: dict[str, User | None]
    ids: dict[str, str]


@pytest.fixture
def world() -> World:
    patient_a = make_patient()
    patient_b = make_patient()
    linked = make_doctor(weekly={0: (time(9), time(12))})
    unlinked = make_doctor()
    assignment = services.care_assignment_create(
        actor=system_admin(), doctor=linked, patient=patient_a
    )
    return World(
        users={
            "patient_a": patient_a.user,
            "patient_b": patient_b.user,
            "doctor_linked": linked.user,
            "doctor_unlinked": unlinked.user,
            "staff": UserFactory(role=Role.STAFF),
            "anonymous": None,
        },
        ids={
            "patient_a": str(patient_a.pk),
            "patient_b": str(patient_b.pk),
            "doctor_linked": str(linked.pk),
            "doctor_unlinked": str(unlinked.pk),
            "assignment": str(assignment.pk),
            "soon": (date.today() + timedelta(days=7)).isoformat(),
            "sooner": (date.today() + timedelta(days=6)).isoformat(),
        },
    )


def new_pair_body(world: World) -> dict:
    return {"doctor": world.ids["doctor_unlinked"], "patient": world.ids["patient_b"]}


def fresh_patient_body() -> dict:
    return {"email": "walk.in@example.com", "full_name": "Walk In"}


# (method, path, body, expected status per actor in ACTORS order)
MATRIX = [
    ("get", "/api/v1/patients/", None, [200, 200, 200, 200, 200, 401]),
    ("get", "/api/v1/patients/{patient_a}/", None, [200, 404, 200, 404, 200, 401]),
    (
        "patch",
        "/api/v1/patients/{patient_a}/",
        {"allergies": "Penicillin"},
        [200, 404, 403, 404, 200, 401],
    ),
    ("get", "/api/v1/patients/me/", None, [200, 200, 403, 403, 403, 401]),
    ("patch", "/api/v1/patients/me/", {"address": "Hauptstr. 1"}, [200, 200, 403, 403, 403, 401]),
    ("post", "/api/v1/patients/", "fresh_patient", [403, 403, 403, 403, 201, 401]),
    ("get", "/api/v1/care-assignments/", None, [200, 200, 200, 200, 200, 401]),
    ("get", "/api/v1/care-assignments/{assignment}/", None, [200, 404, 200, 404, 200, 401]),
    ("post", "/api/v1/care-assignments/", "new_pair", [403, 403, 403, 403, 201, 401]),
    ("post", "/api/v1/care-assignments/{assignment}/end/", None, [403, 404, 200, 404, 200, 401]),
    ("get", "/api/v1/doctors/", None, [200, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/doctors/{doctor_linked}/", None, [200, 200, 200, 200, 200, 200]),
    ("patch", "/api/v1/doctors/{doctor_linked}/", {"bio": "Hi"}, [403, 403, 200, 403, 200, 401]),
    ("get", "/api/v1/doctors/{doctor_linked}/availability/", None, [200] * 6),
    (
        "post",
        "/api/v1/doctors/{doctor_linked}/availability/",
        {"weekday": 3, "start_time": "09:00", "end_time": "10:00"},
        [403, 403, 201, 403, 201, 401],
    ),
    ("get", "/api/v1/doctors/{doctor_linked}/time-off/", None, [403, 403, 200, 403, 200, 401]),
    (
        "get",
        "/api/v1/doctors/{doctor_linked}/slots/?start={sooner}&end={soon}",
        None,
        [200] * 6,
    ),
    ("get", "/api/v1/specializations/", None, [200] * 6),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
@pytest.mark.parametrize("actor_index", range(len(ACTORS)), ids=ACTORS)
def test_access_matrix(world, api_client, method, path, body, expected, actor_index):
    actor = world.users[ACTORS[actor_index]]
    client = client_for(actor) if actor is not None else api_client
    if body == "new_pair":
        body = new_pair_body(world)
    elif body == "fresh_patient":
        body = fresh_patient_body()
    response = getattr(client, method)(path.format(**world.ids), body, format="json")
    assert response.status_code == expected[actor_index], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
