"""One access-log row for each page of a list of children's records the API answers."""

from __future__ import annotations

from collections.abc import Iterable

from shortbreaks.accesslog.services import access_log_record_list

# The cursor says where a page starts, not what was asked for; it would only crowd out the ids.
NOT_FILTERS = {"cursor"}


def log_page(request, rows: Iterable, *, object_type: str) -> None:
    """The filters given (the query string's, but the cursor) and the ids of `rows`, the page
    shown, in one row written in the request's transaction."""
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type=object_type,
        ids=[row.pk for row in rows],
        filters={
            name: value for name, value in request.query_params.items() if name not in NOT_FILTERS
        },
    )
