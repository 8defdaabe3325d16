"""What every server-rendered page shares: a service's error lands next to the field it concerns,
and the API's rate limits hold on the pages too."""

import math

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest

from core.api.throttles import FailOpenScopedRateThrottle
from core.exceptions import ServiceError

TOO_MANY = "Too many attempts from here. Try again in {minutes} minute{plural}."


def add_service_error(
    form: forms.Form, error: ServiceError, *, field_map: dict | None = None
) -> None:
    """Put a service's error on the form: each field error next to its field (renamed through
    `field_map` where the form calls it otherwise), and the error's message at the top of the
    form when it concerns no field the form has."""
    field_map = field_map or {}
    placed = unplaced = False
    for name, messages in error.fields.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            unplaced = True  # e.g. the state it is in: the message says it in words
            continue
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(target, str(message))
            placed = True
    if unplaced or not placed:
        form.add_error(None, error.message)


class _ThrottleScope:
    """What DRF's scoped throttle reads from the view it guards."""

    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def throttled(request: HttpRequest, scope: str) -> str:
    """The API's rate limit of `scope` (same counter, same rate), applied to a page: the
    message to show when it is exceeded, else ''."""
    throttle = FailOpenScopedRateThrottle()
    if throttle.allow_request(request, _ThrottleScope(scope)):
        return ""
    minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
    return TOO_MANY.format(minutes=minutes, plural="" if minutes == 1 else "s")


def filtered_page(request: HttpRequest, filterset_class, queryset, *, page_size: int, fixed=None):
    """A list page's filters (the API's filterset, read from the query string, with `fixed`
    values the page decides) and the page of rows asked for: (filters, page). Invalid filters
    show their errors and no rows."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in (fixed or {}).items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    filters = filterset_class(query, queryset=queryset)
    rows = filters.qs if filters.is_valid() else filters.queryset.none()
    return filters, Paginator(rows, page_size).get_page(request.GET.get("page"))
