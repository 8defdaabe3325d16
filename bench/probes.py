"""What the suite does inside its own process, against the same database as the server: pick
the actors, sign them in, find free slots to book, count each endpoint's SQL queries, explain
the heaviest ones and profile the slow endpoints."""

import random
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.models import HOLDING, Appointment
from appointments.selectors import held_spans
from bench.environment import REPO_ROOT
from bench.load import PROXY_HEADERS, Request, Server
from doctors.models import Doctor
from doctors.selectors import doctors_free_slots
from patients.models import Patient
from users.models import Role, User
from users.services import token_pair_for

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- actors ---------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who the requests come from: several of each role, so that no single cache row wins."""

    patients: list[User]
    doctors: list[User]
    busy_doctors: list[User]  # with the fullest day today, for the doctor's dashboard
    dashboard_patients: list[User]  # with visits ahead and a prescription, for theirs
    staff: list[User]
    slot_doctor_ids: list[uuid.UUID]
    tokens: dict[uuid.UUID, str] = field(default_factory=dict)

    def token(self, user: User) -> str:
        if user.pk not in self.tokens:
            # A token carries a hash of the password it was issued under (CHECK_REVOKE_TOKEN):
            # issue it under the stored one, which a sign-in may have changed since.
            user.refresh_from_db(fields=["password"])
            self.tokens[user.pk] = token_pair_for(user)["access"]
        return self.tokens[user.pk]

    def bearer(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"}


def choose_cast(seed: int, *, each: int = 20) -> Cast:
    rng = random.Random(f"{seed}:cast")
    patients = list(User.objects.filter(role=Role.PATIENT).order_by("email"))
    doctors = list(User.objects.filter(role=Role.DOCTOR).order_by("email"))
    today = timezone.now().date()
    busiest = (
        Doctor.objects.annotate(
            today=Count(
                "appointments",
                filter=Q(appointments__start__date=today) & ~Q(appointments__status="cancelled"),
            )
        )
        .order_by("-today", "license_number")
        .select_related("user")[:3]
    )
    # A full dashboard: upcoming visits and an active prescription to show.
    with_everything = (
        User.objects.filter(
            patient_profile__appointments__status__in=HOLDING,
            patient_profile__appointments__start__gt=timezone.now(),
            patient_profile__prescriptions__status="active",
        )
        .distinct()
        .order_by("email")
    )
    return Cast(
        patients=rng.sample(patients, each),
        doctors=rng.sample(doctors, each),
        busy_doctors=[doctor.user for doctor in busiest],
        dashboard_patients=rng.sample(list(with_everything), 3),
        staff=list(User.objects.filter(role=Role.STAFF).order_by("email")),
        slot_doctor_ids=list(
            Doctor.objects.order_by("license_number").values_list("id", flat=True)
        ),
    )


def session_for(server: Server, email: str, password: str) -> str:
    """Sign in through the login page as a browser would; the session cookie's value."""
    page = server.send(Request.get("/accounts/login/"))
    match = CSRF_FIELD.search(page.body)
    csrf_cookie = page.cookies.get(settings.CSRF_COOKIE_NAME)
    if page.status != 200 or match is None or csrf_cookie is None:
        raise RuntimeError(f"no login form ({page.status})")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": password}
    )
    answer = server.send(
        Request(
            "POST",
            "/accounts/login/",
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}",
                "Referer": f"{server.origin}/accounts/login/",
            },
            form.encode(),
        )
    )
    session = answer.cookies.get(settings.SESSION_COOKIE_NAME)
    if answer.status != 302 or session is None:
        raise RuntimeError(f"sign-in of {email} failed ({answer.status})")
    return session


def session_cookie(session: str) -> dict[str, str]:
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}


# --- free slots to book ---------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    doctor_id: uuid.UUID
    start: datetime
    end: datetime


class Openings:
    """Free slots of doctors who take new patients, and patients free on each day, handed out
    once each, so that every booking the suite makes is one that should succeed (unless it
    races another on purpose)."""

    def __init__(self, *, seed: int, first_day: date, last_day: date) -> None:
        self.rng = random.Random(f"{seed}:openings:{first_day}")
        doctors = list(Doctor.objects.filter(accepting_new_patients=True).select_related("user"))
        free = doctors_free_slots(
            doctors=doctors,
            first_day=first_day,
            last_day=last_day,
            now=timezone.now(),
            busy=held_spans,
        )
        self.free = [
            Opening(doctor_id, slot.start, slot.end)
            for doctor_id, slots in sorted(free.items())
            for slot in slots
        ]
        self.rng.shuffle(self.free)
        self.taken_doctor_days: set[tuple[uuid.UUID, date]] = set()
        self.patients = list(Patient.objects.order_by("user__email").values_list("id", "user"))
        self.users = {user.pk: user for user in User.objects.filter(role=Role.PATIENT)}
        # Patients with a visit that holds time on a UTC date, or given one here.
        self.busy: dict[date, set[uuid.UUID]] = defaultdict(set)
        start = datetime.combine(first_day - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        end = datetime.combine(last_day + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
        holding = Appointment.objects.filter(status__in=HOLDING, start__gte=start, start__lt=end)
        for patient_id, begins in holding.values_list("patient_id", "start"):
            self.busy[begins.date()].add(patient_id)

    def _opening(self) -> Opening:
        # One per doctor and day: bookings of one doctor's day would touch each other's slots.
        while self.free:
            opening = self.free.pop()
            key = (opening.doctor_id, opening.start.date())
            if key not in self.taken_doctor_days:
                self.taken_doctor_days.add(key)
                return opening
        raise RuntimeError("no free slots left to book")

    def patients_free_on(self, day: date, count: int) -> list[User]:
        chosen = []
        order = self.rng.sample(range(len(self.patients)), len(self.patients))
        for index in order:
            patient_id, user_id = self.patients[index]
            if patient_id not in self.busy[day]:
                self.busy[day].add(patient_id)
                chosen.append(self.users[user_id])
                if len(chosen) == count:
                    return chosen
        raise RuntimeError(f"fewer than {count} patients free on {day}")

    def booking(self) -> tuple[Opening, User]:
        opening = self._opening()
        return opening, self.patients_free_on(opening.start.date(), 1)[0]

    def contended(self, clients: int) -> tuple[Opening, list[User]]:
        opening = self._opening()
        return opening, self.patients_free_on(opening.start.date(), clients)

    def overlapping_pair(self) -> tuple[Opening, Opening, User]:
        """Two doctors' free slots at the same time, for one patient."""
        by_start: dict[datetime, list[Opening]] = defaultdict(list)
        for opening in self.free:
            by_start[opening.start].append(opening)
        for start, openings in sorted(by_start.items()):
            doctors = {opening.doctor_id: opening for opening in openings}
            if len(doctors) < 2:
                continue
            first, second = list(doctors.values())[:2]
            keys = [(opening.doctor_id, opening.start.date()) for opening in (first, second)]
            if any(key in self.taken_doctor_days for key in keys):
                continue
            self.taken_doctor_days.update(keys)
            self.free = [opening for opening in self.free if opening not in (first, second)]
            return first, second, self.patients_free_on(start.date(), 1)[0]
        raise RuntimeError("no two doctors free at the same time")


def booking_request(cast: Cast, opening: Opening, patient: User) -> Request:
    payload = {"doctor": str(opening.doctor_id), "start": opening.start.isoformat()}
    return Request.post_json(
        "/api/v1/appointments/", {**payload, "reason": "Bench booking"}, **cast.bearer(patient)
    )


# --- in-process measures --------------------------------------------------------------------


_client: Client | None = None


def _django_client() -> Client:
    global _client
    if _client is None:
        _client = Client(HTTP_HOST="127.0.0.1")
    return _client


def call(request: Request) -> int:
    """Serve the request in this process, as the server would (same settings and database)."""
    client = _django_client()
    client.cookies.clear()
    headers = {
        name: value
        for name, value in request.headers.items()
        if name not in PROXY_HEADERS and name not in ("Content-Type", "Cookie")
    }
    if "Cookie" in request.headers:
        client.cookies.load(request.headers["Cookie"])
    response = client.generic(
        request.method,
        request.path,
        data=request.body or b"",
        content_type=request.headers.get("Content-Type", "application/octet-stream"),
        secure=True,  # as behind the TLS proxy
        headers=headers,
    )
    return response.status_code


TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE
)


@dataclass
class QueryCount:
    status: int
    statements: list[dict[str, Any]]  # everything sent, with BEGIN, COMMIT and savepoints

    @property
    def queries(self) -> int:
        """SQL queries, as the app's own tests count them (inside a test's transaction no
        BEGIN or COMMIT is sent)."""
        return sum(not TRANSACTION_CONTROL.match(item["sql"]) for item in self.statements)

    @property
    def round_trips(self) -> int:
        return len(self.statements)


def count_queries(request: Request, *, warm: Request | None = None) -> QueryCount:
    """One request's SQL, after a first one has warmed this process's caches (as a worker's
    are after its first requests)."""
    call(warm or request)
    with CaptureQueriesContext(connection) as captured:
        status = call(request)
    return QueryCount(status=status, statements=list(captured))


EXPLAINABLE = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
NOT_EXPLAINED = ("pg_advisory_xact_lock",)


@dataclass
class Plan:
    sql: str
    milliseconds: float
    text: str
    endpoints: list[str]


def explain_heaviest(statements: dict[str, list[str]], *, top: int = 3) -> list[Plan]:
    """Run every statement (each named by the endpoints that sent it) under EXPLAIN ANALYZE,
    inside a transaction that is rolled back, and explain the slowest `top` with BUFFERS."""
    timed: list[tuple[float, str]] = []
    for sql in statements:
        if not EXPLAINABLE.match(sql) or any(word in sql for word in NOT_EXPLAINED):
            continue
        rows = _explain(sql, "ANALYZE, FORMAT JSON")
        if rows:
            plan = rows[0][0][0]  # one row holding a list of one plan
            timed.append((plan["Planning Time"] + plan["Execution Time"], sql))
    timed.sort(reverse=True)
    plans = []
    for milliseconds, sql in timed[:top]:
        rows = _explain(sql, "ANALYZE, BUFFERS")
        text = "\n".join(row[0] for row in rows or [])
        plans.append(Plan(sql=sql, milliseconds=milliseconds, text=text, endpoints=statements[sql]))
    return plans


def _explain(sql: str, options: str) -> list[tuple] | None:
    """The EXPLAIN rows, with anything the statement wrote rolled back; None if it cannot run
    alone (an insert that clashes with what the measured run left, say)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ({options}) {sql}")
            rows = cursor.fetchall()
            transaction.set_rollback(True)
    except DatabaseError:
        return None
    return rows


def profile(requests: list[Request], *, budget_seconds: float) -> dict[str, Any]:
    """Serve requests in this process under pyinstrument, until the budget is spent (at least
    one): the call tree, and the functions that took the most time themselves. The query
    counts have served each endpoint in this process already, so its caches are warm."""
    from pyinstrument import Profiler  # only the suite installs it

    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    served = 0
    profiler.start()
    for request in requests:
        call(request)
        served += 1
        if time.perf_counter() - started > budget_seconds:
            break
    profiler.stop()
    elapsed = time.perf_counter() - started
    here = f"{REPO_ROOT}/"  # the report names files from the repository's root
    return {
        "requests": served,
        "ms_per_request": elapsed * 1000 / served,
        "tree": profiler.output_text(unicode=False, color=False).replace(here, ""),
        "flat": profiler.output_text(unicode=False, color=False, flat=True).replace(here, ""),
    }
