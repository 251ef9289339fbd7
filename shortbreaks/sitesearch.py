"""One search box for the council's staff: children, referrals, providers, services and contracts
in one answer, grouped by kind, each group only for those whose role may read it (a commissioner
finds no child, a social worker no contract).

Part of the composition root: it asks each app's own list selector, which already scopes to the
person's council and searches its indexed columns (shortbreaks.search). Each group is one query
of at most GROUP_SIZE + 1 rows, so a search costs the same whatever the council holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shortbreaks.search import clean

GROUP_SIZE = 10
VIEW_CHILD = "referrals.view_child"


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
    from contracts.selectors import contract_list
    from providers.selectors import provider_list, service_list
    from referrals.selectors import child_list, referral_search

    search = clean(search)
    if not search or not actor.is_authenticated:
        return []
    groups = []
    if actor.has_perm(VIEW_CHILD):
        groups.append(
            _group(
                "children",
                "Children",
                child_list(actor=actor, search=search),
                logged_as="referrals.child",
            )
        )
        groups.append(
            _group(
                "referrals",
                "Referrals",
                referral_search(actor=actor, search=search),
                logged_as="referrals.referral",
            )
        )
    if actor.has_perm("providers.view_provider"):
        groups.append(_group("providers", "Providers", provider_list(actor=actor, search=search)))
        groups.append(
            _group(
                "services",
                "Services",
                service_list(actor=actor, search=search).select_related("provider"),
            )
        )
    if actor.has_perm("contracts.view_contract"):
        groups.append(_group("contracts", "Contracts", contract_list(actor=actor, search=search)))
    return groups
