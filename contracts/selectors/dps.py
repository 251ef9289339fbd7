"""Reads of dynamic purchasing systems and their memberships."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from contracts.models import (
    DPS,
    DPSMembership,
    DPSMembershipEvent,
    MembershipStatus,
)
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.selectors import access_by_id, scoped

TO_ASSESS = (MembershipStatus.APPLIED, MembershipStatus.UNDER_ASSESSMENT)


def dps_list(*, actor, to_assess: bool = False) -> QuerySet[DPS]:
    """The council's DPSs; with `to_assess`, only those holding an application not yet decided
    (the work tray's "DPS applications to assess" leads here)."""
    systems = scoped(DPS.objects.all(), actor=actor)
    if to_assess:
        systems = systems.filter(
            Exists(DPSMembership.objects.filter(dps=OuterRef("pk"), status__in=TO_ASSESS))
        )
    return systems


def access_dps_by_id(*, actor, dps_id) -> DPS:
    return access_by_id(DPS.objects.all(), actor=actor, pk=dps_id)


def dps_membership_list(*, actor, dps: DPS) -> QuerySet[DPSMembership]:
    return scoped(
        DPSMembership.objects.filter(dps=dps).select_related("provider").prefetch_related("events"),
        actor=actor,
    )


def access_dps_membership_by_id(*, actor, membership_id) -> DPSMembership:
    return access_by_id(
        DPSMembership.objects.select_related("dps", "provider"), actor=actor, pk=membership_id
    )


def dps_with_member_counts(queryset: QuerySet[DPS]) -> QuerySet[DPS]:
    """Count each DPS's members by status in the same query (`count_<status>`)."""
    return queryset.annotate(
        **{
            f"count_{status}": Count("memberships", filter=Q(memberships__status=status))
            for status in MembershipStatus.values
        }
    )


def dps_membership_of(*, actor, dps: DPS, membership_id) -> DPSMembership:
    """The membership with this id on this DPS; any other answers the same not-found."""
    membership = access_dps_membership_by_id(actor=actor, membership_id=membership_id)
    if membership.dps_id != dps.pk:
        raise RecordNotFound(object_type=DPSMembership._meta.label_lower, object_id=membership_id)
    return membership


def dps_applications_to_assess_count(*, actor) -> int:
    """The council's DPS applications not yet decided: applied or under assessment."""
    return scoped(DPSMembership.objects.all(), actor=actor).filter(status__in=TO_ASSESS).count()


# ----------------------------------------------------------------------------------------------
# Reads the pages and the API share


def dps_membership_events_prefetch() -> Prefetch:
    """A membership's history, each change with who made it."""
    return Prefetch("events", queryset=DPSMembershipEvent.objects.select_related("actor"))


def dps_membership_history(*, membership: DPSMembership) -> QuerySet[DPSMembershipEvent]:
    return (
        DPSMembershipEvent.objects.filter(membership=membership)
        .select_related("actor")
        .order_by("on", "id")
    )


def dps_membership_with_history(*, membership_id) -> DPSMembership:
    """A membership with its history, read fresh after a change."""
    return DPSMembership.objects.prefetch_related(dps_membership_events_prefetch()).get(
        pk=membership_id
    )
