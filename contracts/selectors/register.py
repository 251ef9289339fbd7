"""The contracts register: the list, one contract and its parts, the work tray's counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from contracts.models import (
    Award,
    Contract,
    ContractDocument,
    ContractStatus,
    ExpiryReminder,
    Extension,
    ExtensionStatus,
    Lot,
    status_on_q,
)
from contracts.selectors.extensions import extensions_waiting
from contracts.selectors.monitoring import kpi_return_overdue_q, kpi_return_submitted_q
from contracts.selectors.overrun import contract_overrun, with_overrun
from contracts.selectors.participation import contract_participation_list
from contracts.selectors.visibility import readable_contracts
from providers.models import Provider, Service
from shortbreaks.councils.models import Council, Role
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped
from shortbreaks.search import by_relevance, trigram_search


def contract_list(
    *,
    actor,
    search: str = "",
    kind: str = "",
    status: str = "",
    provider_id: int | None = None,
    lot: str = "",
    ends_before: date | None = None,
    ends_within_months: int | None = None,
    nothing_under_way: bool = False,
    overrunning: bool = False,
    extension_waiting: bool = False,
    kpi_return_overdue: bool = False,
    kpi_return_submitted: bool = False,
    today: date | None = None,
) -> QuerySet[Contract]:
    """The register, soonest ending first. `search` finds the words of the title by their
    sound-alikes too ("overnite" finds "Overnight"), or part of the reference; the closest
    titles come first. `nothing_under_way` keeps contracts with no extension in progress or
    approved for their current end date and no recommissioning started: the cliff edges.
    `overrunning` keeps the contracts expired with support still running on them.
    `extension_waiting` keeps those with an extension submitted and waiting for its approvals or
    decision; `kpi_return_overdue` those running today with no KPI return for a quarter;
    `kpi_return_submitted` those the council leads with a provider's KPI return submitted and
    waiting to be accepted or queried."""
    today = today or timezone.localdate()
    contracts = trigram_search(
        with_overrun(
            readable_contracts(actor).select_related("council", "contract_manager"), today=today
        ),
        search,
        names=("title",),
        substrings=("reference",),
    )
    if kind:
        contracts = contracts.filter(kind=kind)
    if status:
        contracts = contracts.filter(status_on_q(status, today))
    if provider_id:
        contracts = contracts.filter(lots__awards__provider_id=provider_id)
    if lot:
        contracts = contracts.filter(lots__name__icontains=lot)
    if ends_before:
        contracts = contracts.filter(end_date__lt=ends_before)
    if overrunning:
        contracts = contracts.filter(overrunning_lines__gt=0)
    if ends_within_months is not None:
        contracts = contracts.filter(
            end_date__gte=today, end_date__lte=today + relativedelta(months=ends_within_months)
        )
    if nothing_under_way:
        contracts = with_nothing_under_way(contracts)
    if extension_waiting:
        contracts = contracts.filter(Exists(extensions_waiting().filter(contract=OuterRef("pk"))))
    if kpi_return_overdue:
        contracts = contracts.filter(kpi_return_overdue_q(today))
    if kpi_return_submitted:
        contracts = contracts.filter(kpi_return_submitted_q(actor))
    return by_relevance(contracts, "end_date", "reference").distinct()


def with_nothing_under_way(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """The cliff edges: contracts with no extension in progress or approved for their current
    end date, no recommissioning started, neither draft nor terminated."""
    under_way = Extension.objects.filter(
        contract=OuterRef("pk"),
        status__in=[ExtensionStatus.DRAFT, ExtensionStatus.SUBMITTED],
    )
    contracts = contracts.filter(recommissioning_started_on__isnull=True).exclude(Exists(under_way))
    return contracts.exclude(status__in=[ContractStatus.TERMINATED, ContractStatus.DRAFT])


def register_tray_counts(*, actor, today: date | None = None) -> dict[str, int]:
    """What the register holds that needs someone, counted in one query: contracts overrunning;
    ending within 3, 6 and 12 months with nothing under way; with an extension waiting; with a
    KPI return overdue; with a provider's KPI return waiting to be accepted or queried. Each
    count is what the register shows with the same filter."""
    today = today or timezone.localdate()
    contracts = with_overrun(readable_contracts(actor), today=today)
    under_way = Extension.objects.filter(
        contract=OuterRef("pk"), status__in=[ExtensionStatus.DRAFT, ExtensionStatus.SUBMITTED]
    )
    cliff_edge = (
        Q(recommissioning_started_on__isnull=True, end_date__gte=today)
        & ~Q(Exists(under_way))
        & ~Q(status__in=[ContractStatus.TERMINATED, ContractStatus.DRAFT])
    )

    def ending_within(months: int) -> Count:
        return Count(
            "pk", filter=cliff_edge & Q(end_date__lte=today + relativedelta(months=months))
        )

    return contracts.aggregate(
        overrunning=Count("pk", filter=Q(overrunning_lines__gt=0)),
        ending_3=ending_within(3),
        ending_6=ending_within(6),
        ending_12=ending_within(12),
        extension_waiting=Count(
            "pk", filter=Q(Exists(extensions_waiting().filter(contract=OuterRef("pk"))))
        ),
        kpi_return_overdue=Count("pk", filter=kpi_return_overdue_q(today)),
        kpi_return_submitted=Count("pk", filter=kpi_return_submitted_q(actor)),
    )


def access_contract_by_id(*, actor, contract_id) -> Contract:
    """Read access: the lead council or a participant; anyone else gets not-found."""
    return get_or_not_found(
        with_overrun(
            readable_contracts(actor).select_related("council", "contract_manager", "dps"),
            today=timezone.localdate(),
        ),
        pk=contract_id,
    )


def overrunning_contracts_for(*, actor, today: date | None = None) -> QuerySet[Contract]:
    """The overrunning contracts a person answers for: all those of the council for a
    commissioner, those they manage for a contract manager, none for anyone else."""
    roles = actor.active_roles if actor.is_authenticated else frozenset()
    contracts = contract_list(actor=actor, overrunning=True, today=today)
    if Role.COMMISSIONER in roles:
        return contracts
    if Role.CONTRACT_MANAGER in roles:
        return contracts.filter(contract_manager=actor)
    return contracts.none()


def access_contract_for_change(*, actor, contract_id) -> Contract:
    """Write access: only the lead council. A participant gets the same 404 as a stranger."""
    return access_by_id(
        Contract.objects.select_related("council", "contract_manager"),
        actor=actor,
        pk=contract_id,
    )


def contract_is_lead(*, actor, contract: Contract) -> bool:
    return actor.is_authenticated and contract.council_id == actor.active_council_id


class NamedRef(NamedTuple):
    id: int
    name: str


class AwardRow(NamedTuple):
    """An award as a page of the register shows it: its own fields and its provider's id and
    name (`provider.id`, `provider.name`)."""

    id: int
    provider: NamedRef
    rates: str
    capacity: str
    value: Decimal | None
    awarded_on: date | None


class LotRow:
    """A lot as a page of the register shows it, with its `award_list` and `service_list`."""

    __slots__ = ("id", "council_id", "number", "name", "description", "award_list", "service_list")

    def __init__(self, id, council_id, number, name, description):  # noqa: A002 (the field's name)
        self.id, self.council_id, self.number = id, council_id, number
        self.name, self.description = name, description
        self.award_list, self.service_list = [], []

    @property
    def pk(self) -> int:
        return self.id


def attach_contract_lots(contracts: list[Contract]) -> None:
    """Each contract's lots (`lot_list`, by number), each lot's awards (`award_list`, by
    provider) and services (`service_list`, `attach_lot_services`) for a page of the register,
    in four queries for any number of contracts.

    They are read as plain rows: a big council's page of 50 contracts holds about 80 lots and
    200 awards, and making a model instance for each lot, award and award's provider cost more
    than the queries (the contracts API, 28 to 24 ms a page in one process on the bench's data)."""
    by_contract = {contract.pk: contract for contract in contracts}
    for contract in contracts:
        contract.lot_list = []
    if not by_contract:
        return
    lots = {}
    for contract_id, *fields in (
        Lot.objects.filter(contract_id__in=list(by_contract))
        .order_by("number", "id")
        .values_list("contract_id", "id", "council_id", "number", "name", "description")
    ):
        lot = lots[fields[0]] = LotRow(*fields)
        by_contract[contract_id].lot_list.append(lot)
    attach_lot_awards(list(lots.values()))
    attach_lot_services(list(lots.values()))


def attach_lot_awards(lots: list) -> None:
    """Each lot's awards (`award_list`, as `AwardRow`s by provider name) in one query."""
    by_lot = {lot.pk: lot for lot in lots}
    for lot in lots:
        lot.award_list = []
    if not by_lot:
        return
    for lot_id, award_id, provider_id, provider_name, *rest in (
        Award.objects.filter(lot_id__in=list(by_lot))
        .order_by("provider__name", "id")
        .values_list(
            "lot_id",
            "id",
            "provider_id",
            "provider__name",
            "rates",
            "capacity",
            "value",
            "awarded_on",
        )
    ):
        by_lot[lot_id].award_list.append(
            AwardRow(award_id, NamedRef(provider_id, provider_name), *rest)
        )


def attach_lot_services(lots: list[Lot]) -> None:
    """Each lot's services in title order, as `service_list` (their ids, councils and titles), in
    two queries for any number of lots: the lots' links first, then their services by id, each
    kept only where it belongs to its lot's council (as the services make them) and the reader's
    policies show it.

    Read as one join (Django's prefetch of `services`), PostgreSQL read every council's services
    to check each against the policies (row-level security), and hashed the whole table rather
    than look a lot's few services up (16 ms a page whatever the council; decision 0031)."""
    for lot in lots:
        lot.service_list = []
    by_lot = {lot.pk: lot for lot in lots}
    if not by_lot:
        return
    links = list(
        Lot.services.through.objects.filter(lot_id__in=list(by_lot)).values_list(
            "lot_id", "service_id"
        )
    )
    if not links:
        return
    services = {
        service.pk: service
        for service in Service.objects.filter(pk__in={service for _, service in links})
        .order_by("title", "id")
        .only("id", "council_id", "title")
    }
    order = {pk: n for n, pk in enumerate(services)}
    for lot_id, service_id in sorted(links, key=lambda link: order.get(link[1], -1)):
        lot, service = by_lot[lot_id], services.get(service_id)
        if service is not None and service.council_id == lot.council_id:
            lot.service_list.append(service)


def contract_detail_parts(*, actor, contract: Contract) -> dict:
    """Everything a contract page shows, each in one query (its lots' services in two)."""
    parts = {
        "lots": list(
            Lot.objects.filter(contract=contract)
            .prefetch_related(Prefetch("awards", queryset=Award.objects.select_related("provider")))
            .order_by("number")
        ),
        "extensions": list(
            Extension.objects.filter(contract=contract)
            .prefetch_related("approvals")
            .order_by("created_at", "id")
        ),
        "events": list(contract.events.select_related("actor").order_by("at", "id")),
        "monitoring": list(contract.monitoring.order_by("-held_on", "-id")),
        "spend": list(contract.spend.order_by("financial_year")),
        "participants": list(contract_participation_list(actor=actor, contract=contract)),
        "documents": list(contract.documents.select_related("uploaded_by")),
        "overrun": contract_overrun(actor=actor, contract=contract),
    }
    attach_lot_services(parts["lots"])
    return parts


def notices_for(*, user) -> QuerySet[ExpiryReminder]:
    """Expiry reminders for the person's home page, in their active council."""
    return scoped(
        ExpiryReminder.objects.filter(recipient=user, dismissed_at__isnull=True).select_related(
            "contract"
        ),
        actor=user,
    )


def access_contract_document_by_id(*, actor, document_id) -> ContractDocument:
    """A document of a contract the actor may read (lead or participant); else not-found."""
    readable = ContractDocument.objects.filter(contract__in=readable_contracts(actor).values("pk"))
    return get_or_not_found(readable.select_related("contract"), pk=document_id)


def awarded_provider_list(*, actor, contract: Contract) -> QuerySet[Provider]:
    """The council's providers awarded a lot of the contract, by name."""
    return scoped(
        Provider.objects.filter(
            pk__in=Award.objects.filter(lot__contract=contract).values("provider")
        ),
        actor=actor,
    ).order_by("name")


def council_provider(*, actor, provider_id) -> Provider | None:
    """One of the active council's providers, or None."""
    return scoped(Provider.objects.all(), actor=actor).filter(pk=provider_id).first()


def other_council_list(*, actor) -> list[Council]:
    """Every other council on the platform: the councils a joint commission may include."""
    return list(Council.objects.exclude(pk=actor.active_council_id).order_by("name"))


def contract_document_list(*, contract: Contract) -> QuerySet[ContractDocument]:
    return ContractDocument.objects.filter(contract=contract)
