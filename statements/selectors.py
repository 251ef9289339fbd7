"""Public reads: what a council offers parent carers, found by the council's slug in the URL.

These are the only reads without a signed-in actor. They give only what the council publishes
about its services (never a child, a contract's price terms or a provider's council-only status
notes), and only services of providers the council has not suspended or exited.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404

from providers.models import ProviderStatus, Service
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
) -> QuerySet[Service]:
    """The council's services that parent carers can find, filtered as the directory asks.

    `search` finds the words of a service's title or its provider's name by their sound-alikes
    too ("holliday" finds "Holiday scheme"), or part of the description; the closest first."""
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
    if age is not None:
        services = services.filter(age_from__lte=age, age_to__gte=age)
    if area:
        services = services.filter(areas__icontains=area)
    if when:
        services = services.filter(when__contains=[when])
    if modified_after is not None:
        services = services.filter(updated_at__gt=modified_after)
    return by_relevance(services, "title", "id")


def public_service(*, council: Council, service_id: int) -> Service:
    service = public_service_list(council=council).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service.")
    return service


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
    """Every statement the council has published, the current one first."""

    return (
        StatementVersion.objects.for_council(council)
        .filter(status__in=[StatementStatus.PUBLISHED, StatementStatus.SUPERSEDED])
        .select_related("council", "pdf_job")
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
    """The actor's council's statement versions, newest first, with their feedback counts."""

    return (
        StatementVersion.objects.for_council(actor.active_council)
        .select_related("pdf_job", "author", "published_by")
        .annotate(feedback_count=Count("feedback"))
        .order_by("-number")
    )


def statement_get(actor, statement_id) -> StatementVersion:
    """One version of the actor's council; another council's id is a 404 like a missing one."""

    try:
        pk = int(statement_id)
    except (TypeError, ValueError):
        pk = None
    version = (
        StatementVersion.objects.for_council(actor.active_council)
        .select_related("council", "pdf_job", "author", "published_by")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if version is None:
        raise RecordNotFound(object_type="statements.statementversion", object_id=statement_id)
    return version


def statement_open(actor):
    """The actor's council's version that is a draft or out for consultation, if any."""

    return (
        statement_list(actor)
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
