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
RESULT_PARAMETERS = ("_count", "_offset", "_format")


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
    for name, value in query:
        if name in RESULT_PARAMETERS:
            if name == "_count":
                request.count = _bounded_int(name, value, 0, MAX_COUNT)
            elif name == "_offset":
                request.offset = _bounded_int(name, value, 0, 10**9)
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


def _bounded_int(name: str, value: str, low: int, high: int) -> int:
    if not re.fullmatch(r"[0-9]{1,10}", value or ""):
        raise bad_search(f"{name} is a whole number from {low} to {high}.")
    number = int(value)
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
    """`system|code`, `|code` or `code` -> (system or None, code)."""
    if "|" in value:
        system, _, code = value.partition("|")
        return system or None, code
    return None, value


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
        raise bad_search(f"{name}: {text!r} is not a FHIR date (e.g. 2026-03-08 or ge2026-03-08).")
    parts = match.groupdict()
    try:
        return _span(prefix, parts)
    except ValueError as exc:
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
    """One page of a search: its resources, the total, and where the next and previous are."""

    resources: list[dict]
    total: int
    request: SearchRequest


def page_of(items: Sequence[Any], request: SearchRequest) -> list[Any]:
    return list(items[request.offset : request.offset + request.count])


def page_links(url: str, page: Page) -> list[dict]:
    """self, first, and next/previous where they exist: the same query with another offset."""
    base = [(name, value) for name, value in page.request.query if name not in ("_offset",)]
    if not any(name == "_count" for name, _ in base):
        base.append(("_count", str(page.request.count)))

    def link(relation: str, offset: int) -> dict:
        query = urlencode([*base, ("_offset", str(offset))])
        return {"relation": relation, "url": f"{url}?{query}"}

    count, offset = page.request.count, page.request.offset
    links = [link("self", offset), link("first", 0)]
    if count and offset + count < page.total:
        links.append(link("next", offset + count))
    if count and offset > 0:
        links.append(link("previous", max(0, offset - count)))
    return links
