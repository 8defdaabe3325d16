"""The measured requests: what a patient's, a doctor's and the front desk's day asks of the
portal, and the two floors they are compared with."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bench.dataset import SEARCH_SPECIALTY
from bench.load import Request, Scenario
from bench.probes import Cast, Openings, booking_request, session_cookie

LIST_PAGE_SIZE = 50
STAFF_TODAY_PAGE = "/admin/appointments/appointment/today/"


@dataclass(frozen=True)
class Sessions:
    """Signed-in browser sessions (cookie values) per role."""

    patients: list[str]
    doctors: list[str]
    staff: list[str]


def _rotating(items: Sequence[str], build: Callable[[str], Request]) -> Callable[[int], Request]:
    return lambda number: build(items[number % len(items)])


def build_scenarios(
    *,
    cast: Cast,
    sessions: Sessions,
    openings: Openings | None,
    first_day: date,
    requests: int,
    bookings: int = 0,
) -> list[Scenario]:
    """`requests` per endpoint (fewer for those slow enough to meet their time budget first),
    and `bookings` bookings into `openings` (none without them)."""
    doctors = [str(doctor_id) for doctor_id in cast.slot_doctor_ids]

    def slots(days: int) -> Callable[[int], Request]:
        def build(number: int) -> Request:
            doctor = doctors[number % len(doctors)]
            start = first_day + timedelta(days=(number // len(doctors)) % 14 if days == 1 else 0)
            end = start + timedelta(days=days - 1)
            return Request.get(f"/api/v1/doctors/{doctor}/slots/?start={start}&end={end}")

        return build

    def search(number: int) -> Request:
        start = first_day + timedelta(days=number % 7)
        end = start + timedelta(days=29)
        return Request.get(
            f"/api/v1/slots/?specialization={SEARCH_SPECIALTY}&start={start}&end={end}"
        )

    def listing(users: list) -> Callable[[int], Request]:
        path = f"/api/v1/appointments/?page_size={LIST_PAGE_SIZE}"
        return lambda number: Request.get(path, **cast.bearer(users[number % len(users)]))

    def page(path: str, cookies: list[str]) -> Callable[[int], Request]:
        return _rotating(cookies, lambda session: Request.get(path, **session_cookie(session)))

    scenarios = [
        Scenario(
            "health",
            "`/health/live` (framework floor)",
            lambda _: Request.get("/health/live"),
            requests,
        ),
        Scenario(
            "one_query",
            "specializations list (one query)",
            lambda _: Request.get("/api/v1/specializations/"),
            requests,
        ),
        Scenario("slots_14d", "slots, 1 doctor, 14 days", slots(14), requests),
        Scenario("slots_1d", "slots, 1 doctor, 1 day", slots(1), requests),
        Scenario("search_30d", "cross-doctor search by specialty, 30 days", search, requests),
        Scenario("list_patient", "list of 50, as patient", listing(cast.patients), requests),
        Scenario("list_doctor", "list of 50, as doctor", listing(cast.doctors), requests),
        Scenario("list_staff", "list of 50, as staff", listing(cast.staff), requests),
        Scenario(
            "dash_patient", "dashboard `/patient/`", page("/patient/", sessions.patients), requests
        ),
        Scenario(
            "dash_doctor", "dashboard `/doctor/`", page("/doctor/", sessions.doctors), requests
        ),
        Scenario(
            "dash_staff",
            "staff's Today page (admin)",
            page(STAFF_TODAY_PAGE, sessions.staff),
            requests,
            # The admin's index warms the same caches (content types, the session) for less.
            cheap_warmup=Request.get("/admin/", **session_cookie(sessions.staff[0])),
        ),
    ]
    if openings is not None and bookings:
        warmup = Scenario.warmup
        # Two more than measured: the query count takes them (one warms, one is counted).
        booking_requests = [
            booking_request(cast, *openings.booking()) for _ in range(bookings + warmup + 2)
        ]
        scenarios.append(
            Scenario(
                "booking",
                "booking (`POST /api/v1/appointments/`)",
                booking_requests.__getitem__,
                bookings,
                expected=frozenset({201}),
                warmup=warmup,
            )
        )
    return scenarios
