"""What every resource type of the FHIR API has: its search parameters, a search and a read.
The views, the routes and the CapabilityStatement are all built from `RESOURCE_TYPES`, so that
what the server says it supports cannot drift from what it does."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from interop.errors import FhirError, bad_search
from interop.search import Page, SearchParam, SearchRequest, uuid_or_none

Actor = Any  # the signed-in user, or an anonymous one for public resources
Search = Callable[[Actor, SearchRequest], Page]
Read = Callable[[Actor, str], dict]

ID_PARAM = SearchParam("_id", "token", "The resource's id (commas: any of them).", "Resource-id")


@dataclass(frozen=True)
class ResourceType:
    name: str
    documentation: str
    params: tuple[SearchParam, ...]
    search: Search
    read: Read
    # Readable without signing in (the public doctor directory and its free slots).
    public: bool = False

    def param(self, name: str) -> SearchParam:
        return next(param for param in self.params if param.name == name)


def not_found(resource_type: str, resource_id: str) -> FhirError:
    return FhirError(404, f"{resource_type}/{resource_id} is not known.")


def ids_filter(rows: QuerySet, request: SearchRequest, field: str = "pk") -> QuerySet:
    """`_id=a,b` keeps those rows; every occurrence narrows further."""
    for alternatives in request.any_of("_id"):
        ids = [found for found in map(uuid_or_none, alternatives) if found is not None]
        rows = rows.filter(**{f"{field}__in": ids})
    return rows


def queryset_page(
    rows: QuerySet, request: SearchRequest, to_resource: Callable[[Any], dict]
) -> Page:
    """A page of a search that maps one row to one resource: a count, then the page's rows.
    Rows of patients' data come from querysets read for showing, so fetching the page audits
    exactly the rows shown."""
    _offset_paged(request)
    total = rows.count()
    shown = list(rows[request.offset : request.offset + request.count]) if request.count else []
    return Page([to_resource(row) for row in shown], total, request)


def list_page(resources: list[dict], request: SearchRequest) -> Page:
    """A page of resources computed whole (rows that map to several resources)."""
    _offset_paged(request)
    end = request.offset + request.count
    return Page(resources[request.offset : end], len(resources), request)


def meta(row: Any) -> dict:
    return {"lastUpdated": row.updated_at.isoformat(timespec="seconds")}


def _offset_paged(request: SearchRequest) -> None:
    if request.cursor is not None:
        raise bad_search("_cursor pages Slot searches only; use _offset here.")
