from dataclasses import dataclass

from rest_framework import serializers
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class NewestFirstCursorPagination(CursorPagination):
    """Cursor pages never count the table, so they stay fast on a log of millions of rows."""

    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NumberedPagePagination(BasePagination):
    """Numbered pages (`?page=2`) that never count the table: a page fetches one row more than it
    shows to know whether there is a next. For lists ordered by a name, where a cursor would carry
    that name in the address (a cursor holds the last row's first ordering value)."""

    page_size = 50
    max_page_size = 200
    max_page = 10_000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page, self.size = page_and_size(
            request.query_params, default_size=self.page_size, max_size=self.max_page_size
        )
        offset = (self.page - 1) * self.size
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    def _link(self, page: int) -> str:
        url = self.request.build_absolute_uri()
        return (
            replace_query_param(url, "page", page) if page > 1 else remove_query_param(url, "page")
        )

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page + 1) if self.has_next else None,
                "previous": self._link(self.page - 1) if self.page > 1 else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "The page, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Rows a page, at most {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def page_and_size(params, *, default_size: int = 50, max_size: int = 200) -> tuple[int, int]:
    """`page` and `page_size` from a query string or a body; a 400 with field messages when they
    are not whole numbers from 1."""
    values = _PageSerializer(
        data={name: params[name] for name in ("page", "page_size") if name in params}
    )
    values.is_valid(raise_exception=True)
    # More than the most is the most, as DRF's own pages answer.
    size = min(values.validated_data.get("page_size", default_size), max_size)
    return values.validated_data.get("page", 1), size


class _PageSerializer(serializers.Serializer):
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=NumberedPagePagination.max_page
    )
    page_size = serializers.IntegerField(required=False, min_value=1)


# ----------------------------------------------------------------------------------------------
# Numbered pages for the pages people read (GOV.UK pagination: previous and next)

PAGE_SIZE = 50


@dataclass(frozen=True)
class NumberedPage:
    """One page of a list, and whether another follows, found without counting the list: the
    page reads one row more than it shows."""

    rows: list
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def page_number(value) -> int:
    """The page an address asks for (`?page=2`); anything that is not a page number is page 1,
    as a hand-edited address should not be an error page."""
    text = str(value or "")
    return int(text) if text.isdigit() and 0 < int(text) <= NumberedPagePagination.max_page else 1


def numbered_page(rows, *, number: int, size: int = PAGE_SIZE) -> NumberedPage:
    """Page `number` of `rows` (a queryset, sliced in SQL, or a list)."""
    offset = (number - 1) * size
    fetched = list(rows[offset : offset + size + 1])
    return NumberedPage(rows=fetched[:size], number=number, size=size, has_next=len(fetched) > size)


def page_links(request, page: NumberedPage, param: str = "page") -> dict[str, str | None]:
    """The API's `next` and `previous` addresses for a numbered page."""
    url = request.build_absolute_uri()

    def link(number: int) -> str:
        return (
            replace_query_param(url, param, number)
            if number > 1
            else remove_query_param(url, param)
        )

    return {
        "next": link(page.next_number) if page.has_next else None,
        "previous": link(page.previous_number) if page.has_previous else None,
    }
