"""The children a children in need census return counts (referrals/census.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from referrals.census import NO_FURTHER_ACTION
from referrals.models import Assessment, Child, Referral
from shortbreaks.councils.selectors import scoped

CENSUS = "referrals.make_census_return"


def census_children(*, actor, start: date, reference_date: date) -> QuerySet[Child]:
    """The actor's council's children with a children in need episode open at any time from
    `start` to `reference_date` (`referrals.census.episode_in_year` says the same per referral),
    each with those episodes (`census_episodes`) and the assessments under way in the period
    (`census_assessments`): three queries however many children. Nothing for anyone who may not
    make the census return."""
    if not actor.is_authenticated or not actor.has_perm(CENSUS):
        return Child.objects.none()
    episodes = Referral.objects.filter(received_on__lte=reference_date).filter(
        Q(status__in=NO_FURTHER_ACTION, received_on__gte=start)
        | (~Q(status__in=NO_FURTHER_ACTION) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start)))
    )
    assessments = Assessment.objects.filter(started_on__lte=reference_date).filter(
        Q(authorised_on__isnull=True) | Q(authorised_on__gte=start)
    )
    return (
        scoped(Child.objects.all(), actor=actor)
        .filter(Exists(episodes.filter(child=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=episodes.order_by("received_on", "id"),
                to_attr="census_episodes",
            ),
            Prefetch(
                "assessments",
                queryset=assessments.order_by("started_on", "id"),
                to_attr="census_assessments",
            ),
        )
        .order_by("council_child_id", "id")
    )
