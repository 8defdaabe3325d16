"""Every REST route, every method, every role: the permission matrix, walked from the URL
resolver rather than from a list, so that a new endpoint cannot escape it.

How it works:
- `api_routes()` walks `django.urls.get_resolver()` and keeps every route under `api/v1/`
  (DRF's `.format` duplicates and the API root left out), with its methods: the viewset's
  `actions`, or the methods the APIView defines, narrowed to the view's `http_method_names`.
- `ROUTES` classifies each route by its URL name: the path ids it is called with, and for each
  method the door each role finds (`Door`): open, 403, 404 or 401. A route the resolver has but
  the table lacks fails the test, and so does an entry, method or path id the resolver no longer
  has. A route may be tried on several sets of ids (an attachment of B's reached through A's
  record, another doctor's window through one's own profile...).
- The clinic (config/tests/route_world.py) is built once per test. Patient B owns every
  patient-data object the paths name; patient A, A's doctor, a doctor with no patients and a
  doctor whose care of B has ended are the outsiders; B's doctor, staff and an administrator
  complete the roles, with the anonymous caller. Marker strings, and the ids of private
  objects, sit in what each party keeps private, with the roles that may read them.
- Every call runs in a transaction that is rolled back, so each one meets the same clinic: a
  cancellation or a deactivation by one role does not change what the next role finds.

For every call: no 5xx, and no exception; the status the table says (an open door answers a
read with 200, a write with 2xx, or 400/409 on the body: access, not validation, is tested
here); every 4xx in the one error shape; and no marker its reader may not see, in the body or in
a download's file name. Each route is also probed with OPTIONS by every role, and with each
method it does not take (a 405, in the error shape). Every marker must reach at least one role
allowed to read it, or its absence elsewhere would prove nothing. All failures are collected and
reported together."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.routers import APIRootView
from rest_framework.test import APIClient

from config.tests.route_world import (
    ADMIN,
    ANONYMOUS,
    B_CARE,
    B_CARE_AND_DESK,
    DESK,
    DOCTOR_FORMER,
    DOCTOR_OF_A,
    DOCTOR_OF_B,
    DOCTORS,
    PATIENT_B,
    PATIENTS,
    PDF,
    PRESCRIPTION_LINE,
    ROLES,
    SIGNED_IN,
    RouteWorld,
    build_route_world,
)
from users.tests.utils import client_for

API_PREFIX = "api/v1/"
WRITE_OUTCOMES = frozenset({200, 201, 202, 204, 400, 409})  # the door opened; the body decided
OPTIONS_OUTCOMES = frozenset({200, 401, 403, 404})
PROBED_METHODS = frozenset({"get", "post", "put", "patch", "delete"})
NOT_ALLOWED_OUTCOMES = frozenset({403, 405})


class Door(StrEnum):
    OPEN = "open"  # a read answers 200; a write 2xx, or 400/409 on its body
    FORBIDDEN = "403"  # visible, but not for this role
    HIDDEN = "404"  # not the caller's to see: as if it did not exist
    SIGN_IN = "401"  # an account is needed


Doors = dict[str, Door]  # role -> the door it finds
Ids = dict[str, str]  # the world's ids, by name
Body = Callable[[Ids], Any]


def doors(
    open_to: Iterable[str], *, hidden: Iterable[str] = (), anonymous: Door = Door.SIGN_IN
) -> Doors:
    """Open to some roles, hidden (404) from others; any other signed-in role is refused
    (403), and an anonymous caller is asked to sign in unless said otherwise."""
    open_to, hidden = frozenset(open_to), frozenset(hidden)
    assert not open_to & hidden, "a role is either let in or not shown the object"
    found = {role: Door.FORBIDDEN for role in SIGNED_IN}
    found.update({role: Door.OPEN for role in open_to} | {role: Door.HIDDEN for role in hidden})
    found[ANONYMOUS] = anonymous
    return found


# The roles on neither side of B: they must not learn that B's objects exist.
OUTSIDERS = SIGNED_IN - B_CARE_AND_DESK
PUBLIC = doors(SIGNED_IN, anonymous=Door.OPEN)
ANY_ACCOUNT = doors(SIGNED_IN)  # each caller's own data (scoped lists, own account, inbox)
PATIENTS_ONLY = doors(PATIENTS)
PATIENTS_AND_DOCTORS = doors(PATIENTS | DOCTORS)
DESK_ONLY = doors(DESK)
ADMIN_ONLY = doors({ADMIN})
CLINIC_ACCOUNTS = doors(DOCTORS | DESK)  # the account's own two-step sign-in: not patients
B_SEEN = doors(B_CARE_AND_DESK, hidden=OUTSIDERS)  # B's record, visits and care team
B_CHART = doors(B_CARE, hidden=SIGNED_IN - B_CARE)  # front-desk staff do not read charts
B_CHART_WRITE = doors({DOCTOR_OF_B}, hidden=SIGNED_IN - B_CARE)  # B reads, B's doctor writes
# Only B's doctor acts (a new chart entry for B, completing B's visit): B and staff see B, so
# they are refused rather than kept in the dark.
B_DOCTOR_ONLY = doors({DOCTOR_OF_B}, hidden=OUTSIDERS)
B_AI_RESULT = doors(B_CARE, hidden=OUTSIDERS)  # staff are refused the AI routes as a whole
B_VISIT_MOVE = doors({DOCTOR_OF_B} | DESK, hidden=OUTSIDERS)  # confirm, check in, no-show
B_DOCTOR_OWN = doors({DOCTOR_OF_B} | DESK)
# B's waitlist: B or the desk act for B; B's doctor sees it and is refused.
B_DECIDES = doors({PATIENT_B} | DESK, hidden=OUTSIDERS)  # B's doctor's profile, schedule and posts
DRAFT_READERS = frozenset({DOCTOR_OF_B}) | DESK  # a draft post: its author and staff
# Another doctor's child object reached through A's doctor's own path: nobody may touch it.
CHILD_OF_ANOTHER_DOCTOR = doors((), hidden={DOCTOR_OF_A} | DESK)
# A doctor whose care of B ended keeps the history of that link, which names B, and nothing more.
OWN_ENDED_LINK = {DOCTOR_FORMER: frozenset({"qzbname", "patient_b"})}


@dataclass(frozen=True)
class Call:
    """How one method of a route behaves, and what it is sent."""

    doors: Doors
    body: Body | None = None  # JSON body (writes send {} when none is given)
    query: Body | None = None  # query string of a read
    multipart: bool = False  # the body is a file upload
    # Markers (planted text, or the name of a world id) a role may see here though it may not
    # see them elsewhere.
    shows: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """A route called with one set of path ids (URL kwarg -> name of a world id)."""

    path: dict[str, str]
    methods: dict[str, Call]
    why: str = ""


def on(path: dict[str, str] | None = None, why: str = "", **methods: Call) -> Target:
    return Target(path=path or {}, methods=methods, why=why)


def appointment_body(ids: Ids) -> dict:
    return {"doctor": ids["doctor_of_b"], "patient": ids["patient_b"], "start": ids["free_start_b"]}


def waitlist_body(ids: Ids) -> dict:
    return {
        "doctor": ids["doctor_of_b"],
        "patient": ids["patient_b"],
        "earliest_date": ids["today"],
        "latest_date": ids["in_a_week"],
    }


def series_body(ids: Ids) -> dict:
    return {**appointment_body(ids), "every_weeks": 1, "count": 2}


def reason(ids: Ids) -> dict:
    return {"reason": "Entered for the wrong visit"}


def of_patient_b(ids: Ids) -> dict:
    return {"patient": ids["patient_b"]}


def slot_range(ids: Ids) -> dict:
    return {"start": ids["today"], "end": ids["in_a_week"]}


# A list asked for B's rows alone: an outsider's list stays empty, never widened by the filter.
FILTERED_TO_B = "filtered to B's rows"
APPOINTMENT = {"pk": "appointment_b"}
WAITLIST_ENTRY = {"pk": "waitlist_entry_b"}
WAITLIST_OFFER = {"pk": "waitlist_offer_b"}
RECORD = {"pk": "record_b"}
PRESCRIPTION = {"pk": "prescription_b"}
DOCTOR_B = {"pk": "doctor_of_b"}
POST_B = {"pk": "post_b"}
USER_B = {"pk": "user_b"}

# Every API route by URL name. The first target of a route must name all its methods; further
# targets try other ids on some of them.
ROUTES: dict[str, list[Target]] = {
    # --- accounts and sign-in: open doors whose body is the credential -------------------
    "auth-token": [on(post=Call(PUBLIC))],
    "auth-token-refresh": [on(post=Call(PUBLIC))],
    "auth-logout": [on(post=Call(PUBLIC))],
    "auth-password-reset": [on(post=Call(PUBLIC))],
    "auth-password-reset-confirm": [on(post=Call(PUBLIC))],
    "auth-register": [on(post=Call(PUBLIC))],
    "auth-password-change": [on(post=Call(ANY_ACCOUNT))],
    "auth-token-verify-otp": [on(post=Call(PUBLIC))],
    "auth-otp": [on(get=Call(CLINIC_ACCOUNTS))],
    "auth-otp-enrol": [on(post=Call(CLINIC_ACCOUNTS))],
    "auth-otp-confirm": [on(post=Call(CLINIC_ACCOUNTS))],
    "auth-otp-recovery-codes": [on(post=Call(CLINIC_ACCOUNTS))],
    "auth-otp-disable": [on(post=Call(CLINIC_ACCOUNTS))],
    "user-me": [on(get=Call(ANY_ACCOUNT), patch=Call(ANY_ACCOUNT))],
    "user-list": [on(get=Call(DESK_ONLY), post=Call(DESK_ONLY))],
    "user-detail": [on(USER_B, get=Call(DESK_ONLY))],
    "user-activate": [on(USER_B, post=Call(ADMIN_ONLY))],
    "user-deactivate": [on(USER_B, post=Call(ADMIN_ONLY))],
    "user-reset-otp": [on(USER_B, post=Call(ADMIN_ONLY))],
    "staff-list": [on(get=Call(ADMIN_ONLY))],
    # Staff profiles are the administrators' to manage, the staff member's own included.
    "staff-detail": [on({"pk": "staff_profile"}, get=Call(ADMIN_ONLY), patch=Call(ADMIN_ONLY))],
    "audit-log-list": [on(get=Call(ADMIN_ONLY))],
    "audit-log-detail": [on({"pk": "audit_event_b"}, get=Call(ADMIN_ONLY))],
    # --- the public directory and B's doctor's own schedule -------------------------------
    "specialization-list": [on(get=Call(PUBLIC))],
    "specialization-detail": [on({"pk": "specialization"}, get=Call(PUBLIC))],
    "slot-search": [
        on(
            get=Call(
                PUBLIC,
                query=lambda ids: {**slot_range(ids), "specialization": ids["specialization_slug"]},
            )
        )
    ],
    "doctor-list": [on(get=Call(PUBLIC), post=Call(DESK_ONLY))],
    "doctor-detail": [
        on(DOCTOR_B, get=Call(PUBLIC), patch=Call(B_DOCTOR_OWN, body=lambda ids: {"bio": "Hi"}))
    ],
    "doctor-slots": [on(DOCTOR_B, get=Call(PUBLIC, query=slot_range))],
    "doctor-availability": [
        on(
            DOCTOR_B,
            get=Call(PUBLIC),
            post=Call(
                B_DOCTOR_OWN,
                body=lambda ids: {"weekday": 3, "start_time": "20:30", "end_time": "21:30"},
            ),
        )
    ],
    "doctor-availability-window": [
        on(
            {"pk": "doctor_of_b", "window_id": "window_b"},
            patch=Call(B_DOCTOR_OWN),
            delete=Call(B_DOCTOR_OWN),
        ),
        on(
            {"pk": "doctor_of_a", "window_id": "window_b"},
            "B's doctor's window through A's doctor's own profile",
            patch=Call(CHILD_OF_ANOTHER_DOCTOR),
            delete=Call(CHILD_OF_ANOTHER_DOCTOR),
        ),
    ],
    "doctor-time-off": [
        on(
            DOCTOR_B,
            get=Call(B_DOCTOR_OWN),
            # Over B's visit: the answer lists it as a conflict, with B's name.
            post=Call(
                B_DOCTOR_OWN,
                body=lambda ids: {
                    "start": ids["appointment_b_start"],
                    "end": ids["appointment_b_end"],
                    "reason": "Training",
                },
            ),
        )
    ],
    "doctor-time-off-item": [
        on({"pk": "doctor_of_b", "time_off_id": "time_off_b"}, delete=Call(B_DOCTOR_OWN)),
        on(
            {"pk": "doctor_of_a", "time_off_id": "time_off_b"},
            "B's doctor's time off through A's doctor's own profile",
            delete=Call(CHILD_OF_ANOTHER_DOCTOR),
        ),
    ],
    # --- patients and the care team ---------------------------------------------------------
    "patient-list": [
        on(
            get=Call(ANY_ACCOUNT),
            post=Call(
                DESK_ONLY, body=lambda ids: {"email": "walk.in@example.com", "full_name": "Walk In"}
            ),
        ),
        on(
            why="searched for B's first name",
            get=Call(ANY_ACCOUNT, query=lambda ids: {"search": "Bertha"}),
        ),
    ],
    "patient-me": [on(get=Call(PATIENTS_ONLY), patch=Call(PATIENTS_ONLY))],
    "patient-access-log": [on(get=Call(PATIENTS_ONLY))],
    "patient-detail": [
        on(
            {"pk": "patient_b"},
            get=Call(B_SEEN),
            # Only the patient and staff change the record; B's doctor sees it, so 403.
            patch=Call(
                doors({PATIENT_B} | DESK, hidden=OUTSIDERS),
                body=lambda ids: {"address": "2 New Street"},
            ),
        )
    ],
    "patient-summary": [on({"patient_id": "patient_b"}, get=Call(B_CHART))],
    "care-assignment-list": [
        on(
            get=Call(ANY_ACCOUNT, shows=OWN_ENDED_LINK),
            post=Call(
                DESK_ONLY,
                body=lambda ids: {"doctor": ids["doctor_of_a"], "patient": ids["patient_b"]},
            ),
        ),
        on(
            why=FILTERED_TO_B,
            get=Call(ANY_ACCOUNT, query=of_patient_b, shows=OWN_ENDED_LINK),
        ),
    ],
    "care-assignment-detail": [
        on({"pk": "care_assignment_b"}, get=Call(B_SEEN)),
        on(
            {"pk": "care_assignment_ended"},
            "the ended link: its doctor, the patient and staff",
            get=Call(
                doors(
                    {PATIENT_B, DOCTOR_FORMER} | DESK,
                    hidden=SIGNED_IN - {PATIENT_B, DOCTOR_FORMER} - DESK,
                ),
                shows=OWN_ENDED_LINK,
            ),
        ),
    ],
    "care-assignment-end": [on({"pk": "care_assignment_b"}, post=Call(B_VISIT_MOVE))],
    # --- appointments and the calendar ------------------------------------------------------
    "appointment-list": [
        # Booking for B: a patient the caller cannot see answers 404.
        on(get=Call(ANY_ACCOUNT), post=Call(B_SEEN, body=appointment_body)),
        on(why=FILTERED_TO_B, get=Call(ANY_ACCOUNT, query=of_patient_b)),
    ],
    "appointment-detail": [on(APPOINTMENT, get=Call(B_SEEN))],
    "appointment-ics": [on(APPOINTMENT, get=Call(B_SEEN))],
    "appointment-cancel": [
        on(APPOINTMENT, post=Call(B_SEEN, body=lambda ids: {"reason": "Cannot come"}))
    ],
    "appointment-reschedule": [
        on(APPOINTMENT, post=Call(B_SEEN, body=lambda ids: {"start": ids["free_start_b"]}))
    ],
    "appointment-confirm": [on(APPOINTMENT, post=Call(B_VISIT_MOVE))],
    "appointment-check-in": [on(APPOINTMENT, post=Call(B_VISIT_MOVE))],
    "appointment-no-show": [on(APPOINTMENT, post=Call(B_VISIT_MOVE))],
    "appointment-complete": [on(APPOINTMENT, post=Call(B_DOCTOR_ONLY))],
    "appointment-series-list": [on(post=Call(B_SEEN, body=series_body))],
    "appointment-series-cancel": [
        on({"pk": "series_b"}, post=Call(B_SEEN, body=lambda ids: {"reason": "Moving away"}))
    ],
    # --- the waitlist: B (or the desk for B) decides; B's doctor sees who waits for them ----
    "waitlist-list": [
        on(get=Call(ANY_ACCOUNT), post=Call(B_DECIDES, body=waitlist_body)),
    ],
    "waitlist-detail": [on(WAITLIST_ENTRY, get=Call(B_SEEN), delete=Call(B_DECIDES))],
    "waitlist-offer-list": [on(get=Call(ANY_ACCOUNT))],
    "waitlist-offer-detail": [on(WAITLIST_OFFER, get=Call(B_SEEN))],
    "waitlist-offer-accept": [on(WAITLIST_OFFER, post=Call(B_DECIDES))],
    "waitlist-offer-decline": [on(WAITLIST_OFFER, post=Call(B_DECIDES))],
    "calendar-feed-list": [on(get=Call(ANY_ACCOUNT))],
    "calendar-feed-rotate": [on(post=Call(ANY_ACCOUNT))],
    # --- the chart: health records and prescriptions ----------------------------------------
    "health-record-list": [
        on(
            get=Call(ANY_ACCOUNT),
            post=Call(
                B_DOCTOR_ONLY,
                body=lambda ids: {
                    "patient": ids["patient_b"],
                    "record_type": "note",
                    "data": {"text": "Seen today"},
                },
            ),
        ),
        on(why=FILTERED_TO_B, get=Call(ANY_ACCOUNT, query=of_patient_b)),
    ],
    "health-record-detail": [
        on(
            RECORD,
            get=Call(B_CHART),
            patch=Call(
                B_CHART_WRITE, body=lambda ids: {"data": {"text": "Corrected"}, "reason": "Typo"}
            ),
        )
    ],
    "health-record-history": [on(RECORD, get=Call(B_CHART))],
    "health-record-entered-in-error": [on(RECORD, post=Call(B_CHART_WRITE, body=reason))],
    "health-record-attachments": [
        on(RECORD, get=Call(B_CHART), post=Call(B_CHART_WRITE, multipart=True))
    ],
    "health-record-attachment": [
        on({"pk": "record_b", "attachment_id": "attachment_b"}, get=Call(B_CHART)),
        on(
            {"pk": "record_a", "attachment_id": "attachment_b"},
            "B's file through A's record, which A and A's doctor may read",
            get=Call(doors((), hidden=SIGNED_IN)),
        ),
    ],
    "prescription-list": [
        on(
            get=Call(ANY_ACCOUNT),
            post=Call(
                B_DOCTOR_ONLY,
                body=lambda ids: {"patient": ids["patient_b"], "lines": [PRESCRIPTION_LINE]},
            ),
        ),
        on(why=FILTERED_TO_B, get=Call(ANY_ACCOUNT, query=of_patient_b)),
    ],
    "prescription-detail": [on(PRESCRIPTION, get=Call(B_CHART))],
    "prescription-complete": [on(PRESCRIPTION, post=Call(B_CHART_WRITE, body=reason))],
    "prescription-cancel": [on(PRESCRIPTION, post=Call(B_CHART_WRITE, body=reason))],
    "prescription-entered-in-error": [on(PRESCRIPTION, post=Call(B_CHART_WRITE, body=reason))],
    # --- the AI assistant: patients and doctors; its results are clinical ------------------
    "ai-symptoms": [on(get=Call(PATIENTS_AND_DOCTORS))],
    "ai-symptom-check": [
        on(post=Call(PATIENTS_ONLY, body=lambda ids: {"symptoms": ["cough"], "text": ""}))
    ],
    "ai-risk-assessment": [
        on(
            post=Call(
                B_AI_RESULT,
                body=lambda ids: {
                    "patient": ids["patient_b"],
                    "score": "bmi",
                    "inputs": {"weight_kg": 80, "height_cm": 180},
                },
            )
        )
    ],
    "symptom-check-list": [
        on(get=Call(PATIENTS_AND_DOCTORS)),
        # Here the filter goes through the door: another patient's id answers 404.
        on(why=FILTERED_TO_B, get=Call(B_AI_RESULT, query=of_patient_b)),
    ],
    "symptom-check-detail": [on({"pk": "symptom_check_b"}, get=Call(B_AI_RESULT))],
    "risk-assessment-list": [
        on(get=Call(PATIENTS_AND_DOCTORS)),
        on(why=FILTERED_TO_B, get=Call(B_AI_RESULT, query=of_patient_b)),
    ],
    "risk-assessment-detail": [on({"pk": "risk_assessment_b"}, get=Call(B_AI_RESULT))],
    # --- notifications: each caller's own inbox -------------------------------------------
    "notification-list": [on(get=Call(ANY_ACCOUNT))],
    "notification-read-all": [on(post=Call(ANY_ACCOUNT))],
    "notification-preferences": [
        on(get=Call(ANY_ACCOUNT), put=Call(ANY_ACCOUNT, body=lambda ids: []))
    ],
    "notification-templates": [on(get=Call(DESK_ONLY))],
    "notification-read": [
        on({"pk": "notification_b"}, post=Call(doors({PATIENT_B}, hidden=SIGNED_IN - {PATIENT_B})))
    ],
    # --- the blog: public reading; B's doctor's posts and their moderation ------------------
    "blog-list": [
        on(
            get=Call(PUBLIC),
            post=Call(doors(DOCTORS | DESK), body=lambda ids: {"title": "Hi", "body": "Text"}),
        )
    ],
    "blog-detail": [
        on(
            POST_B,
            get=Call(PUBLIC),
            patch=Call(B_DOCTOR_OWN, body=lambda ids: {"title": "Renamed"}),
            delete=Call(B_DOCTOR_OWN),
        ),
        on(
            {"pk": "draft_b"},
            "a draft: only its author and staff know it exists",
            get=Call(doors(DRAFT_READERS, hidden=SIGNED_IN - DRAFT_READERS, anonymous=Door.HIDDEN)),
            patch=Call(doors(DRAFT_READERS, hidden=SIGNED_IN - DRAFT_READERS)),
            delete=Call(doors(DRAFT_READERS, hidden=SIGNED_IN - DRAFT_READERS)),
        ),
    ],
    "blog-comments": [
        on(POST_B, get=Call(PUBLIC), post=Call(ANY_ACCOUNT, body=lambda ids: {"body": "Nice"}))
    ],
    "blog-hide-comment": [
        on({"pk": "post_b", "comment_id": "comment_b"}, post=Call(B_DOCTOR_OWN)),
        on(
            {"pk": "post_a", "comment_id": "comment_b"},
            "a comment on B's doctor's post, through A's doctor's own post",
            post=Call(doors((), hidden={DOCTOR_OF_A} | DESK)),
        ),
    ],
    "blog-unhide-comment": [
        on({"pk": "post_b", "comment_id": "comment_b"}, post=Call(B_DOCTOR_OWN)),
        on(
            {"pk": "post_a", "comment_id": "comment_b"},
            "a comment on B's doctor's post, through A's doctor's own post",
            post=Call(doors((), hidden={DOCTOR_OF_A} | DESK)),
        ),
    ],
}


# --- the routes, from the resolver ---------------------------------------------------------


@dataclass(frozen=True)
class ApiRoute:
    name: str
    route: str  # the pattern, for messages
    kwargs: frozenset[str]  # path parameters
    methods: frozenset[str]  # lower case; OPTIONS and HEAD are left out
    callback: Callable


def _walk(
    patterns: list, prefix: str = "", kwargs: frozenset[str] = frozenset()
) -> Iterator[tuple[str, frozenset[str], URLPattern]]:
    for pattern in patterns:
        names = kwargs | frozenset(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route, names)
        else:
            yield route, names, pattern


def _methods(callback: Callable) -> frozenset[str] | None:
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return None  # not a DRF view: it cannot be classified by its methods
    allowed = set(view_class.http_method_names) - {"options", "head"}
    actions = getattr(callback, "actions", None)
    if actions:  # a viewset route: the methods the router mapped to actions
        return frozenset(set(actions) & allowed)
    return frozenset(method for method in allowed if hasattr(view_class, method))


def api_routes() -> tuple[dict[str, ApiRoute], list[str]]:
    """Every route under api/v1/ by URL name, and what keeps a route from being walked."""
    routes: dict[str, ApiRoute] = {}
    problems: list[str] = []
    for route, kwargs, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX) or "format" in kwargs:
            continue  # outside the API, or DRF's `.json` twin of a route walked anyway
        view_class = getattr(pattern.callback, "cls", None)
        if pattern.name == "api-root" or (
            view_class is not None and issubclass(view_class, APIRootView)
        ):
            continue
        methods = _methods(pattern.callback)
        if pattern.name is None or methods is None:
            problems.append(
                f"{route}: give it a URL name and a DRF view, so that the route matrix can "
                "classify it"
            )
            continue
        found = ApiRoute(pattern.name, route, kwargs, methods, pattern.callback)
        if pattern.name in routes and routes[pattern.name] != found:
            problems.append(f"{route}: the URL name {pattern.name!r} is used twice in the API")
        routes[pattern.name] = found
    return routes, problems


def classification_problems(routes: dict[str, ApiRoute]) -> list[str]:
    """The table and the resolver must agree: every route, method and path id classified,
    nothing classified that is gone."""
    problems = [
        f"{name} ({route.route}, {sorted(route.methods)}) is not classified: add it to ROUTES "
        "in config/tests/test_route_matrix.py with the door each role must find"
        for name, route in sorted(routes.items())
        if name not in ROUTES
    ]
    for name, targets in sorted(ROUTES.items()):
        route = routes.get(name)
        if route is None:
            problems.append(f"{name}: classified in ROUTES, but no API route has this name")
            continue
        first = set(targets[0].methods)
        if first != route.methods:
            problems.append(
                f"{name}: the route answers {sorted(route.methods)}, ROUTES classifies "
                f"{sorted(first)}: classify the missing ones, remove the stale ones"
            )
        for target in targets:
            if extra := set(target.methods) - route.methods:
                problems.append(f"{name}: ROUTES tries {sorted(extra)}, which the route lacks")
            if set(target.path) != route.kwargs:
                problems.append(
                    f"{name}: the route takes path ids {sorted(route.kwargs)}, ROUTES gives "
                    f"{sorted(target.path)}"
                )
    return problems


def api_resolver() -> URLResolver:
    return next(
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == API_PREFIX
    )


# --- calling a route, and judging the answer ------------------------------------------------


@dataclass
class Answer:
    status: int
    text: str  # the body (and a download's file name), decoded for the marker search
    error_body: Any = None  # the parsed body of a 4xx


def _read(response: HttpResponseBase) -> str:
    # The test client closes the response itself (a download, once read to its end): closing
    # it again here would fire request_finished, which closes the database connection.
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace") + response.get("Content-Disposition", "")


def _request(client: APIClient, method: str, url: str, call: Call | None, ids: Ids) -> Answer:
    if method == "get":
        query = call.query(ids) if call and call.query else None
        response = client.get(url, query)
    elif method == "options":
        response = client.options(url)
    elif call is not None and call.multipart:
        upload = SimpleUploadedFile("scan.pdf", PDF)
        response = client.post(url, {"file": upload}, format="multipart")
    else:
        body = call.body(ids) if call and call.body else {}
        response = getattr(client, method)(url, body, format="json")
    answer = Answer(response.status_code, _read(response))
    if 400 <= response.status_code < 500:
        try:
            answer.error_body = response.json()
        except ValueError:
            answer.error_body = None
    return answer


def _send(client: APIClient, method: str, url: str, call: Call | None, ids: Ids) -> Answer:
    """One request, inside a transaction rolled back afterwards: every call meets the same
    clinic. An exception escaping the view is reported as a server error."""
    with transaction.atomic():
        try:
            answer = _request(client, method, url, call, ids)
        finally:
            transaction.set_rollback(True)  # marked last: a marked block runs no query
    return answer


def _error_shape_problem(body: Any) -> str | None:
    """What keeps a 4xx body from the one error shape, if anything."""
    error = body.get("error") if isinstance(body, dict) else None
    if (
        not isinstance(error, dict)
        or set(body) != {"error"}
        or set(error) != {"code", "message", "fields"}
        or not isinstance(error["message"], str)
        or not error["message"]
    ):
        return f"a 4xx outside the error shape: {str(body)[:200]}"
    return None


def _snippet(text: str, length: int = 160) -> str:
    return " ".join(text[:length].split())


def _expected(door: Door, method: str) -> frozenset[int]:
    if door == Door.OPEN:
        return frozenset({200}) if method == "get" else WRITE_OUTCOMES
    return frozenset({int(door.value)})


def judge(answer: Answer, allowed: frozenset[int], expectation: str) -> list[str]:
    """What is wrong with one answer's status and shape (an empty list if nothing is)."""
    wrong = []
    if answer.status >= 500:
        wrong.append(f"server error {answer.status}: {_snippet(answer.text, 200)}")
    elif answer.status not in allowed:
        wrong.append(
            f"{answer.status}, expected {expectation} {sorted(allowed)}: {_snippet(answer.text)}"
        )
    if 400 <= answer.status < 500 and (problem := _error_shape_problem(answer.error_body)):
        wrong.append(problem)
    return wrong


@dataclass
class Walk:
    """The walk through the routes: the clinic, a signed-in client per role, and what was
    found wrong on the way."""

    world: RouteWorld
    clients: dict[str, APIClient]
    problems: list[str] = field(default_factory=list)
    seen_by_readers: set[str] = field(default_factory=set)  # markers shown to a permitted role

    def try_call(
        self,
        *,
        where: str,
        method: str,
        url: str,
        role: str,
        call: Call | None,
        allowed: frozenset[int],
        expectation: str,
    ) -> None:
        markers = self.world.markers
        try:
            answer = _send(self.clients[role], method, url, call, self.world.ids)
        except Exception as exc:  # the view raised: a 500 in production
            wrong = [f"raised {type(exc).__name__}: {str(exc)[:200]}"]
        else:
            wrong = judge(answer, allowed, expectation)
            shown = markers_in(answer.text, markers)
            self.seen_by_readers |= {marker for marker in shown if role in markers[marker]}
            excepted = {
                self.world.ids.get(marker, marker).lower()
                for marker in (call.shows.get(role, ()) if call else ())
            }
            if leaked := sorted(m for m in shown - excepted if role not in markers[m]):
                wrong.append(f"shows data this role may not see: markers {leaked}")
        self.problems += [f"{method.upper()} {url} ({where}) as {role}: {item}" for item in wrong]

    def unseen_markers(self) -> list[str]:
        # A marker that no reader was ever shown proves nothing by staying hidden from others.
        return [
            f"marker {marker!r} never reached a role that may read it: the leak check cannot see it"
            for marker in sorted(set(self.world.markers) - self.seen_by_readers)
        ]


def markers_in(text: str, markers: Iterable[str]) -> set[str]:
    lowered = text.lower()
    return {marker for marker in markers if marker in lowered}


# --- the tests -------------------------------------------------------------------------------


def test_every_api_route_is_classified():
    routes, problems = api_routes()
    problems += classification_problems(routes)
    assert not problems, "\n".join(problems)


# No throttle is lifted: the test settings allow 1000 requests a minute per scope, far above
# what one walk sends (DRF reads the rates when it is imported, so `settings` could not change
# them anyway), and the autouse cache fixture clears the counters between tests.
@pytest.mark.django_db
def test_every_role_finds_each_route_as_classified(inference):
    routes, problems = api_routes()
    problems += classification_problems(routes)
    world = build_route_world()
    walk = Walk(
        world=world,
        clients={
            role: APIClient() if user is None else client_for(user)
            for role, user in world.users.items()
        },
        problems=problems,
    )
    resolver = api_resolver()
    for name, route in sorted(routes.items()):
        for target in ROUTES.get(name, []):
            try:
                path_values = {kwarg: world.ids[key] for kwarg, key in target.path.items()}
                url = "/" + API_PREFIX + resolver.reverse(name, **path_values)
            except Exception as exc:  # a table entry that no longer fits its route
                walk.problems.append(f"{name}: cannot build its path from {target.path}: {exc!r}")
                continue
            if resolve(url).func is not route.callback:
                walk.problems.append(f"{name}: {url} reaches another view")
                continue
            where = f"{name}, {target.why}" if target.why else name
            for method, call in sorted(target.methods.items()):
                for role in ROLES:
                    door = call.doors[role]
                    walk.try_call(
                        where=where,
                        method=method,
                        url=url,
                        role=role,
                        call=call,
                        allowed=_expected(door, method),
                        expectation=door.value,
                    )
            if target is not ROUTES[name][0]:
                continue
            # Probes, once per route: OPTIONS for every role, and each method the route does
            # not take, as the administrator (whom few permission checks stop before the 405).
            for role in ROLES:
                walk.try_call(
                    where=name,
                    method="options",
                    url=url,
                    role=role,
                    call=None,
                    allowed=OPTIONS_OUTCOMES,
                    expectation="200/401/403/404",
                )
            for method in sorted(PROBED_METHODS - route.methods):
                walk.try_call(
                    where=name,
                    method=method,
                    url=url,
                    role=ADMIN,
                    call=None,
                    allowed=NOT_ALLOWED_OUTCOMES,
                    expectation="405 (or 403)",
                )
    problems = walk.problems + walk.unseen_markers()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
