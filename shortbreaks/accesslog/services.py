"""The one helper that writes the access log. Every view that reads or changes a record calls it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.db.models import Model

from shortbreaks.accesslog.models import AccessLogEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    actor,
    action: str,
    outcome: str = "allowed",
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    request=None,
    council=None,
) -> AccessLogEntry:
    """Write one row in the caller's transaction.

    `obj` names the record (its model label and primary key); `object_type` and `object_id` are
    for what has no row (a refused id, a page). The council defaults to the actor's active one,
    or the record's own.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Ids, not rows: the council need not be read to be named.
    council_id = getattr(council, "pk", council)
    if council_id is None and user is not None:
        council_id = user.active_council_id
    if council_id is None and obj is not None:
        council_id = getattr(obj, "council_id", None)
    return AccessLogEntry.objects.create(
        council_id=council_id,
        user=user,
        username=user.get_username() if user else "",
        roles=",".join(sorted(user.active_roles)) if user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        ip_address=client_ip(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        outcome=outcome,
    )


# ----------------------------------------------------------------------------------------------
# Lists and searches: one row per response, with the filters given and the ids returned

LIST = "list"
SEARCH = "search"
# A list downloaded as CSV or Excel (shortbreaks.exports): every row its filters kept.
EXPORT = "export"
LIST_ACTIONS = {LIST: "Listed", SEARCH: "Searched", EXPORT: "Exported"}
IDS = "ids"
PATH_LENGTH = 500  # AccessLogEntry.path
FILTER_LENGTH = 100  # each filter's value, as recorded
QUERY_LENGTH = 200  # all the filters
MORE = "%2B"  # "+", escaped: then "+N" says N more ids were shown than the row holds


@dataclass(frozen=True)
class Listing:
    """What a list or search row records, read back from it."""

    label: str
    path: str
    filters: list[tuple[str, str]]
    ids: list[int]
    unrecorded: int  # ids that did not fit in the row (see `listing_path`)


def listing_path(path: str, filters: Mapping[str, object], ids: Sequence[int]) -> str:
    """`path?<filters>&ids=1,2,3` in at most PATH_LENGTH characters.

    The row has no column of its own for the ids yet, so they go where the address's query string
    would: the filters first (each value cut to FILTER_LENGTH, all of them to QUERY_LENGTH), then
    every id that fits and, when some do not, `+N` (escaped) for how many were left out, so a row
    never looks complete when it is not. About 45 ids of 7 digits fit beside a long search.
    """
    pairs = [
        (str(name), str(value)[:FILTER_LENGTH])
        for name, value in filters.items()
        if name != IDS and value not in (None, "", [], ())
    ]
    query = ""
    for name, value in pairs:
        # What does not fit is cut short, so a long search still shows how it began.
        while value:
            longer = "&".join(filter(None, [query, urlencode([(name, value)])]))
            if len(longer) <= QUERY_LENGTH:
                query = longer
                break
            value = value[:-1]
    head = f"{path[:100]}?{query}{'&' if query else ''}{IDS}="
    texts = [str(pk) for pk in ids]
    if len(head) + len(",".join(texts)) <= PATH_LENGTH:
        return head + ",".join(texts)
    kept: list[str] = []
    for index, text in enumerate(texts):
        if (
            len(head) + len(",".join([*kept, text, f"{MORE}{len(texts) - index - 1}"]))
            > PATH_LENGTH
        ):
            break
        kept.append(text)
    return head + ",".join([*kept, f"{MORE}{len(texts) - len(kept)}"])


def listing(entry: AccessLogEntry) -> Listing | None:
    """The filters and ids of a list or search row; None for any other row."""
    if entry.action not in LIST_ACTIONS:
        return None
    path, _, query = entry.path.partition("?")
    filters: list[tuple[str, str]] = []
    ids: list[int] = []
    unrecorded = 0
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name != IDS:
            filters.append((name, value))
            continue
        for part in value.split(","):
            if part.startswith("+") and part[1:].isdigit():
                unrecorded = int(part[1:])
            elif part.isdigit():
                ids.append(int(part))
    return Listing(LIST_ACTIONS[entry.action], path, filters, ids, unrecorded)


class _Listed:
    """The request as a list row records it: its client, and `listing_path` as its address."""

    def __init__(self, request, path: str):
        self.META = getattr(request, "META", {})
        self._path = path

    def get_full_path(self) -> str:
        return self._path


def access_log_record_list(
    *,
    actor,
    request,
    object_type: str,
    ids: Sequence[int],
    filters: Mapping[str, object] | None = None,
    action: str = LIST,
) -> AccessLogEntry:
    """Write the one row of a list or search response, in the caller's transaction.

    `object_type` names what the ids are (`referrals.child`); `filters` are what was asked (the
    search terms included: they are how a manager sees what someone looked for), `ids` what was
    shown, in order. When exactly one record was shown its id is also the row's `object_id`, so
    a search that found one child is found under that child in the log's own filter.
    """
    if action not in LIST_ACTIONS:
        raise ValueError(f"{action!r} is not a list action")
    ids = list(ids)
    path = request.path if request is not None else ""
    return access_log_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=ids[0] if len(ids) == 1 else "",
        request=_Listed(request, listing_path(path, filters or {}, ids)),
    )
