"""One search box for the council's staff: children, referrals, providers, services and contracts
in one answer, grouped by kind, each group only for those whose role may read it (a commissioner
finds no child, a social worker no contract).

The core knows no domain app, so each app registers the kinds of record it can be searched for
when it starts (`AppConfig.ready`): a `SearchSource` names its permission and the app's own list
selector, which already scopes to the person's council and searches its indexed columns
(shortbreaks.search). Each group is one query of at most GROUP_SIZE + 1 rows, so a search costs
the same whatever the council holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from shortbreaks.search import clean

GROUP_SIZE = 10


@dataclass(frozen=True)
class SearchSource:
    """`find(actor=, search=)` gives the actor's matches, best first, as a queryset. `order`
    places the group on the page; `logged_as` is the access log's object type when the rows are
    children's records (each group found is logged as a search)."""

    key: str
    heading: str
    permission: str
    order: int
    find: Callable
    logged_as: str = ""


_SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    _SOURCES[source.key] = source


@dataclass
class SearchGroup:
    key: str
    heading: str
    rows: list = field(default_factory=list)
    # More matched than are shown: the person narrows the search or opens the list.
    more: bool = False
    # The access log's object type when the rows are children's records.
    logged_as: str = ""


def _group(key: str, heading: str, queryset, *, logged_as: str = "") -> SearchGroup:
    rows = list(queryset[: GROUP_SIZE + 1])
    return SearchGroup(
        key, heading, rows[:GROUP_SIZE], more=len(rows) > GROUP_SIZE, logged_as=logged_as
    )


def site_search(*, actor, search: str) -> list[SearchGroup]:
    """The groups this person may see for `search`, in a fixed order; none for a blank search."""
    search = clean(search)
    if not search or not actor.is_authenticated:
        return []
    return [
        _group(
            source.key,
            source.heading,
            source.find(actor=actor, search=search),
            logged_as=source.logged_as,
        )
        for source in sorted(_SOURCES.values(), key=lambda source: source.order)
        if actor.has_perm(source.permission)
    ]
