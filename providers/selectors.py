"""Reads of providers, registrations and services, scoped to the actor's active council."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from providers.models import (
    Location,
    Provider,
    ProviderAccount,
    Registration,
    Service,
    ServiceSchedule,
)
from shortbreaks.councils.models import Role
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped
from shortbreaks.search import by_relevance, trigram_search


def provider_for(actor) -> Provider | None:
    """The provider the signed-in person acts for in their active council: their active
    ProviderAccount's, when they hold the provider role there; None for everyone else (council
    staff, parents, anyone signed out). Read once per request and council."""
    if not getattr(actor, "is_authenticated", False) or actor.active_council_id is None:
        return None
    if Role.PROVIDER not in actor.active_roles:
        return None
    cached = actor.__dict__.get("_provider_for")
    if cached is not None and cached[0] == actor.active_council_id:
        return cached[1]
    account = (
        ProviderAccount.objects.filter(
            council_id=actor.active_council_id, user=actor, ended_at__isnull=True
        )
        .select_related("provider")
        .first()
    )
    provider = account.provider if account is not None else None
    actor.__dict__["_provider_for"] = (actor.active_council_id, provider)
    return provider


def provider_list(*, actor, search: str = "", status: str = "") -> QuerySet[Provider]:
    """The council's providers by name; `search` finds the words of a name by their
    sound-alikes too ("smith" finds "Smyth Care"), the closest first."""
    providers = trigram_search(
        scoped(Provider.objects.all(), actor=actor), search, names=("name",)
    ).annotate(service_count=Coalesce(Subquery(_service_counts()), 0))
    if status:
        providers = providers.filter(status=status)
    return by_relevance(providers, "name", "id")


def _service_counts() -> QuerySet[Service]:
    """Each provider's count of services, looked up for the providers a page shows. A join of
    every provider to every service hashed the whole table of services, every council's, to check
    each against the policies (row-level security), and the page's count had to make it too."""
    return (
        Service.objects.filter(provider=OuterRef("pk"), council_id=OuterRef("council_id"))
        .order_by()
        .values("provider")
        .annotate(count=Count("id"))
        .values("count")
    )


def provider_choices(*, actor) -> QuerySet[Provider]:
    """The council's providers by name, with only what a list to choose from shows (the id and
    the name): none of `provider_list`'s counts."""
    return scoped(Provider.objects.only("id", "name"), actor=actor).order_by("name", "id")


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


# ---------------------------------------------------------------------------------------------
# Provider staff: only what their own provider offers.


def provider_service_list(*, actor) -> QuerySet[Service]:
    """The services of the provider the actor acts for, by title; none for anyone else."""
    provider = provider_for(actor)
    if provider is None:
        return Service.objects.none()
    return scoped(
        Service.objects.filter(provider=provider).select_related("provider"), actor=actor
    ).order_by("title", "id")


def access_provider_service_by_id(*, actor, service_id) -> Service:
    """One of the actor's provider's services; another provider's, or council's, is not found."""
    return get_or_not_found(provider_service_list(actor=actor), pk=service_id)


def provider_account_list(*, actor, provider: Provider) -> QuerySet[ProviderAccount]:
    """The people who act for a provider in the actor's council, active first."""
    return scoped(
        ProviderAccount.objects.filter(provider=provider).select_related("user"), actor=actor
    ).order_by("ended_at", "user__last_name", "user__first_name", "id")
