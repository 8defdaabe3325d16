from functools import cached_property
from typing import Any

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        """The limits a client should know: pages count from 1; page_size is clamped to 100
        (and a value that is no positive whole number is ignored)."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = (
                    "A page number, from 1. A page past the last one answers 404."
                )
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page: {self.page_size} unless given, at most "
                    f"{self.max_page_size} (a larger value gives {self.max_page_size})."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters


# Counted in steps of this many rows past the page asked for: "more than 1,000" on the first
# pages, "more than 2,000" from the 1,000th row on, and so on.
COUNT_STEP = 1000
# Beyond any real table: a page number so large that its rows would lie past this answers 404
# without counting (and keeps the LIMIT of the count inside a 64-bit integer).
COUNT_CEILING = 10**12


class CountedUpToPaginator(Paginator):
    """A paginator that counts the rows only up to `limit`, the way `LIMIT` stops a scan: the
    count of a long list costs what `limit` rows cost, not what the table costs.

    `count` is exact when `exact`; otherwise there are more than `count` (= `limit`) rows, and
    `num_pages` is the pages of those (so the page asked for, below `limit`, has a next one)."""

    def __init__(self, object_list: QuerySet, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def _counted(self) -> int:
        # The order does not change how many rows there are: left out, no sort is paid for.
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def exact(self) -> bool:
        return self._counted <= self.limit


class CountedUpToPagination(PageNumberPagination):
    """Page numbers, as every list has them, for a list that can hold millions of rows (every
    appointment of the clinic): the count stops `COUNT_STEP` rows or fewer past the page asked
    for, so that a page costs what its position costs, not what the table holds. `count_exact`
    says whether `count` is the whole count or a lower bound ("more than 1,000")."""

    # The last page of a count that stops early is not known.
    last_page_strings = ()

    def paginate_queryset(self, queryset, request, view=None) -> list | None:
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        number = request.query_params.get(self.page_query_param) or 1
        paginator = CountedUpToPaginator(
            queryset, page_size, limit=self.count_limit(number, page_size)
        )
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=number, message=str(exc))
            ) from exc
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)

    @staticmethod
    def count_limit(number: Any, page_size: int) -> int:
        """Where counting stops for page `number`: the first multiple of COUNT_STEP past the
        page's last row, so that a full page always learns whether a next one exists."""
        try:
            last_row = int(number) * page_size
        except (TypeError, ValueError):
            last_row = 0  # not a page number: the paginator answers 404 for it
        return min((max(last_row, 0) // COUNT_STEP + 1) * COUNT_STEP, COUNT_CEILING)

    def get_paginated_response(self, data) -> Response:
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"] = {
            "type": "integer",
            "minimum": 0,
            "example": 1000,
            "description": (
                "How many results there are, counted up to the first multiple of "
                f"{COUNT_STEP} past this page: exact when `count_exact` is true, otherwise a "
                "lower bound (there are more than `count`)."
            ),
        }
        paginated["properties"] = {
            "count": properties.pop("count"),
            "count_exact": {
                "type": "boolean",
                "description": "Whether `count` is every result, or only where counting stopped.",
            },
            **properties,
        }
        paginated["required"] = ["count", "count_exact", "results"]
        return paginated
