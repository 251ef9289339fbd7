"""Reads only Open Referral needs: published services at each place, and the providers offering
them. Like every public read, they take the council named in the URL and show only services of
providers the council has not suspended or exited (see `statements.selectors`)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from providers.models import Provider, ProviderStatus, Service, ServiceLocation
from shortbreaks.councils.models import Council
from shortbreaks.search import by_relevance, trigram_search
from statements.selectors import public_service_list


def public_service_location_list(*, council: Council, **filters) -> QuerySet[ServiceLocation]:
    """Each published service at each place it runs, filtered as `public_service_list`."""
    services = public_service_list(council=council, **filters)
    return (
        ServiceLocation.objects.filter(council=council, service__in=services.values("pk"))
        .select_related("service__provider", "location")
        .order_by("service__title", "service_id", "location__name", "id")
    )


def public_organization_list(*, council: Council, search: str = "") -> QuerySet[Provider]:
    """The providers whose services the council publishes (active, offering at least one)."""
    providers = trigram_search(
        Provider.objects.filter(council=council, status=ProviderStatus.ACTIVE).filter(
            Exists(Service.objects.filter(provider=OuterRef("pk")))
        ),
        search,
        names=("name",),
    )
    return by_relevance(providers, "name", "id")
