"""The public directory as FHIR: Practitioner, PractitionerRole, Schedule (one per doctor) and
Slot (free and busy times computed by the slot engine, never stored)."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from appointments.selectors import held_spans
from core.admin_tools import accent_insensitive_search
from core.exceptions import ValidationFailed
from doctors.models import Doctor, Specialization
from doctors.selectors import MAX_SLOT_RANGE_DAYS, doctor_list, doctors_free_slots, rules_for
from doctors.slots import Slot
from interop.errors import bad_search
from interop.references import PORTAL, SNOMED, coding, concept, instant, reference
from interop.resources import (
    ID_PARAM,
    ResourceType,
    ids_filter,
    meta,
    not_found,
    queryset_page,
)
from interop.search import (
    FIRST_YEAR,
    LAST_YEAR,
    Page,
    SearchParam,
    SearchRequest,
    date_bounds,
    instant_range,
    reference_id,
    token_code,
    token_codes,
    uuid_or_none,
)

SPECIALTY_SYSTEM = f"{PORTAL}:specialty"
LICENCE_SYSTEM = f"{PORTAL}:licence-number"

# The clinic's specialties in SNOMED CT's practice setting codes (the value set FHIR binds
# PractitionerRole.specialty to), by the specialty's slug.
SNOMED_SPECIALTY = {
    "allergy-and-immunology": ("408439002", "Allergy - specialty"),
    "cardiology": ("394579002", "Cardiology"),
    "dermatology": ("394582007", "Dermatology"),
    "endocrinology": ("394583002", "Endocrinology"),
    "family-medicine": ("419772000", "Family practice"),
    "gastroenterology": ("394584008", "Gastroenterology"),
    "general-surgery": ("394609007", "General surgery"),
    "infectious-diseases": ("394807007", "Infectious diseases"),
    "internal-medicine": ("419192003", "Internal medicine"),
    "nephrology": ("394589003", "Nephrology"),
    "neurology": ("394591006", "Neurology"),
    "obstetrics-and-gynecology": ("394585009", "Obstetrics and gynecology"),
    "oncology": ("394592004", "Clinical oncology"),
    "ophthalmology": ("394594003", "Ophthalmology"),
    "orthopedics": ("394801008", "Trauma and orthopedics"),
    "otolaryngology-ent": ("418960008", "Otolaryngology"),
    "pediatrics": ("394537008", "Pediatric specialty"),
    "psychiatry": ("394587001", "Psychiatry"),
    "pulmonology": ("418112009", "Pulmonary medicine"),
    "rheumatology": ("394810000", "Rheumatology"),
    "urology": ("394612005", "Urology"),
}


def specialty_concept(specialization: Specialization) -> dict:
    codings = [coding(SPECIALTY_SYSTEM, specialization.slug, specialization.name)]
    if specialization.slug in SNOMED_SPECIALTY:
        codings.append(coding(SNOMED, *SNOMED_SPECIALTY[specialization.slug]))
    return concept(*codings, text=specialization.name)


def _specialty_slugs(value: str) -> set[str]:
    """The slugs a `specialty` token names: the portal's own code, or a SNOMED CT code."""
    system, code = token_code(value)
    slugs = set()
    if system in (None, SPECIALTY_SYSTEM):
        slugs.add(code)
    if system in (None, SNOMED):
        slugs |= {slug for slug, (snomed, _) in SNOMED_SPECIALTY.items() if snomed == code}
    return slugs


def specialty_filter(rows: QuerySet, request: SearchRequest, field: str) -> QuerySet:
    for alternatives in request.any_of("specialty"):
        slugs = set().union(*(_specialty_slugs(value) for value in alternatives))
        rows = rows.filter(**{f"{field}__in": slugs}).distinct()
    return rows


def _doctor_ids(request: SearchRequest, name: str, resource_type: str) -> list[list[UUID]]:
    return [
        [
            found
            for found in (uuid_or_none(reference_id(v, resource_type, name=name)) for v in values)
            if found is not None
        ]
        for values in request.any_of(name)
    ]


# --- Practitioner -------------------------------------------------------------------------


def practitioner_of(doctor: Doctor) -> dict:
    resource = {
        "resourceType": "Practitioner",
        "id": str(doctor.pk),
        "meta": meta(doctor),
        "identifier": [{"system": LICENCE_SYSTEM, "value": doctor.license_number}],
        "active": doctor.user.is_active,
        "name": [{"text": doctor.user.full_name}],
    }
    if doctor.education:
        resource["qualification"] = [{"code": {"text": doctor.education[:1000]}}]
    return resource


def _practitioners(request: SearchRequest) -> QuerySet[Doctor]:
    rows = ids_filter(doctor_list(), request)
    for value in request.get("name"):
        rows = accent_insensitive_search(rows, value, ["user__full_name"])
    for values in request.any_of("identifier"):
        rows = rows.filter(license_number__in=token_codes(values, LICENCE_SYSTEM))
    return rows


def practitioner_search(actor, request: SearchRequest) -> Page:
    return queryset_page(_practitioners(request).prefetch_related(None), request, practitioner_of)


def _doctor(resource_type: str, resource_id: str) -> Doctor:
    doctor_id = uuid_or_none(resource_id)
    doctor = doctor_list().filter(pk=doctor_id).first() if doctor_id else None
    if doctor is None:
        raise not_found(resource_type, resource_id)
    return doctor


def practitioner_read(actor, resource_id: str) -> dict:
    return practitioner_of(_doctor("Practitioner", resource_id))


# --- PractitionerRole ---------------------------------------------------------------------


def practitioner_role_of(doctor: Doctor) -> dict:
    return {
        "resourceType": "PractitionerRole",
        "id": str(doctor.pk),
        "meta": meta(doctor),
        "active": doctor.user.is_active,
        "practitioner": reference("Practitioner", doctor.pk, doctor.user.full_name),
        "specialty": [specialty_concept(found) for found in doctor.specializations.all()],
    }


def practitioner_role_search(actor, request: SearchRequest) -> Page:
    rows = ids_filter(doctor_list(), request)
    for ids in _doctor_ids(request, "practitioner", "Practitioner"):
        rows = rows.filter(pk__in=ids)
    rows = specialty_filter(rows, request, "specializations__slug")
    return queryset_page(rows, request, practitioner_role_of)


def practitioner_role_read(actor, resource_id: str) -> dict:
    return practitioner_role_of(_doctor("PractitionerRole", resource_id))


# --- Schedule -----------------------------------------------------------------------------


def schedule_of(doctor: Doctor, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "resourceType": "Schedule",
        "id": str(doctor.pk),
        "meta": meta(doctor),
        "active": doctor.user.is_active,
        "specialty": [specialty_concept(found) for found in doctor.specializations.all()],
        "actor": [
            reference("Practitioner", doctor.pk, doctor.user.full_name),
            reference("PractitionerRole", doctor.pk),
        ],
        "planningHorizon": {
            "start": instant(now),
            "end": instant(now + timedelta(days=doctor.booking_horizon_days)),
        },
        "comment": "Free and busy times of this doctor's bookable visits.",
    }


def schedule_search(actor, request: SearchRequest) -> Page:
    rows = ids_filter(doctor_list(), request)
    for ids in _doctor_ids(request, "actor", "Practitioner"):
        rows = rows.filter(pk__in=ids)
    rows = specialty_filter(rows, request, "specializations__slug")
    now = timezone.now()
    return queryset_page(rows, request, lambda doctor: schedule_of(doctor, now))


def schedule_read(actor, resource_id: str) -> dict:
    return schedule_of(_doctor("Schedule", resource_id))


# --- Slot ---------------------------------------------------------------------------------

SLOT_STATUSES = ("free", "busy")
DEFAULT_SLOT_DAYS = 7


def slot_id(doctor_id: UUID, start: datetime) -> str:
    """Stable: the doctor and the slot's start in UTC to the minute."""
    return f"{doctor_id}-{start.astimezone(UTC):%Y%m%d%H%M}"


def _parse_slot_id(resource_id: str) -> tuple[UUID, datetime] | None:
    doctor_part, _, start_part = resource_id.rpartition("-")
    doctor_id = uuid_or_none(doctor_part)
    try:
        start = datetime.strptime(start_part, "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        return None
    return (doctor_id, start) if doctor_id is not None else None


def _slot_key(doctor_id: UUID, start: datetime) -> tuple[datetime, str]:
    """How slots are ordered, and where a page of them ends: by start, then doctor."""
    return (start, str(doctor_id))


def slot_of(doctor_id: UUID, slot: Slot, status: str) -> dict:
    return {
        "resourceType": "Slot",
        "id": slot_id(doctor_id, slot.start),
        "schedule": reference("Schedule", doctor_id),
        "status": status,
        "start": instant(slot.start),
        "end": instant(slot.end),
    }


def _slots(
    doctors: list[Doctor], lower: datetime, upper: datetime, statuses: set[str]
) -> list[tuple[UUID, Slot, str]]:
    """The doctors' slots that start in [lower, upper): free ones, and busy ones (a slot of the
    timetable that a booking holds), in two runs of the slot engine over the same inputs."""
    if not doctors:
        return []
    now = timezone.now()
    zones = {rules_for(doctor).timezone for doctor in doctors}
    first_day = min(lower.astimezone(zone).date() for zone in zones)
    last_day = max((upper - timedelta(microseconds=1)).astimezone(zone).date() for zone in zones)
    if (last_day - first_day).days + 1 > MAX_SLOT_RANGE_DAYS:
        raise bad_search(f"Search slots over at most {MAX_SLOT_RANGE_DAYS - 2} days at a time.")
    args = {"doctors": doctors, "first_day": first_day, "last_day": last_day, "now": now}
    free = doctors_free_slots(**args, busy=held_spans)
    found: list[tuple[UUID, Slot, str]] = []
    if "busy" in statuses:
        grid = doctors_free_slots(**args, busy=None)
        for doctor_id, slots in grid.items():
            open_starts = {slot.start for slot in free.get(doctor_id, [])}
            found += [(doctor_id, s, "busy") for s in slots if s.start not in open_starts]
    if "free" in statuses:
        found += [(doctor_id, s, "free") for doctor_id, slots in free.items() for s in slots]
    found = [item for item in found if lower <= item[1].start < upper]
    found.sort(key=lambda item: _slot_key(item[0], item[1].start))
    return found


def slot_search(actor, request: SearchRequest) -> Page:
    """Free and busy slots, computed now. Pages follow the slots' order (start, then doctor):
    the next page starts after the last slot shown (`_cursor`), so that a slot that passes
    the booking notice between two pages moves nothing; the window the first page chose is
    pinned in the links."""
    rows = doctor_list().prefetch_related(None)
    for ids in _doctor_ids(request, "schedule", "Schedule"):
        rows = rows.filter(pk__in=ids)
    rows = specialty_filter(rows, request, "specializations__slug")
    statuses = set(SLOT_STATUSES)
    for alternatives in request.any_of("status"):
        if set(alternatives) - set(SLOT_STATUSES):
            raise bad_search(f"status: a slot here is {' or '.join(SLOT_STATUSES)}.")
        statuses &= set(alternatives)
    if request.offset:
        raise bad_search("Slot searches page with the next link (_cursor), not _offset.")
    asked_lower, asked_upper = instant_range(date_bounds(request, "start"))
    now = timezone.now()
    lower = max(asked_lower or now, now - timedelta(days=1))
    upper = asked_upper or max(lower, now) + timedelta(days=DEFAULT_SLOT_DAYS)
    pinned = [] if asked_upper else [("start", f"lt{instant(upper)}")]
    after = _cursor_key(request.cursor)
    found = _slots(list(rows), lower, upper, statuses) if upper > lower else []
    total = len(found)
    if after is not None:
        found = [item for item in found if _slot_key(item[0], item[1].start) > after]
    shown = found[: request.count]
    next_cursor = None
    if request.count and len(found) > request.count:
        last_doctor, last_slot, _ = shown[-1]
        next_cursor = slot_id(last_doctor, last_slot.start)
    return Page(
        [slot_of(*item) for item in shown], total, request, next_cursor=next_cursor, pinned=pinned
    )


def _cursor_key(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    parsed = _parse_slot_id(cursor)
    if parsed is None:
        raise bad_search("_cursor is the id of the last slot of a page (from a next link).")
    return _slot_key(*parsed)


def slot_read(actor, resource_id: str) -> dict:
    parsed = _parse_slot_id(resource_id)
    if parsed is None:
        raise not_found("Slot", resource_id)
    doctor_id, start = parsed
    doctors = list(doctor_list().prefetch_related(None).filter(pk=doctor_id))
    try:
        found = _slots(doctors, start, start + timedelta(minutes=1), set(SLOT_STATUSES))
    except ValidationFailed as exc:
        raise not_found("Slot", resource_id) from exc
    if not found:
        raise not_found("Slot", resource_id)
    return slot_of(*found[0])


SPECIALTY_PARAM = SearchParam(
    "specialty",
    "token",
    f"A specialty: the portal's code ({SPECIALTY_SYSTEM}|cardiology) or SNOMED CT's.",
)

PRACTITIONER = ResourceType(
    name="Practitioner",
    documentation="The clinic's doctors (public directory).",
    params=(
        ID_PARAM,
        SearchParam("name", "string", "Words of the doctor's name (any case, any accents)."),
        SearchParam("identifier", "token", f"The licence number ({LICENCE_SYSTEM})."),
    ),
    search=practitioner_search,
    read=practitioner_read,
    public=True,
)
PRACTITIONER_ROLE = ResourceType(
    name="PractitionerRole",
    documentation="Each doctor's role at the clinic, with their specialties (public).",
    params=(
        ID_PARAM,
        SearchParam("practitioner", "reference", "The doctor: Practitioner/<id>."),
        SPECIALTY_PARAM,
    ),
    search=practitioner_role_search,
    read=practitioner_role_read,
    public=True,
)
SCHEDULE = ResourceType(
    name="Schedule",
    documentation="One schedule per doctor; its slots are computed from the doctor's timetable.",
    params=(
        ID_PARAM,
        SearchParam("actor", "reference", "The doctor: Practitioner/<id>."),
        SPECIALTY_PARAM,
    ),
    search=schedule_search,
    read=schedule_read,
    public=True,
)
SLOT = ResourceType(
    name="Slot",
    documentation=(
        "Bookable visits, free or busy, computed on each request (ids are stable: doctor and "
        f"start). A search covers {DEFAULT_SLOT_DAYS} days from its start (now, unless `start` "
        "says otherwise), and at most 60; pages follow the next link (_cursor)."
    ),
    params=(
        SearchParam("schedule", "reference", "The doctor's schedule: Schedule/<id>."),
        SearchParam("start", "date", "When the slot starts: prefixes eq, ge, gt, le, lt."),
        SearchParam("status", "token", "free or busy."),
        SPECIALTY_PARAM,
    ),
    search=slot_search,
    read=slot_read,
    public=True,
)
