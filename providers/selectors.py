"""Reads of providers, registrations and services, scoped to the actor's active council."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from providers.models import Location, Provider, Registration, Service, ServiceSchedule
from shortbreaks.councils.selectors import access_by_id, scoped
from shortbreaks.search import by_relevance, trigram_search


def provider_list(*, actor, search: str = "", status: str = "") -> QuerySet[Provider]:
    """The council's providers by name; `search` finds the words of a name by their
    sound-alikes too ("smith" finds "Smyth Care"), the closest first."""
    providers = trigram_search(
        scoped(Provider.objects.all(), actor=actor), search, names=("name",)
    ).annotate(service_count=Count("services", distinct=True))
    if status:
        providers = providers.filter(status=status)
    return by_relevance(providers, "name", "id")


def access_provider_by_id(*, actor, provider_id) -> Provider:
    return access_by_id(Provider.objects.all(), actor=actor, pk=provider_id)


def registration_list(*, actor, provider: Provider) -> QuerySet[Registration]:
    return scoped(Registration.objects.filter(provider=provider), actor=actor)


def service_list(
    *, actor, provider: Provider | None = None, tier: str = "", search: str = ""
) -> QuerySet[Service]:
    """The council's services by title; `search` finds the words of the title or the provider's
    name by their sound-alikes too, the closest first."""
    services = trigram_search(
        scoped(Service.objects.select_related("provider"), actor=actor),
        search,
        names=("title", "provider__name"),
    )
    if provider is not None:
        services = services.filter(provider=provider)
    if tier:
        services = services.filter(tier=tier)
    return by_relevance(services, "title", "id")


def access_service_by_id(*, actor, service_id) -> Service:
    return access_by_id(Service.objects.select_related("provider"), actor=actor, pk=service_id)


def location_list(*, actor, provider: Provider) -> QuerySet[Location]:
    return scoped(Location.objects.filter(provider=provider), actor=actor)


def access_location_by_id(*, actor, location_id) -> Location:
    return access_by_id(Location.objects.select_related("provider"), actor=actor, pk=location_id)


def schedule_list(*, actor, service: Service) -> QuerySet[ServiceSchedule]:
    return scoped(ServiceSchedule.objects.filter(service=service), actor=actor)


def access_schedule_by_id(*, actor, service: Service, schedule_id) -> ServiceSchedule:
    return access_by_id(
        ServiceSchedule.objects.filter(service=service).select_related("service__provider"),
        actor=actor,
        pk=schedule_id,
    )
