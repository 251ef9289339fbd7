"""Reads of DPS, contracts, extensions, monitoring and spend, scoped to the actor's council.

A joint contract is read by its lead council and by every council that accepted the lead's
invitation to take part (`contracts_visible_to`, the one place that rule lives); an invited
council sees nothing of it until its commissioner accepts. Only the lead council changes it
(`access_contract_for_change`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts import running_support
from contracts.models import (
    DPS,
    RUNNING_STATUSES,
    Award,
    Contract,
    ContractDocument,
    ContractParticipation,
    ContractStatus,
    DPSMembership,
    DPSMembershipEvent,
    ExpiryReminder,
    Extension,
    ExtensionApproval,
    ExtensionStatus,
    KPIReturnStatus,
    Lot,
    MembershipStatus,
    MonitoringKind,
    MonitoringRecord,
    ParticipationStatus,
    SpendLine,
    expired_on,
    status_on_q,
)
from providers.models import Provider
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Council, Role
from shortbreaks.councils.selectors import access_by_id, get_or_not_found, scoped
from shortbreaks.search import by_relevance, trigram_search

TO_ASSESS = (MembershipStatus.APPLIED, MembershipStatus.UNDER_ASSESSMENT)


def dps_list(*, actor, to_assess: bool = False) -> QuerySet[DPS]:
    """The council's DPSs; with `to_assess`, only those holding an application not yet decided
    (the work tray's "DPS applications to assess" leads here)."""
    systems = scoped(DPS.objects.all(), actor=actor)
    if to_assess:
        systems = systems.filter(
            Exists(DPSMembership.objects.filter(dps=OuterRef("pk"), status__in=TO_ASSESS))
        )
    return systems


def access_dps_by_id(*, actor, dps_id) -> DPS:
    return access_by_id(DPS.objects.all(), actor=actor, pk=dps_id)


def dps_membership_list(*, actor, dps: DPS) -> QuerySet[DPSMembership]:
    return scoped(
        DPSMembership.objects.filter(dps=dps).select_related("provider").prefetch_related("events"),
        actor=actor,
    )


def access_dps_membership_by_id(*, actor, membership_id) -> DPSMembership:
    return access_by_id(
        DPSMembership.objects.select_related("dps", "provider"), actor=actor, pk=membership_id
    )


def dps_with_member_counts(queryset: QuerySet[DPS]) -> QuerySet[DPS]:
    """Count each DPS's members by status in the same query (`count_<status>`)."""
    return queryset.annotate(
        **{
            f"count_{status}": Count("memberships", filter=Q(memberships__status=status))
            for status in MembershipStatus.values
        }
    )


def dps_membership_of(*, actor, dps: DPS, membership_id) -> DPSMembership:
    """The membership with this id on this DPS; any other answers the same not-found."""
    membership = access_dps_membership_by_id(actor=actor, membership_id=membership_id)
    if membership.dps_id != dps.pk:
        raise RecordNotFound(object_type=DPSMembership._meta.label_lower, object_id=membership_id)
    return membership


def contracts_visible_to(*, council) -> QuerySet[Contract]:
    """The contracts a council may read: those it leads, and the joint contracts whose lead
    invited it and whose invitation its commissioner accepted. Invited, declined or withdrawn:
    nothing. Every read of contracts, and of what hangs off them, starts here."""
    if council is None:
        return Contract.objects.none()
    accepted = ContractParticipation.objects.filter(
        council=council, status=ParticipationStatus.ACCEPTED
    ).values("contract_id")
    return Contract.objects.filter(Q(council=council) | Q(pk__in=accepted))


def _readable_contracts(actor) -> QuerySet[Contract]:
    return contracts_visible_to(council=actor.active_council if actor.is_authenticated else None)


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
            _readable_contracts(actor).select_related("council", "contract_manager"), today=today
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


# A KPI return is expected every quarter from a running contract (the councils' quarterly
# performance monitoring); a contract with none for longer is overdue one.
KPI_RETURN_EVERY = relativedelta(months=3)


def extensions_waiting() -> QuerySet[Extension]:
    """Extensions submitted and waiting for their approvals or the decision."""
    return Extension.objects.filter(status=ExtensionStatus.SUBMITTED)


def kpi_return_overdue_q(today: date) -> Q:
    """Contracts running on `today`, started more than a quarter ago, with no KPI return held
    in the last quarter."""
    since = today - KPI_RETURN_EVERY
    recent = MonitoringRecord.objects.filter(
        contract=OuterRef("pk"), kind=MonitoringKind.KPI_RETURN, held_on__gt=since
    ).exclude(kpi_status=KPIReturnStatus.DUE)  # asked of the provider, not yet returned
    return Q(status__in=RUNNING_STATUSES, end_date__gte=today, start_date__lte=since) & ~Q(
        Exists(recent)
    )


def kpi_return_submitted_q(actor) -> Q:
    """Contracts the actor's council leads (only the lead accepts or queries a return) with a
    provider's KPI return submitted and waiting for the contract manager."""
    submitted = MonitoringRecord.objects.filter(
        contract=OuterRef("pk"),
        kind=MonitoringKind.KPI_RETURN,
        kpi_status=KPIReturnStatus.SUBMITTED,
    )
    return Q(council_id=actor.active_council_id) & Q(Exists(submitted))


def register_tray_counts(*, actor, today: date | None = None) -> dict[str, int]:
    """What the register holds that needs someone, counted in one query: contracts overrunning;
    ending within 3, 6 and 12 months with nothing under way; with an extension waiting; with a
    KPI return overdue; with a provider's KPI return waiting to be accepted or queried. Each
    count is what the register shows with the same filter."""
    today = today or timezone.localdate()
    contracts = with_overrun(_readable_contracts(actor), today=today)
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


def dps_applications_to_assess_count(*, actor) -> int:
    """The council's DPS applications not yet decided: applied or under assessment."""
    return scoped(DPSMembership.objects.all(), actor=actor).filter(status__in=TO_ASSESS).count()


def outturn_missing_lines(*, actor, today: date | None = None) -> QuerySet[SpendLine]:
    """Budget lines of financial years already ended (April to March) with no outturn."""
    today = today or timezone.localdate()
    current_year = today.year if today.month >= 4 else today.year - 1
    return (
        scoped(SpendLine.objects.all(), actor=actor)
        .filter(financial_year__lt=current_year, outturn__isnull=True)
        .order_by("financial_year", "package_type")
    )


def outturn_missing_count(*, actor, today: date | None = None) -> int:
    """How many budget lines of ended financial years have no outturn (one query)."""
    return outturn_missing_lines(actor=actor, today=today).count()


def access_contract_by_id(*, actor, contract_id) -> Contract:
    """Read access: the lead council or a participant; anyone else gets not-found."""
    return get_or_not_found(
        with_overrun(
            _readable_contracts(actor).select_related("council", "contract_manager", "dps"),
            today=timezone.localdate(),
        ),
        pk=contract_id,
    )


# ----------------------------------------------------------------------------------------------
# Overrunning: expired, with support still running on the contract's lots


def lines_running_on(*, today: date) -> QuerySet:
    """Package lines of packages in force that have not ended by `today` (the query `referrals`
    registers in `contracts.running_support`)."""
    return running_support.lines_running_on(today=today)


def with_overrun(contracts: QuerySet[Contract], *, today: date) -> QuerySet[Contract]:
    """Each contract with `overrunning_lines`: how many package lines still run on its lots on
    `today` when it has expired (recorded or not), else 0. It ends when an extension is approved
    (the end date moves), or the lines end or move to another contract's lot."""
    running = (
        lines_running_on(today=today)
        .filter(lot__contract=OuterRef("pk"))
        .order_by()
        .values("lot__contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return contracts.annotate(
        overrunning_lines=Case(
            When(expired_on(today), then=Coalesce(Subquery(running), 0)),
            default=0,
            output_field=IntegerField(),
        )
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


def contract_overrunning_lines(*, contract: Contract, today: date | None = None) -> int:
    """`overrunning_lines` of one contract read without `with_overrun` (one query at most)."""
    today = today or timezone.localdate()
    if contract.status_on(today) != ContractStatus.EXPIRED:
        return 0
    return lines_running_on(today=today).filter(lot__contract=contract).count()


@dataclass(frozen=True)
class Overrun:
    lines: int
    since: date
    days: int
    value_at_risk: Decimal


def overrun_of(lines: Iterable, *, end_date: date, start: date, until: date) -> Overrun | None:
    """How support ran on past a contract's end between `start` and `until` (inclusive): the
    lines, since when, the days and their cost pro rata (a year's cost over 365 days)."""
    first_day = max(end_date + timedelta(days=1), start)
    count, since, value = 0, None, Decimal(0)
    for line in lines:
        line_from = max(first_day, line.start_on)
        line_to = min(until, line.end_on) if line.end_on else until
        if line_to < line_from:
            continue
        count += 1
        since = line_from if since is None else min(since, line_from)
        value += line.cost_per_year * ((line_to - line_from).days + 1) / 365
    if not count:
        return None
    return Overrun(
        lines=count,
        since=since,
        days=(until - since).days + 1,
        value_at_risk=value.quantize(Decimal("0.01")),
    )


def contract_overrun(*, actor, contract: Contract, today: date | None = None) -> Overrun | None:
    """How a contract (one the actor reads) overruns today, or None: for its page."""
    today = today or timezone.localdate()
    if contract.status_on(today) != ContractStatus.EXPIRED:
        return None
    lines = lines_running_on(today=today).filter(lot__contract=contract).order_by()
    return overrun_of(lines, end_date=contract.end_date, start=contract.end_date, until=today)


def access_contract_for_change(*, actor, contract_id) -> Contract:
    """Write access: only the lead council. A participant gets the same 404 as a stranger."""
    return access_by_id(
        Contract.objects.select_related("council", "contract_manager"),
        actor=actor,
        pk=contract_id,
    )


def contract_is_lead(*, actor, contract: Contract) -> bool:
    return actor.is_authenticated and contract.council_id == actor.active_council_id


def contract_detail_parts(*, actor, contract: Contract) -> dict:
    """Everything a contract page shows, each in one query."""
    return {
        "lots": list(
            Lot.objects.filter(contract=contract)
            .prefetch_related(
                Prefetch("awards", queryset=Award.objects.select_related("provider")),
                "services",
            )
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


def access_extension_by_id(*, actor, extension_id) -> Extension:
    readable = Extension.objects.filter(contract__in=_readable_contracts(actor).values("pk"))
    return get_or_not_found(readable.select_related("contract"), pk=extension_id)


def access_extension_for_change(*, actor, extension_id) -> Extension:
    return access_by_id(Extension.objects.select_related("contract"), actor=actor, pk=extension_id)


def monitoring_list(*, actor, contract: Contract) -> QuerySet[MonitoringRecord]:
    return MonitoringRecord.objects.filter(contract=contract).order_by("-held_on", "-id")


def spend_lines(*, actor) -> QuerySet[SpendLine]:
    return scoped(SpendLine.objects.all(), actor=actor).order_by("financial_year", "package_type")


def notices_for(*, user) -> QuerySet[ExpiryReminder]:
    """Expiry reminders for the person's home page, in their active council."""
    return scoped(
        ExpiryReminder.objects.filter(recipient=user, dismissed_at__isnull=True).select_related(
            "contract"
        ),
        actor=user,
    )


# ----------------------------------------------------------------------------------------------
# Extensions by variation


def extension_list(*, actor, contract: Contract) -> QuerySet[Extension]:
    """A contract's extensions, oldest first, with their approvals (by date).

    `contract` is already one the actor may read (from `access_contract_by_id`)."""
    return (
        Extension.objects.filter(contract=contract)
        .select_related("contract")
        .prefetch_related("approvals")
        .order_by("created_at", "id")
    )


def access_contract_document_by_id(*, actor, document_id) -> ContractDocument:
    """A document of a contract the actor may read (lead or participant); else not-found."""
    readable = ContractDocument.objects.filter(contract__in=_readable_contracts(actor).values("pk"))
    return get_or_not_found(readable.select_related("contract"), pk=document_id)


# ----------------------------------------------------------------------------------------------
# Joint contracts: invitations and participation


def _actor_council_id(actor) -> int | None:
    return actor.active_council_id if actor.is_authenticated else None


def participations_seen_by(*, actor) -> QuerySet[ContractParticipation]:
    """The participation rows the actor may see of a contract they read: the lead council sees
    every council it invited, with its status; a participant sees the councils that accepted."""
    return ContractParticipation.objects.filter(
        Q(status=ParticipationStatus.ACCEPTED) | Q(lead_council_id=_actor_council_id(actor))
    )


def contract_participation_list(*, actor, contract: Contract) -> QuerySet[ContractParticipation]:
    """The councils of a joint contract (one the actor already reads), by name."""
    return (
        participations_seen_by(actor=actor)
        .filter(contract=contract)
        .select_related("council")
        .order_by("council__name")
    )


def participations_prefetch(*, actor) -> Prefetch:
    """`contract.participations`, as the actor may see them, for a list of contracts."""
    return Prefetch(
        "participations",
        queryset=participations_seen_by(actor=actor)
        .select_related("council")
        .order_by("council__name"),
    )


def invitation_list(*, actor, status: str | None = None) -> QuerySet[ContractParticipation]:
    """The invitations to the actor's council, longest waiting first; all of them, or those in
    one status. They show what the invitation says (the lead council, the contract's reference
    and title), never the contract itself, which the council reads only once it accepts."""
    invitations = scoped(
        ContractParticipation.objects.select_related("lead_council", "invited_by"), actor=actor
    )
    if status:
        invitations = invitations.filter(status=status)
    return invitations.order_by("invited_at", "id")


def invitation_waiting_count(*, actor) -> int:
    """How many invitations wait for the actor's council's answer (a handful at most)."""
    return invitation_list(actor=actor, status=ParticipationStatus.INVITED).count()


def access_invitation_by_id(*, actor, invitation_id) -> ContractParticipation:
    """One of the invitations to the actor's council, whatever its status; anyone else's is
    not found."""
    return access_by_id(
        ContractParticipation.objects.select_related(
            "council", "lead_council", "invited_by", "responded_by"
        ),
        actor=actor,
        pk=invitation_id,
    )


def access_participation_for_change(
    *, actor, contract: Contract, participation_id
) -> ContractParticipation:
    """A council the lead invited to `contract` (one the actor may change); else not-found."""
    return get_or_not_found(
        ContractParticipation.objects.filter(
            contract=contract, lead_council_id=_actor_council_id(actor)
        ).select_related("council", "lead_council"),
        pk=participation_id,
    )


# ----------------------------------------------------------------------------------------------
# Reads the pages and the API share


def dps_membership_events_prefetch() -> Prefetch:
    """A membership's history, each change with who made it."""
    return Prefetch("events", queryset=DPSMembershipEvent.objects.select_related("actor"))


def dps_membership_history(*, membership: DPSMembership) -> QuerySet[DPSMembershipEvent]:
    return (
        DPSMembershipEvent.objects.filter(membership=membership)
        .select_related("actor")
        .order_by("on", "id")
    )


def dps_membership_with_history(*, membership_id) -> DPSMembership:
    """A membership with its history, read fresh after a change."""
    return DPSMembership.objects.prefetch_related(dps_membership_events_prefetch()).get(
        pk=membership_id
    )


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


def extension_approval_list(*, extension: Extension) -> QuerySet[ExtensionApproval]:
    return ExtensionApproval.objects.filter(extension=extension)
