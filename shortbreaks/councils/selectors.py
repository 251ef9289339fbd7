"""Reads about councils and people, scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Council, Membership, Organisation, Team, User
from shortbreaks.pagination import PAGE_SIZE, NumberedPage, numbered_page


def scoped(queryset: QuerySet, *, actor: User) -> QuerySet:
    """The rows of a council-owned queryset that belong to the actor's active council."""
    return queryset.for_council(actor.active_council if actor.is_authenticated else None)


def access_by_id(queryset: QuerySet, *, actor: User, pk) -> Model:
    """Fetch-and-authorise in one call: the actor's council's row, else `RecordNotFound`.

    "Missing" and "another council's" raise the same error, so an id reveals nothing.
    """
    return get_or_not_found(scoped(queryset, actor=actor), pk=pk)


def get_or_not_found(queryset: QuerySet, *, pk) -> Model:
    """The row with this id in an already-scoped queryset, else `RecordNotFound`."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise RecordNotFound(object_type=queryset.model._meta.label_lower, object_id=pk) from None


def councils_for_user(*, user: User) -> QuerySet[Council]:
    return Council.objects.filter(membership__user=user).distinct().order_by("name")


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("council", "organisation", "team")


def organisation_list(*, actor: User) -> QuerySet[Organisation]:
    return scoped(Organisation.objects.all(), actor=actor).order_by("name")


def team_list(*, actor: User) -> QuerySet[Team]:
    return scoped(Team.objects.select_related("organisation"), actor=actor).order_by("name")


def access_team_by_id(*, actor: User, team_id) -> Team:
    return access_by_id(Team.objects.select_related("organisation"), actor=actor, pk=team_id)


def colleagues_list(*, actor: User) -> QuerySet[Membership]:
    return scoped(
        Membership.objects.select_related("user", "team", "organisation"), actor=actor
    ).order_by("user__last_name", "user__first_name", "role")


def colleagues_page(*, actor: User, page: int = 1, size: int = PAGE_SIZE) -> NumberedPage:
    """One page of `colleagues_list` (by name, then role; ties by when they joined), read
    without counting the council's people."""
    return numbered_page(
        colleagues_list(actor=actor).order_by("user__last_name", "user__first_name", "role", "pk"),
        number=page,
        size=size,
    )


def team_members(*, actor: User, team: Team) -> QuerySet[Membership]:
    return colleagues_list(actor=actor).filter(team=team)
