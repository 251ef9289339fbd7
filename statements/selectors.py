"""Public reads: what a council offers parent carers, found by the council's slug in the URL.

These are the only reads without a signed-in actor. They give only what the council publishes
about its services (never a child, a contract's price terms or a provider's council-only status
notes), and only services of providers the council has not suspended or exited.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from providers.models import ProviderStatus, Service
from shortbreaks.councils.models import Council


def public_council(*, slug: str) -> Council:
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise Http404("No council with that name.")
    return council


def public_service_list(
    *,
    council: Council,
    search: str = "",
    tier: str = "",
    category: str = "",
    age: int | None = None,
    area: str = "",
    when: str = "",
    modified_after: datetime | None = None,
) -> QuerySet[Service]:
    """The council's services that parent carers can find, filtered as the directory asks."""
    services = Service.objects.filter(
        council=council, provider__status=ProviderStatus.ACTIVE
    ).select_related("provider")
    if search:
        services = services.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(provider__name__icontains=search)
        )
    if tier:
        services = services.filter(tier=tier)
    # The lists are matched as text (quoted values) so that SQLite and PostgreSQL agree.
    if category:
        services = services.filter(categories__icontains=f'"{category}"')
    if age is not None:
        services = services.filter(age_from__lte=age, age_to__gte=age)
    if area:
        services = services.filter(areas__icontains=area)
    if when:
        services = services.filter(when__icontains=f'"{when}"')
    if modified_after is not None:
        services = services.filter(updated_at__gt=modified_after)
    return services.order_by("title", "id")


def public_service(*, council: Council, service_id: int) -> Service:
    service = public_service_list(council=council).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service.")
    return service
