"""Reads for provider staff: their own provider's contracts, lots and KPI returns.

Every read starts from `providers.selectors.provider_for(actor)`, the provider the person acts
for in their active council, so another provider's record (or another council's) is not found,
exactly as a missing one. Row-level security still binds the council beneath.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from contracts.models import (
    Award,
    Contract,
    KPIReturnStatus,
    Lot,
    MonitoringKind,
    MonitoringRecord,
)
from providers.models import Provider
from providers.selectors import provider_for
from shortbreaks.councils.selectors import get_or_not_found, scoped

# What the provider still has to do: send figures asked for, or answer a query.
KPI_RETURNS_TO_SUBMIT = (KPIReturnStatus.DUE, KPIReturnStatus.QUERIED)


def _provider(actor) -> Provider | None:
    return provider_for(actor)


def provider_contract_list(*, actor) -> QuerySet[Contract]:
    """The contracts with a lot awarded to the actor's provider, soonest ending first, each
    with `provider_lots`: only the lots awarded to it (its awards prefetched on each)."""
    provider = _provider(actor)
    if provider is None:
        return Contract.objects.none()
    awarded = Award.objects.filter(lot__contract=OuterRef("pk"), provider=provider)
    own_awards = Award.objects.filter(provider=provider)
    lots = (
        Lot.objects.filter(Exists(own_awards.filter(lot=OuterRef("pk"))))
        .prefetch_related(Prefetch("awards", queryset=own_awards, to_attr="provider_awards"))
        .order_by("number")
    )
    return (
        scoped(Contract.objects.filter(Exists(awarded)), actor=actor)
        .prefetch_related(Prefetch("lots", queryset=lots, to_attr="provider_lots"))
        .order_by("end_date", "reference")
    )


def access_provider_contract_by_id(*, actor, contract_id) -> Contract:
    return get_or_not_found(provider_contract_list(actor=actor), pk=contract_id)


def provider_kpi_return_list(*, actor, status: str = "") -> QuerySet[MonitoringRecord]:
    """The KPI returns asked of the actor's provider: those to submit first, then newest."""
    provider = _provider(actor)
    if provider is None:
        return MonitoringRecord.objects.none()
    returns = scoped(
        MonitoringRecord.objects.filter(provider=provider, kind=MonitoringKind.KPI_RETURN),
        actor=actor,
    ).select_related("contract")
    if status:
        returns = returns.filter(kpi_status=status)
    return returns.order_by("-due_on", "-id")


def access_provider_kpi_return_by_id(*, actor, record_id) -> MonitoringRecord:
    return get_or_not_found(provider_kpi_return_list(actor=actor), pk=record_id)


def provider_kpi_returns_to_submit_count(*, actor) -> int:
    return (
        provider_kpi_return_list(actor=actor).filter(kpi_status__in=KPI_RETURNS_TO_SUBMIT).count()
    )


def access_kpi_return_for_decision(*, actor, record_id) -> MonitoringRecord:
    """A provider's KPI return of the actor's own council (the lead of its contract), for the
    contract manager to accept or query. Another council's, or a record that is no provider's
    return, is not found."""
    returns = scoped(
        MonitoringRecord.objects.filter(kind=MonitoringKind.KPI_RETURN, provider__isnull=False),
        actor=actor,
    ).select_related("contract", "provider")
    return get_or_not_found(returns, pk=record_id)
