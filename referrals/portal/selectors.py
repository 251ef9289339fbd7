"""What provider staff may read of children: only those whose support was awarded to their
provider, and only what delivering it needs.

A child is "supported" by a provider while a package line with that provider, in a package the
panel approved (or running), has not ended. The provider then reads the child's first name, age,
a summary of needs (the child's recorded disabilities), communication needs and an emergency
contact (the first carer recorded): `SupportedChild`, never the child's record. Every list and
view of them writes the access log (the pages and API do it, as for staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from providers.selectors import provider_for
from referrals.models import Carer, Child, PackageLine, PackageStatus
from shortbreaks.councils.selectors import get_or_not_found, scoped

SUPPORTING_PACKAGES = (PackageStatus.APPROVED, PackageStatus.ACTIVE)


@dataclass(frozen=True)
class SupportedChild:
    """Exactly what a provider sees of a child it supports."""

    id: int
    first_name: str
    age: int
    needs_summary: str
    communication_needs: str
    emergency_contact: str


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _emergency_contact(child: Child) -> str:
    carers = list(child.carers.all())
    if not carers:
        return ""
    first = carers[0]
    parts = [f"{first.name} ({first.relationship})" if first.relationship else first.name]
    if first.contact:
        parts.append(first.contact)
    return ", ".join(parts)


def supported_child(child: Child, *, today: date | None = None) -> SupportedChild:
    today = today or timezone.localdate()
    return SupportedChild(
        id=child.pk,
        first_name=child.first_name,
        age=_age(child.date_of_birth, today),
        needs_summary=child.get_disabilities_display(),
        communication_needs=child.communication_needs,
        emergency_contact=_emergency_contact(child),
    )


def supported_children(*, actor, today: date | None = None) -> QuerySet[Child]:
    """The children of the actor's council with a live line awarded to the actor's provider, by
    first name; none for anyone who acts for no provider. Carers come prefetched, in order."""
    provider = provider_for(actor)
    if provider is None:
        return Child.objects.none()
    today = today or timezone.localdate()
    awarded = PackageLine.objects.filter(
        package__child=OuterRef("pk"),
        provider=provider,
        package__status__in=SUPPORTING_PACKAGES,
    ).filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
    return (
        scoped(Child.objects.filter(Exists(awarded), merged_into__isnull=True), actor=actor)
        .only("id", "first_name", "date_of_birth", "disabilities", "communication_needs")
        .prefetch_related(Prefetch("carers", queryset=Carer.objects.order_by("id")))
        .order_by("first_name", "id")
    )


def access_supported_child_by_id(*, actor, child_id, today: date | None = None) -> Child:
    """A child the actor's provider supports; any other child, of this council or another, is
    not found, exactly as a missing one."""
    return get_or_not_found(supported_children(actor=actor, today=today), pk=child_id)
