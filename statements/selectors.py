"""Public reads: what a council offers parent carers, found by the council's slug in the URL.

These are the only reads without a signed-in actor. They give only what the council publishes
about its services (never a child, a contract's price terms or a provider's council-only status
notes), and only services of providers the council has not suspended or exited.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from providers.models import (
    Location,
    ProviderStatus,
    Service,
    ServiceLocation,
    ServiceSchedule,
)
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Council
from shortbreaks.search import by_relevance, trigram_search
from statements.models import (
    CarerFeedback,
    StatementEvent,
    StatementStatus,
    StatementVersion,
)


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
    setting: str = "",
    need: str = "",
    any_need: bool = False,
    provider_id: int | None = None,
    minimum_age_from: int | None = None,
    maximum_age_to: int | None = None,
    day: str = "",
    starts_from: time | None = None,
    ends_by: time | None = None,
) -> QuerySet[Service]:
    """The council's services that parent carers can find, filtered as the directory asks.

    `search` finds the words of a service's title or its provider's name by their sound-alikes
    too ("holliday" finds "Holiday scheme"), or part of the description; the closest first.
    `age` is a child's age the service takes; `minimum_age_from` and `maximum_age_to` bound the
    service's own youngest and oldest ages (Open Referral UK's `minimum_age` and `maximum_age`).
    `day`, `starts_from` and `ends_by` need one set of weekly times that meets them all."""
    services = trigram_search(
        Service.objects.filter(
            council=council, provider__status=ProviderStatus.ACTIVE
        ).select_related("provider"),
        search,
        names=("title", "provider__name"),
        substrings=("description",),
    )
    if tier:
        services = services.filter(tier=tier)
    # JSON containment (`@>`): the list holds this value.
    if category:
        services = services.filter(categories__contains=[category])
    if setting:
        services = services.filter(setting=setting)
    if need:
        services = services.filter(needs__contains=[need])
    if any_need:
        services = services.exclude(needs=[])
    if provider_id is not None:
        services = services.filter(provider_id=provider_id)
    if age is not None:
        services = services.filter(age_from__lte=age, age_to__gte=age)
    if minimum_age_from is not None:
        services = services.filter(age_from__gte=minimum_age_from)
    if maximum_age_to is not None:
        services = services.filter(age_to__lte=maximum_age_to)
    if area:
        services = services.filter(areas__icontains=area)
    if when:
        services = services.filter(when__contains=[when])
    if day or starts_from is not None or ends_by is not None:
        times = ServiceSchedule.objects.filter(service=OuterRef("pk"))
        if day:
            times = times.filter(days__contains=[day])
        if starts_from is not None:
            times = times.filter(opens_at__gte=starts_from)
        if ends_by is not None:
            times = times.filter(closes_at__lte=ends_by)
        services = services.filter(Exists(times))
    if modified_after is not None:
        services = services.filter(updated_at__gt=modified_after)
    return by_relevance(services, "title", "id")


def public_service(*, council: Council, service_id: int) -> Service:
    service = public_service_list(council=council).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service.")
    return service


def public_service_details(
    *, council: Council, service: Service, provider_locations: bool = True
) -> dict:
    """What a service's page and record show besides the service: its weekly times, where it
    runs (with each place's address) and, unless not wanted, all its provider's locations."""
    details = {
        "schedules": list(ServiceSchedule.objects.filter(council=council, service=service)),
        "service_locations": list(
            ServiceLocation.objects.filter(council=council, service=service).select_related(
                "location"
            )
        ),
    }
    if provider_locations:
        details["provider_locations"] = list(
            Location.objects.filter(council=council, provider_id=service.provider_id)
        )
    return details


# ----------------------------------------------------------------------------------------------
# The short breaks services statement


def public_statement(council: Council):
    """The council's current published statement, or None."""

    return (
        StatementVersion.objects.for_council(council)
        .filter(status=StatementStatus.PUBLISHED)
        .select_related("council", "pdf_job")
        .first()
    )


def public_statement_versions(council: Council):
    """Every statement the council has published, the current one first. Without the frozen
    content (hundreds of services for a big council): a page whose body is cached reads none of
    it, and `build_content` loads it when a body is rendered."""

    return (
        StatementVersion.objects.for_council(council)
        .filter(status__in=[StatementStatus.PUBLISHED, StatementStatus.SUPERSEDED])
        .select_related("council", "pdf_job")
        .defer("snapshot")
        .order_by("-number")
    )


def public_consultation(council: Council):
    """The version out for consultation with carers, if any."""

    return (
        StatementVersion.objects.for_council(council)
        .filter(status=StatementStatus.CONSULTATION)
        .select_related("council")
        .first()
    )


def statement_list(actor):
    """The actor's council's statement versions, newest first, with their feedback counts.
    Without each published version's snapshot of its services, which no list shows and which
    grows with the council (hundreds of kilobytes of JSON for a big one)."""

    return (
        StatementVersion.objects.for_council(actor.active_council)
        .select_related("pdf_job", "author", "published_by")
        .defer("snapshot")
        .annotate(feedback_count=Count("feedback"))
        .order_by("-number")
    )


def statement_get(actor, statement_id, *, with_snapshot: bool = True) -> StatementVersion:
    """One version of the actor's council; another council's id is a 404 like a missing one.
    `with_snapshot=False` leaves the frozen content to be loaded when it is read."""

    try:
        pk = int(statement_id)
    except (TypeError, ValueError):
        pk = None
    versions = StatementVersion.objects.for_council(actor.active_council).select_related(
        "council", "pdf_job", "author", "published_by"
    )
    if not with_snapshot:
        versions = versions.defer("snapshot")
    version = versions.filter(pk=pk).first() if pk is not None else None
    if version is None:
        raise RecordNotFound(object_type="statements.statementversion", object_id=statement_id)
    return version


def statement_open(actor):
    """The actor's council's version that is a draft or out for consultation, if any."""

    return (
        statement_list(actor)
        .defer(None)
        .filter(status__in=[StatementStatus.DRAFT, StatementStatus.CONSULTATION])
        .first()
    )


def statement_events(actor, version):

    return (
        StatementEvent.objects.for_council(actor.active_council)
        .filter(version=version)
        .select_related("actor")
    )


def feedback_list(actor, version):
    """Carers' views on one version, newest first (the version is the actor's council's)."""

    return CarerFeedback.objects.for_council(actor.active_council).filter(version=version)
