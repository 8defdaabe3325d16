"""Search parameters as FHIR defines them: their types, date prefixes, and paging."""

import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings

from interop.errors import bad_search

DEFAULT_COUNT = 20
MAX_COUNT = 100
# Parameters that shape the answer rather than select rows; every search takes them.
RESULT_PARAMETERS = ("_count", "_offset", "_cursor", "_format")
# The dates a search may name: wide enough for any birth date or booking.
FIRST_YEAR, LAST_YEAR = 1800, 2200


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # FHIR search parameter type: token, reference, date, string
    documentation: str
    # The FHIR definition the parameter follows (for the CapabilityStatement).
    definition: str = ""


@dataclass
class SearchRequest:
    """The parameters of one search, after checking: each name maps to its values, one per
    occurrence in the query string (occurrences are ANDed, commas inside one are ORed)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    count: int = DEFAULT_COUNT
    offset: int = 0
    # Where a keyset-paged search (Slot) goes on from: the id of the last result seen.
    cursor: str | None = None
    # What the query string said, in order, to build the links of a page.
    query: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def single(self, name: str) -> str | None:
        """The value of a parameter that may appear once, with one value."""
        found = self.get(name)
        if not found:
            return None
        if len(found) > 1 or "," in found[0]:
            raise bad_search(f"Give {name} once, with one value.")
        return found[0]

    def any_of(self, name: str) -> list[list[str]]:
        """Each occurrence's comma-separated alternatives."""
        return [[part for part in value.split(",") if part] for value in self.get(name)]


def parse_search(
    query: Iterable[tuple[str, str]], params: Sequence[SearchParam], *, lenient: bool
) -> SearchRequest:
    """Check a query string against the parameters a resource supports. An unknown parameter
    (or a modifier, which no parameter here supports) answers 400 unless the client asked for
    lenient handling, when it is ignored."""
    known = {param.name for param in params}
    request = SearchRequest()
    seen: set[str] = set()
    for name, value in query:
        if "\x00" in name or "\x00" in value:
            raise bad_search("A search parameter cannot hold a NUL character.")
        if name in RESULT_PARAMETERS:
            if name in seen and not lenient:
                raise bad_search(f"Give {name} once.")
            seen.add(name)
            if name == "_count":
                request.count = _bounded_int(name, value, 0, MAX_COUNT, lenient=lenient)
            elif name == "_offset":
                request.offset = _bounded_int(name, value, 0, 10**9, lenient=False)
            elif name == "_cursor":
                request.cursor = value
            request.query.append((name, value))
            continue
        if name not in known:
            if lenient:
                continue
            raise bad_search(
                f"Unknown search parameter {name!r}. Supported: "
                f"{', '.join(sorted(known | set(RESULT_PARAMETERS)))}."
            )
        if not value:
            raise bad_search(f"Give {name} a value.")
        request.values.setdefault(name, []).append(value)
        request.query.append((name, value))
    return request


def _bounded_int(name: str, value: str, low: int, high: int, *, lenient: bool) -> int:
    """A whole number in [low, high]; with lenient handling, a larger one is taken as `high`
    (as FHIR servers cap a page size they will not serve)."""
    if not re.fullmatch(r"[0-9]{1,12}", value or ""):
        raise bad_search(f"{name} is a whole number from {low} to {high}.")
    number = int(value)
    if number > high and lenient:
        return high
    if not low <= number <= high:
        raise bad_search(f"{name} is a whole number from {low} to {high}.")
    return number


# --- reference and token values -----------------------------------------------------------


def reference_id(value: str, resource_type: str, *, name: str) -> str:
    """The id in a reference parameter: `Patient/abc`, an absolute URL ending so, or a bare id."""
    value = value.rstrip("/")
    if "/" in value:
        kind, _, found = value.rpartition("/")
        if kind.rpartition("/")[2] != resource_type:
            raise bad_search(f"{name} refers to a {resource_type}: {resource_type}/<id>.")
        value = found
    return value


def uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def token_code(value: str) -> tuple[str | None, str]:
    """`system|code` -> (system, code); `|code` (explicitly no system) -> ("", code); `code`
    (any system) -> (None, code)."""
    if "|" in value:
        system, _, code = value.partition("|")
        return system, code
    return None, value


def token_codes(values: list[str], system: str) -> list[str]:
    """The codes of a token parameter's values that name `system`, or no system at all: a
    value in another system (or explicitly in none) matches nothing here."""
    return [code for found, code in map(token_code, values) if found in (None, system)]


# --- dates --------------------------------------------------------------------------------

DATE_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
SUPPORTED_PREFIXES = ("eq", "gt", "lt", "ge", "le")
_DATE = re.compile(
    r"(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})"
    r"(T(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(\.\d+)?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?"
)


@dataclass(frozen=True)
class DateBound:
    """One date parameter value: a prefix and the span [start, end) its precision covers."""

    prefix: str
    start: datetime
    end: datetime

    def matches(self, instant: datetime) -> bool:
        if self.prefix == "eq":
            return self.start <= instant < self.end
        if self.prefix == "gt":
            return instant >= self.end
        if self.prefix == "ge":
            return instant >= self.start
        if self.prefix == "lt":
            return instant < self.start
        return instant < self.end  # le

    def lookups(self, field_name: str) -> dict[str, datetime]:
        """The same test as ORM lookups on a datetime column."""
        if self.prefix == "eq":
            return {f"{field_name}__gte": self.start, f"{field_name}__lt": self.end}
        if self.prefix == "gt":
            return {f"{field_name}__gte": self.end}
        if self.prefix == "ge":
            return {f"{field_name}__gte": self.start}
        if self.prefix == "lt":
            return {f"{field_name}__lt": self.start}
        return {f"{field_name}__lt": self.end}

    @property
    def lower(self) -> datetime | None:
        """The earliest instant this bound lets through (None: no lower limit)."""
        return {"eq": self.start, "ge": self.start, "gt": self.end}.get(self.prefix)

    @property
    def upper(self) -> datetime | None:
        """The first instant this bound keeps out (None: no upper limit)."""
        return {"eq": self.end, "lt": self.start, "le": self.end}.get(self.prefix)


def clinic_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.CLINIC_TIMEZONE)


def date_bound(value: str, *, name: str) -> DateBound:
    """`ge2026-03-08`, `lt2026-03-08T10:00:00-05:00`, `2026-03`: a value without a time zone
    is read on the clinic's clock (a date is that local day, however long: 23 or 25 hours on
    the day the clocks change)."""
    prefix = value[:2] if value[:2] in DATE_PREFIXES else "eq"
    text = value[2:] if value[:2] in DATE_PREFIXES else value
    if prefix not in SUPPORTED_PREFIXES:
        raise bad_search(f"{name}: the prefix {prefix!r} is not supported here.")
    match = _DATE.fullmatch(text)
    if match is None:
        hint = " (a '+' in a URL is written %2B)" if " " in text else ""
        raise bad_search(
            f"{name}: {text!r} is not a FHIR date (e.g. 2026-03-08 or ge2026-03-08){hint}."
        )
    parts = match.groupdict()
    if not FIRST_YEAR <= int(parts["year"]) <= LAST_YEAR:
        raise bad_search(f"{name}: give a date from {FIRST_YEAR} to {LAST_YEAR}.")
    try:
        return _span(prefix, parts)
    except (ValueError, OverflowError) as exc:
        raise bad_search(f"{name}: {text!r} is not a real date or time.") from exc


def _span(prefix: str, parts: dict[str, Any]) -> DateBound:
    year = int(parts["year"])
    zone = clinic_zone()
    if parts["month"] is None:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
        return DateBound(prefix, _local_midnight(first, zone), _local_midnight(after, zone))
    month = int(parts["month"])
    if parts["day"] is None:
        first = date(year, month, 1)
        after = date(year + (month == 12), month % 12 + 1, 1)
        return DateBound(prefix, _local_midnight(first, zone), _local_midnight(after, zone))
    day = date(year, month, int(parts["day"]))
    if parts["hour"] is None:
        after = day + timedelta(days=1)
        return DateBound(prefix, _local_midnight(day, zone), _local_midnight(after, zone))
    if parts["zone"] is not None:
        zone_text = "+00:00" if parts["zone"] == "Z" else parts["zone"]
        zone = datetime.strptime(zone_text.replace(":", ""), "%z").tzinfo
    second = int(parts["second"] or 0)
    start = datetime.combine(
        day, time(int(parts["hour"]), int(parts["minute"]), second), tzinfo=zone
    )
    # A time given to the second (or minute) covers that second (minute).
    length = timedelta(seconds=1) if parts["second"] is not None else timedelta(minutes=1)
    return DateBound(prefix, start, start + length)


def _local_midnight(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def date_bounds(request: SearchRequest, name: str) -> list[DateBound]:
    """Every value of a date parameter (ANDed); alternatives with commas are not supported."""
    bounds = []
    for value in request.get(name):
        if "," in value:
            raise bad_search(f"{name}: give one date per occurrence (repeat {name} to AND).")
        bounds.append(date_bound(value, name=name))
    return bounds


def instant_range(bounds: Sequence[DateBound]) -> tuple[datetime | None, datetime | None]:
    """The narrowest [lower, upper) that the bounds allow together."""
    lowers = [bound.lower for bound in bounds if bound.lower is not None]
    uppers = [bound.upper for bound in bounds if bound.upper is not None]
    return (max(lowers) if lowers else None, min(uppers) if uppers else None)


# --- paging -------------------------------------------------------------------------------


@dataclass
class Page:
    """One page of a search: its resources, the total, and where the next and previous are.
    A keyset-paged search sets `next_cursor` (the next page starts after it) and `pinned`
    (bounds it chose itself, that every page must share)."""

    resources: list[dict]
    total: int
    request: SearchRequest
    next_cursor: str | None = None
    pinned: list[tuple[str, str]] = field(default_factory=list)


def page_of(items: Sequence[Any], request: SearchRequest) -> list[Any]:
    return list(items[request.offset : request.offset + request.count])


def page_links(url: str, page: Page) -> list[dict]:
    """self, first, and next/previous/last where they exist: the same query with another
    offset, or (keyset paging) the cursor the next page starts after."""
    base = [
        (name, value)
        for name, value in [*page.request.query, *page.pinned]
        if name not in ("_offset", "_cursor")
    ]
    if not any(name == "_count" for name, _ in base):
        base.append(("_count", str(page.request.count)))

    def link(relation: str, *extra: tuple[str, str]) -> dict:
        return {"relation": relation, "url": f"{url}?{urlencode([*base, *extra])}"}

    count, offset, total = page.request.count, page.request.offset, page.total
    if page.request.cursor is not None or page.next_cursor is not None:
        itself = [("_cursor", page.request.cursor)] if page.request.cursor else []
        links = [link("self", *itself), link("first")]
        if page.next_cursor is not None:
            links.append(link("next", ("_cursor", page.next_cursor)))
        return links
    links = [link("self", ("_offset", str(offset))), link("first", ("_offset", "0"))]
    if count and offset + count < total:
        links.append(link("next", ("_offset", str(offset + count))))
    if count and offset > 0:
        previous = max(0, min(offset, total) - count)
        links.append(link("previous", ("_offset", str(previous))))
    if count and total:
        links.append(link("last", ("_offset", str((total - 1) // count * count))))
    return links
