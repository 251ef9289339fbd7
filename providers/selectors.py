"""Reads of providers, registrations and services, scoped to the actor's active council."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from providers.models import Provider, Registration, Service
from shortbreaks.councils.selectors import access_by_id, scoped


def provider_list(*, actor, search: str = "", status: str = "") -> QuerySet[Provider]:
    providers = scoped(Provider.objects.all(), actor=actor).annotate(
        service_count=Count("services", distinct=True)
    )
    if search:
        providers = providers.filter(name__icontains=search)
    if status:
        providers = providers.filter(status=status)
    return providers.order_by("name")


def access_provider_by_id(*, actor, provider_id) -> Provider:
    return access_by_id(Provider.objects.all(), actor=actor, pk=provider_id)


def registration_list(*, actor, provider: Provider) -> QuerySet[Registration]:
    return scoped(Registration.objects.filter(provider=provider), actor=actor)


def service_list(*, actor, provider: Provider | None = None, tier: str = "") -> QuerySet[Service]:
    services = scoped(Service.objects.select_related("provider"), actor=actor)
    if provider is not None:
        services = services.filter(provider=provider)
    if tier:
        services = services.filter(tier=tier)
    return services.order_by("title")


def access_service_by_id(*, actor, service_id) -> Service:
    return access_by_id(Service.objects.select_related("provider"), actor=actor, pk=service_id)
