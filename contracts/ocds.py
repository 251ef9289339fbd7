"""The council's contracting processes as Open Contracting Data Standard (OCDS) 1.1 data.

Processes. Each contract the council leads is one contracting process, and so is each of its
dynamic purchasing systems (DPS): a DPS call-off names its DPS in `relatedProcesses` (relationship
`framework`, by ocid). A joint contract is published once, by its lead council; the councils that
accepted a part in it are further buyers among its parties.

Releases, one for each stage, each saying what was true at that stage:

- a contract: `tender` (the contract as recorded: lots, the original period and value, how the
  provider was chosen, and the techniques extension's `hasDynamicPurchasingSystem` and
  `hasFrameworkAgreement`); `award` (an award for each awarded lot, naming its suppliers, its
  date and value); `contract` once it is signed and in force (a contract for each awarded lot,
  with `dateSigned`, the original period and the lot's value); `contractAmendment` for each
  approved extension (the new end date and value, and an amendment naming the release it
  amends); `contractTermination` once it has ended: terminated, or past its end date on the day
  the data is read (the status is always true on that day, whether or not the nightly job ran).
  An extension's before and after both stand: the release before it keeps the old end date and
  value.
- a DPS: `tender` (the DPS, with `hasDynamicPurchasingSystem` and its status); an `award` or
  `awardUpdate` whenever a provider is admitted or leaves, carrying that provider's party and
  its award only (`active`, or `cancelled` once it left); `tenderUpdate` when it closes.

A record per process holds its releases and the compiled release, which is what the releases
merge to under OCDS's merge rules (parties and awards merge by id). A contract's release carries
everything known at its stage; a DPS's carries what changed, so only its compiled release lists
every provider ever admitted.

Values. An award's value is what it is worth over the contract's whole term, so a contract's
awards add up to its value; each lot's contract starts at its award's value. An extension adds
value to the contract as a whole: it is shared among the lots' contracts in proportion to their
awards (the last lot takes the odd pennies), so that the contracts still add up to the
contract's value after each extension.

Identifiers. An ocid is the prefix the Open Contracting Partnership registered for the publisher
(settings.OCDS_OCID_PREFIX, which production must set) then the publisher's own id:
`<prefix>-<council slug>-<contract id>`, or `...-dps-<DPS id>`. Parties carry org-id identifiers
where they are known: GB-LAE (the register of local authorities in England) for councils, GB-COH
(Companies House) or GB-CHC (Charity Commission) for providers.

Pages. The export is council-wide, and at national scale large, so it comes a page of processes at
a time (the council's DPS first, then its contracts by start date). The OCDS 1.1 package has no
field for links to other pages, so they go in the HTTP `Link` header (contracts/api/ocds.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from contracts.models import (
    DPS,
    Award,
    Contract,
    ContractEvent,
    ContractKind,
    ContractStatus,
    DPSMembership,
    DPSMembershipEvent,
    DPSStatus,
    Extension,
    ExtensionStatus,
    Lot,
    MembershipStatus,
    ParticipationStatus,
)
from contracts.selectors.participation import participations_prefetch
from shortbreaks.councils.models import Council
from shortbreaks.councils.selectors import scoped

OCDS_VERSION = "1.1"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
TECHNIQUES_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/"
    "master/extension.json"
)
EXTENSIONS = [LOTS_EXTENSION, TECHNIQUES_EXTENSION]
CURRENCY = "GBP"
LONDON = ZoneInfo("Europe/London")
PENNY = Decimal("0.01")

# A process's releases grow with its history, not with the council's size, but a page's cost
# grows with the processes on it: with 20, a big council's first page costs about twice a small
# council's whole export (the bench's OCDS line), not ten times; `page_size` asks for up to
# MAX_PAGE_SIZE.
PAGE_SIZE = 20
# The timeline events that date a contract's stages: recorded, awarded, activated or terminated.
STAGE_EVENTS = ("created", "award", "status")
MAX_PAGE_SIZE = 100

# org-id.guide schemes.
LOCAL_AUTHORITY_SCHEME = "GB-LAE"
COMPANIES_HOUSE_SCHEME = "GB-COH"
CHARITY_COMMISSION_SCHEME = "GB-CHC"


class OCDSNotConfigured(Exception):
    """No registered ocid prefix is set: nothing can be published."""


def ocid_prefix() -> str:
    prefix = getattr(settings, "OCDS_OCID_PREFIX", "")
    if not prefix:
        raise OCDSNotConfigured(
            "The OCDS export is not set up: set OCDS_OCID_PREFIX to the ocid prefix the Open "
            "Contracting Partnership registered for this service."
        )
    return prefix


def ocid_for(contract: Contract) -> str:
    return f"{ocid_prefix()}-{contract.council.slug}-{contract.pk}"


def ocid_for_dps(dps: DPS) -> str:
    return f"{ocid_prefix()}-{dps.council.slug}-dps-{dps.pk}"


# ----------------------------------------------------------------------------------------------
# Reading: a page of the council's processes, in a fixed number of queries.


@dataclass
class Page:
    number: int
    size: int
    count: int  # processes in the whole export
    processes: list[DPS | Contract] = field(default_factory=list)

    @property
    def last(self) -> int:
        return max(1, -(-self.count // self.size))


class PageNotFound(Exception):
    pass


def _dps_queryset(actor) -> QuerySet[DPS]:
    return scoped(DPS.objects.select_related("council"), actor=actor).order_by("start_date", "id")


def _contract_queryset(actor) -> QuerySet[Contract]:
    """The contracts the actor's council leads (never the joint contracts of others)."""
    return scoped(Contract.objects.select_related("council", "dps__council"), actor=actor).order_by(
        "start_date", "reference", "id"
    )


def processes_page(*, actor, page: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of the actor's council's processes: its DPS first, then its contracts. Raises
    PageNotFound past the last page."""
    ocid_prefix()  # refuse early when nothing can be published
    dps_all = _dps_queryset(actor)
    contracts_all = _contract_queryset(actor)
    dps_count, contract_count = dps_all.count(), contracts_all.count()
    dps_all, contracts_all = (
        _with_dps_parts(dps_all),
        _with_contract_parts(contracts_all, actor=actor),
    )
    result = Page(number=page, size=size, count=dps_count + contract_count)
    if page < 1 or page > result.last:
        raise PageNotFound
    start, end = (page - 1) * size, page * size
    if start < dps_count:
        dps_list = list(dps_all[start : min(end, dps_count)])
        _attach_members(dps_list, actor=actor)
        result.processes += dps_list
    if end > dps_count:
        first = max(start - dps_count, 0)
        contract_list = list(contracts_all[first : end - dps_count])
        _attach_awards(contract_list, actor=actor)
        result.processes += contract_list
    return result


def _last(events: QuerySet) -> Subquery:
    """When the latest of `events` happened: a subquery for each row of the page only, where an
    aggregate over a join would read every process of the council before the page is cut."""
    return Subquery(events.order_by("-at").values("at")[:1])


# The page's related rows are put on their objects as lists (`to_attr`): a related manager's
# cache would clone the prefetch's queryset once for each membership, lot and contract.


def _prefetched(obj, attr: str, related: str) -> list:
    """The list a page's prefetch put on `obj` as `attr`, else `obj`'s related objects, read."""
    found = getattr(obj, attr, None)
    return list(getattr(obj, related).all()) if found is None else found


def _awards(lot: Lot) -> list[Award]:
    return _prefetched(lot, "award_list", "awards")


def _events(membership: DPSMembership) -> list[DPSMembershipEvent]:
    return _prefetched(membership, "event_list", "events")


# What a provider's party is made of (`_provider_party`). A DPS's members and a page's awards are
# hundreds of rows: each is read with the columns the releases use and no more.
PROVIDER_FIELDS = tuple(
    f"provider__{name}"
    for name in ("name", "companies_house_number", "charity_number", "address", "postcode")
)


def _own_providers(actor) -> dict:
    """A DPS's members and a contract's suppliers are always the council's own providers (the
    services refuse any other). Saying so lets PostgreSQL read them from the council's index:
    under row-level security it cannot tell how few they are, and otherwise walks every
    council's providers to join them (decision 0029)."""
    return {"provider__council_id": actor.active_council_id}


def _with_dps_parts(dps: QuerySet[DPS]) -> QuerySet[DPS]:
    return dps.annotate(
        last_change=_last(DPSMembershipEvent.objects.filter(membership__dps=OuterRef("pk")))
    )


# A DPS's members, their providers and their admissions and departures are hundreds of rows on a
# big council's first page. They are read as plain rows into these small objects, which answer
# the same attributes the releases read from the models: making a model instance (and a related
# manager's bookkeeping) for each row cost more than the rest of the DPS's releases together.


class _MemberProvider:
    __slots__ = ("pk", "name", "companies_house_number", "charity_number", "address", "postcode")

    def __init__(self, pk, name, companies_house_number, charity_number, address, postcode):
        self.pk, self.name = pk, name
        self.companies_house_number, self.charity_number = companies_house_number, charity_number
        self.address, self.postcode = address, postcode


class _Member:
    __slots__ = ("pk", "provider", "event_list")

    def __init__(self, pk, provider: _MemberProvider):
        self.pk, self.provider, self.event_list = pk, provider, []


class _MemberEvent:
    __slots__ = ("pk", "to_status", "on", "reason")

    def __init__(self, pk, to_status, on, reason):
        self.pk, self.to_status, self.on, self.reason = pk, to_status, on, reason

    @property
    def id(self):
        return self.pk


def _attach_members(dps_list: list[DPS], *, actor) -> None:
    """Each DPS's members (by provider name) with their admissions and departures (by date), in
    two queries for the whole page, as `membership_list` and each member's `event_list`."""
    if not dps_list:
        return
    by_dps: dict[int, list[_Member]] = {dps.pk: [] for dps in dps_list}
    members: dict[int, _Member] = {}
    rows = (
        DPSMembership.objects.filter(dps__in=[dps.pk for dps in dps_list], **_own_providers(actor))
        .order_by("provider__name", "id")
        .values_list("id", "dps_id", "provider_id", *PROVIDER_FIELDS)
    )
    for pk, dps_id, provider_id, *provider in rows:
        member = members[pk] = _Member(pk, _MemberProvider(provider_id, *provider))
        by_dps[dps_id].append(member)
    if members:
        # Only admissions and departures make releases; the steps between an application and
        # its decision are most of a DPS's events.
        events = (
            DPSMembershipEvent.objects.filter(
                membership__in=list(members),
                to_status__in=(MembershipStatus.APPROVED, MembershipStatus.EXITED),
            )
            .order_by("on", "id")
            .values_list("id", "membership_id", "to_status", "on", "reason")
        )
        for pk, membership_id, to_status, on, reason in events:
            members[membership_id].event_list.append(_MemberEvent(pk, to_status, on, reason))
    for dps in dps_list:
        dps.membership_list = by_dps[dps.pk]


class _LotAward:
    __slots__ = ("provider", "rates", "capacity", "value", "awarded_on")

    def __init__(self, provider: _MemberProvider, rates, capacity, value, awarded_on):
        self.provider, self.rates, self.capacity = provider, rates, capacity
        self.value, self.awarded_on = value, awarded_on


def _attach_awards(contract_list: list[Contract], *, actor) -> None:
    """Each lot's awards (by provider name) for a page of contracts, in one query, as plain rows
    (as a DPS's members are) on each lot's `award_list`."""
    lots = {lot.pk: lot for contract in contract_list for lot in contract.lot_list}
    for lot in lots.values():
        lot.award_list = []
    if not lots:
        return
    rows = (
        Award.objects.filter(lot__in=list(lots), **_own_providers(actor))
        .order_by("provider__name", "id")
        .values_list(
            "lot_id", "provider_id", *PROVIDER_FIELDS, "rates", "capacity", "value", "awarded_on"
        )
    )
    for lot_id, provider_id, *rest in rows:
        provider = _MemberProvider(provider_id, *rest[: len(PROVIDER_FIELDS)])
        lots[lot_id].award_list.append(_LotAward(provider, *rest[len(PROVIDER_FIELDS) :]))


def _with_contract_parts(contracts: QuerySet[Contract], *, actor) -> QuerySet[Contract]:
    last_change = _last(ContractEvent.objects.filter(contract=OuterRef("pk")))
    return contracts.annotate(last_change=last_change).prefetch_related(
        Prefetch(
            "lots",
            queryset=Lot.objects.order_by("number"),
            to_attr="lot_list",
        ),
        Prefetch(
            "extensions",
            queryset=Extension.objects.filter(status=ExtensionStatus.APPROVED).order_by(
                "decided_on", "id"
            ),
            to_attr="approved_extensions",
        ),
        # What dates the stages where the register has no date of its own.
        Prefetch(
            "events",
            queryset=ContractEvent.objects.filter(kind__in=STAGE_EVENTS)
            .only("contract", "kind", "at")
            .order_by("at", "id"),
            to_attr="stage_events",
        ),
        participations_prefetch(actor=actor),
    )


# ----------------------------------------------------------------------------------------------
# Packages


def _publisher(council: Council) -> dict:
    publisher = {"name": council.name}
    if council.local_authority_code:
        publisher["scheme"] = LOCAL_AUTHORITY_SCHEME
        publisher["uid"] = council.local_authority_code
    return publisher


def _published(processes, releases: list[dict]) -> str:
    """The package is generated on demand: it is dated by the last change to what it holds."""
    moments = [getattr(p, "last_change", None) for p in processes]
    moments += [getattr(p, "updated_at", None) for p in processes]
    moments = [m for m in moments if m is not None]
    if moments:
        return _stamp(max(moments))
    return max((r["date"] for r in releases), default=_stamp(timezone.now()))


def release_package(
    *, actor, uri: str, page: Page | None = None, today: date | None = None
) -> dict:
    """A release package of one page of the actor's council's processes (the first page unless
    `page` is given). `uri` is where this page is served."""
    page = page or processes_page(actor=actor)
    today = today or timezone.localdate()
    releases = [release for process in page.processes for release in releases_for(process, today)]
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": _published(page.processes, releases),
        "publisher": _publisher(actor.active_council),
        "releases": releases,
    }


def record_package(*, actor, uri: str, page: Page | None = None, today: date | None = None) -> dict:
    """A record package of one page of processes: each record holds the process's releases and
    its compiled release."""
    page = page or processes_page(actor=actor)
    today = today or timezone.localdate()
    records, every_release = [], []
    for process in page.processes:
        releases = releases_for(process, today)
        every_release += releases
        records.append(
            {
                "ocid": releases[0]["ocid"],
                "releases": releases,
                "compiledRelease": compiled_release(releases),
            }
        )
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": _published(page.processes, every_release),
        "publisher": _publisher(actor.active_council),
        "records": records,
    }


def releases_for(process: DPS | Contract, today: date) -> list[dict]:
    if isinstance(process, DPS):
        return dps_releases(process, today)
    return contract_releases(process, today)


# Arrays of objects that OCDS merges as a whole (`wholeListMerge` in the release schema) rather
# than item by item.
WHOLE_LISTS = frozenset({"additionalIdentifiers", "additionalClassifications"})


def compiled_release(releases: list[dict]) -> dict:
    """What the releases merge to under OCDS 1.1's merge rules, as far as this export uses them:
    a field takes its latest value, objects merge field by field, and an array of objects with
    ids merges item by item, by id, in the order the ids first appear. A DPS's releases carry
    only the providers they change, so its compiled release is where every member is listed."""
    compiled: dict = {}
    # Each merged array's items by id, kept for the whole merge: a DPS's parties grow by one
    # provider a release, and indexing them afresh for each release would cost the square of its
    # members. The array is kept with its index so that its id is never reused while merging.
    indexes: dict[int, tuple[list, dict]] = {}
    for release in releases:
        _merge_into(compiled, release, indexes)
    compiled["id"] = f"{compiled['ocid']}-{compiled['date']}"
    compiled["tag"] = ["compiled"]
    return compiled


def _merge_into(target: dict, source: dict, indexes: dict[int, tuple[list, dict]]) -> None:
    for key, value in source.items():
        if isinstance(value, dict):
            found = target.get(key)
            if not isinstance(found, dict):
                found = target[key] = {}
            _merge_into(found, value, indexes)
        elif (
            isinstance(value, list)
            and value
            and key not in WHOLE_LISTS
            and all(isinstance(item, dict) and "id" in item for item in value)
        ):
            found = target.get(key)
            if not isinstance(found, list):
                found = target[key] = []
            known = indexes.get(id(found))
            if known is None:
                known = indexes[id(found)] = (found, {item["id"]: item for item in found})
            by_id = known[1]
            for item in value:
                merged = by_id.get(item["id"])
                if merged is None:
                    merged = by_id[item["id"]] = {}
                    found.append(merged)
                _merge_into(merged, item, indexes)
        else:
            target[key] = _copied(value)


def _copied(value):
    """A JSON value's own copy: a release's lists and dicts are never shared with the merge."""
    if isinstance(value, dict):
        return {
            key: _copied(item) if isinstance(item, dict | list) else item
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_copied(item) if isinstance(item, dict | list) else item for item in value]
    return value


# ----------------------------------------------------------------------------------------------
# A contract's releases


@dataclass
class _Stage:
    tag: str
    name: str
    moment: datetime
    extensions: list[Extension] = field(default_factory=list)  # approved and in force by then
    awarded: bool = False
    in_force: bool = False
    ended: bool = False

    @property
    def release_id(self) -> str:
        return f"{self.name}-{self.moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def contract_releases(contract: Contract, today: date) -> list[dict]:
    """Every stage of the contract's process so far, as releases in order."""
    ocid = ocid_for(contract)
    lots = _prefetched(contract, "lot_list", "lots")
    awarded_lots = [lot for lot in lots if _awards(lot)]
    extensions = _approved_extensions(contract)
    stages = _contract_stages(contract, awarded_lots, extensions, today)
    # Each amendment names the release it amends (the stage before it) and its own.
    amends = {
        stage.extensions[-1].pk: (before.release_id, stage.release_id)
        for before, stage in zip(stages, stages[1:], strict=False)
        if stage.tag == "contractAmendment"
    }
    # What does not change from one stage to the next is made once for the contract: its
    # parties, its tender (which only says whether it is awarded yet), its awards, each lot's
    # value and each amendment. Each release has its own lists and dicts of them.
    parties = {
        awarded: _contract_parties(contract, awarded_lots if awarded else [])
        for awarded in {stage.awarded for stage in stages}
    }
    tenders = {
        awarded: _contract_tender(contract, lots, extensions, awarded=awarded)
        for awarded in {stage.awarded for stage in stages}
    }
    buyer = _council_ref(contract.council)
    awards = [_lot_award(contract, lot, extensions) for lot in awarded_lots]
    lot_contracts = _LotContracts(contract, awarded_lots, extensions, amends)
    releases = []
    for stage in stages:
        release = {
            "ocid": ocid,
            "id": stage.release_id,
            "date": _stamp(stage.moment),
            "tag": [stage.tag],
            "initiationType": "tender",
            "language": "en",
            "parties": list(parties[stage.awarded]),
            "buyer": dict(buyer),
            "tender": dict(tenders[stage.awarded]),
        }
        if contract.dps_id:
            release["relatedProcesses"] = [_dps_link(contract.dps)]
        if stage.awarded:
            release["awards"] = list(awards)
        if stage.in_force:
            release["contracts"] = lot_contracts.at(stage)
        releases.append(release)
    return releases


def _approved_extensions(contract: Contract) -> list[Extension]:
    extensions = getattr(contract, "approved_extensions", None)
    if extensions is None:
        extensions = list(
            contract.extensions.filter(status=ExtensionStatus.APPROVED).order_by("decided_on", "id")
        )
    return extensions


def _contract_stages(contract, awarded_lots, extensions, today: date) -> list[_Stage]:
    """The stages the contract has reached, each with when it happened: the award's and the
    signing's own dates where they are recorded, else when they were recorded here."""
    events = _prefetched(contract, "stage_events", "events")
    recorded = events[0].at if events else contract.updated_at
    status_events = [e for e in events if e.kind == "status"]
    award_dates = [a.awarded_on for lot in awarded_lots for a in _awards(lot)]
    if award_dates and all(award_dates):
        awarded_at = _moment(max(award_dates))
    else:
        awarded_at = max((e.at for e in events if e.kind == "award"), default=recorded)
    if contract.date_signed:
        signed_at = _moment(contract.date_signed)
    elif status_events:
        signed_at = status_events[0].at  # made active
    else:
        signed_at = _moment(contract.start_date)
    in_force = contract.status != ContractStatus.DRAFT and bool(awarded_lots)

    tender_at = min([recorded, awarded_at] + ([signed_at] if in_force else []))
    stages = [_Stage("tender", "tender", tender_at)]
    if awarded_lots:
        stages.append(_Stage("award", "award", awarded_at, awarded=True))
    if in_force:
        stages.append(_Stage("contract", "contract", signed_at, awarded=True, in_force=True))
        for number, extension in enumerate(extensions, 1):
            stages.append(
                _Stage(
                    "contractAmendment",
                    f"amendment-{extension.pk}",
                    _moment(extension.decided_on),
                    extensions=extensions[:number],
                    awarded=True,
                    in_force=True,
                )
            )
        ended_at = _ended_at(contract, status_events, today)
        if ended_at is not None:
            stages.append(
                _Stage(
                    "contractTermination",
                    "termination",
                    ended_at,
                    extensions=list(extensions),
                    awarded=True,
                    in_force=True,
                    ended=True,
                )
            )
    # A release never comes before the one it builds on.
    for before, stage in zip(stages, stages[1:], strict=False):
        stage.moment = max(stage.moment, before.moment)
    return stages


def _ended_at(contract: Contract, status_events, today: date) -> datetime | None:
    """When the contract stopped being in force, if it has: terminated early, or past its end
    date on `today` (whether or not the nightly job has marked it expired)."""
    if contract.status == ContractStatus.TERMINATED and len(status_events) > 1:
        return status_events[-1].at
    if contract.end_date < today:
        return _moment(contract.end_date + timedelta(days=1))
    return None


def _original(contract: Contract, extensions: list[Extension]) -> tuple[date, Decimal | None]:
    """The end date and total value before any approved extension."""
    if extensions:
        return extensions[0].previous_end_date, extensions[0].previous_total_value
    return contract.end_date, contract.total_value


# What `get_kind_display()` answers, looked up without making the field's choices hashable again
# for each contract of the page.
_KIND_LABELS = dict(ContractKind.choices)


def _contract_tender(contract, lots, extensions, *, awarded: bool) -> dict:
    end_date, total = _original(contract, extensions)
    tender = {
        "id": f"{contract.pk}-tender",
        "title": contract.title,
        "description": f"{_KIND_LABELS.get(contract.kind, contract.kind)} contract, "
        f"reference {contract.reference}.",
        "status": "complete" if awarded else "active",
        "procuringEntity": _council_ref(contract.council),
        "mainProcurementCategory": "services",
        "contractPeriod": _period(contract.start_date, end_date, contract.max_extent_date),
        "techniques": {
            "hasFrameworkAgreement": contract.kind == ContractKind.FRAMEWORK,
            "hasDynamicPurchasingSystem": contract.kind == ContractKind.DPS_CALL_OFF,
        },
    }
    if contract.procurement_method:
        tender["procurementMethod"] = contract.procurement_method
    if contract.procurement_route:
        tender["procurementMethodDetails"] = contract.procurement_route
    if total is not None:
        tender["value"] = _value(total)
    if lots:
        tender["lots"] = [
            {"id": _lot_id(lot), "title": lot.name, "description": lot.description or lot.name}
            for lot in lots
        ]
    return tender


def _lot_value(lot: Lot) -> Decimal | None:
    """What the lot's awards are worth together, if each has its value."""
    values = [award.value for award in _awards(lot)]
    if any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def _lot_award(contract: Contract, lot: Lot, extensions: list[Extension]) -> dict:
    lot_awards = _awards(lot)
    end_date, _ = _original(contract, extensions)
    award = {
        "id": _award_id(contract, lot),
        "title": f"Lot {lot.number}: {lot.name}",
        "status": "pending" if contract.status == ContractStatus.DRAFT else "active",
        "relatedLots": [_lot_id(lot)],
        "suppliers": [
            _party_ref(_provider_party_id(a.provider), a.provider.name) for a in lot_awards
        ],
        "contractPeriod": _period(contract.start_date, end_date, contract.max_extent_date),
    }
    dates = [a.awarded_on for a in lot_awards]
    if dates and all(dates):
        award["date"] = _start_of(max(dates))
    details = [
        f"{a.provider.name}: " + ", ".join(filter(None, [a.capacity, a.rates]))
        for a in lot_awards
        if a.capacity or a.rates
    ]
    if details:
        award["description"] = "; ".join(details) + "."
    value = _lot_value(lot)
    if value is not None:
        award["value"] = _value(value)
    return award


def shares(values: list[Decimal], added: Decimal) -> list[Decimal]:
    """`added` shared in proportion to `values`, to the penny; the last takes what is left, so
    the shares always add up to `added`."""
    if not values:
        return []
    whole = sum(values, Decimal(0))
    if whole == 0:
        parts = [Decimal(0)] * len(values)
    else:
        parts = [(added * v / whole).quantize(PENNY, rounding=ROUND_HALF_UP) for v in values]
    parts[-1] = added - sum(parts[:-1], Decimal(0))
    return parts


class _LotContracts:
    """A contract for each awarded lot, as it stood at a stage. What every stage shares (each
    lot's value and names, each amendment) is made once for the contract."""

    def __init__(self, contract, awarded_lots, extensions, amends):
        self.contract, self.lots = contract, awarded_lots
        self.original_end, _ = _original(contract, extensions)
        self.values = [_lot_value(lot) for lot in awarded_lots]
        self.known = all(v is not None for v in self.values)
        self.amendments = {
            extension.pk: _amendment(extension, *amends[extension.pk])
            for extension in extensions
            if extension.pk in amends
        }
        self.signed = _start_of(contract.date_signed) if contract.date_signed else None

    def at(self, stage: _Stage) -> list[dict]:
        contract, in_force = self.contract, stage.extensions
        end_date = in_force[-1].new_end_date if in_force else self.original_end
        added = (
            shares(self.values, sum((e.added_value for e in in_force), Decimal(0)))
            if self.known
            else []
        )
        amendments = [self.amendments[extension.pk] for extension in in_force]
        period = _period(contract.start_date, end_date, contract.max_extent_date)
        result = []
        for index, lot in enumerate(self.lots):
            item = {
                "id": f"{contract.pk}-{_lot_id(lot)}",
                "awardID": _award_id(contract, lot),
                "title": f"{contract.title}: lot {lot.number}, {lot.name}",
                "status": "terminated" if stage.ended else "active",
                "period": dict(period),
            }
            if self.known:
                item["value"] = _value(self.values[index] + added[index])
            if self.signed:
                item["dateSigned"] = self.signed
            if amendments:
                item["amendments"] = list(amendments)
            result.append(item)
        return result


def _amendment(extension: Extension, amended_release: str, own_release: str) -> dict:
    old_end, new_end = extension.previous_end_date, extension.new_end_date
    description = (
        f"Extension by variation ({extension.get_legal_basis_display()}), approved by "
        f"{extension.decision_maker} on {extension.decided_on:%Y-%m-%d}: end date moved from "
        f"{old_end:%Y-%m-%d} to {new_end:%Y-%m-%d}; value increased by "
        f"£{extension.added_value:,.2f}"
    )
    if extension.previous_total_value is not None:
        total = extension.previous_total_value + extension.added_value
        description += f", from £{extension.previous_total_value:,.2f} to £{total:,.2f}"
    description += "."
    if extension.decided_despite_refusal:
        description += " Decided despite a refused exemption from the Contract Procedure Rules."
    return {
        "id": f"extension-{extension.pk}",
        "date": _start_of(extension.decided_on),
        "rationale": extension.rationale,
        "description": description,
        "amendsReleaseID": amended_release,
        "releaseID": own_release,
    }


def _dps_link(dps: DPS) -> dict:
    return {
        "id": f"dps-{dps.pk}",
        "relationship": ["framework"],
        "title": dps.title,
        "scheme": "ocid",
        "identifier": ocid_for_dps(dps),
    }


def _contract_parties(contract: Contract, awarded_lots: list[Lot]) -> list[dict]:
    parties = [_council_party(contract.council, ["buyer", "procuringEntity"])]
    for participation in _prefetched(contract, "participation_list", "participations"):
        if participation.status == ParticipationStatus.ACCEPTED:
            parties.append(_council_party(participation.council, ["buyer"]))
    seen: set[str] = set()
    for lot in awarded_lots:
        for award in _awards(lot):
            party = _provider_party(award.provider)
            if party["id"] not in seen:
                seen.add(party["id"])
                parties.append(party)
    return parties


# ----------------------------------------------------------------------------------------------
# A DPS's releases


def dps_releases(dps: DPS, today: date) -> list[dict]:
    """The DPS set up, then each admission and departure, then its close."""
    ocid = ocid_for_dps(dps)
    memberships = _prefetched(dps, "membership_list", "memberships")
    changes = []  # (event, membership, award status): where an award appears or changes
    state: dict[int, str] = {}  # membership id -> award status so far
    for event, membership in sorted(
        ((e, m) for m in memberships for e in _events(m)), key=lambda em: (em[0].on, em[0].id)
    ):
        before = state.get(membership.pk)
        if event.to_status == MembershipStatus.APPROVED and before is None:
            state[membership.pk] = "active"
        elif event.to_status == MembershipStatus.EXITED and before == "active":
            state[membership.pk] = "cancelled"
        else:
            continue
        changes.append((event, membership, state[membership.pk]))

    started = min(_moment(dps.start_date), timezone.now())
    closed = dps.status == DPSStatus.CLOSED or (dps.end_date is not None and dps.end_date < today)
    points = [("tender", "tender", started, None)]
    for number, (event, membership, status) in enumerate(changes):
        tag = "award" if number == 0 else "awardUpdate"
        points.append(
            (tag, f"membership-event-{event.pk}", _moment(event.on), (membership, status))
        )
    if closed:
        ended = _moment(dps.end_date + timedelta(days=1)) if dps.end_date else points[-1][2]
        points.append(("tenderUpdate", "closed", ended, None))
    # Each release carries what it changes, as OCDS's merge allows: the DPS itself when it is set
    # up and when it closes; on each admission or departure, the council and that provider, with
    # its award. Merged by id (the compiled release), they list every provider ever admitted, in
    # the order they were admitted, each award at its latest status. Repeating every member in
    # every release made what a DPS publishes grow with the square of its providers
    # (docs/decisions/0029).
    council_party = _council_party(dps.council, ["buyer", "procuringEntity"])
    buyer = _council_ref(dps.council)
    tenders = {flag: _dps_tender(dps, today, closed=flag) for flag in (False, True)}
    parties: dict[int, dict] = {}  # membership id -> its provider's party, made once
    releases, previous = [], None
    for tag, name, moment, change in points:
        moment = max(moment, previous) if previous else moment
        previous = moment
        release = {
            "ocid": ocid,
            "id": f"{name}-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            "date": _stamp(moment),
            "tag": [tag],
            "initiationType": "tender",
            "language": "en",
            "parties": [dict(council_party)],
            "buyer": dict(buyer),
        }
        if change is None:
            release["tender"] = dict(tenders[tag == "tenderUpdate"])
        else:
            membership, status = change
            if membership.pk not in parties:
                parties[membership.pk] = _provider_party(membership.provider)
            release["parties"].append(parties[membership.pk])
            release["awards"] = [_membership_award(dps, membership, status)]
        releases.append(release)
    return releases


def _dps_tender(dps: DPS, today: date, *, closed: bool) -> dict:
    if closed:
        status = "terminated"
    elif dps.start_date > today:
        status = "pending"
    else:
        status = "active"
    tender = {
        "id": f"dps-{dps.pk}-tender",
        "title": dps.title,
        "status": "complete" if closed else "active",
        "procuringEntity": _council_ref(dps.council),
        "mainProcurementCategory": "services",
        "procurementMethod": "selective",
        "procurementMethodDetails": "Dynamic purchasing system: providers that pass the "
        "pre-approval checks join it, and contracts are called off from its members.",
        "techniques": {
            "hasDynamicPurchasingSystem": True,
            "dynamicPurchasingSystem": {"type": "closed", "status": status},
        },
        "tenderPeriod": _period(dps.start_date, dps.end_date),
        "contractPeriod": _period(dps.start_date, dps.end_date),
    }
    categories = [line.strip() for line in dps.categories.splitlines() if line.strip()]
    if categories:
        tender["description"] = "Categories: " + "; ".join(categories) + "."
    return tender


def _membership_award(dps: DPS, membership: DPSMembership, status: str) -> dict:
    approved = next(
        (e.on for e in _events(membership) if e.to_status == MembershipStatus.APPROVED), None
    )
    award = {
        "id": f"membership-{membership.pk}",
        "title": f"{membership.provider.name} admitted to the DPS",
        "status": status,
        "suppliers": [
            _party_ref(_provider_party_id(membership.provider), membership.provider.name)
        ],
    }
    if approved:
        award["date"] = _start_of(approved)
    if status == "cancelled":
        left = next(
            (e for e in _events(membership) if e.to_status == MembershipStatus.EXITED), None
        )
        if left is not None:
            award["description"] = f"Left the DPS on {left.on:%Y-%m-%d}: {left.reason}"
    return award


# ----------------------------------------------------------------------------------------------
# Parties, identifiers and values


def _party_ref(party_id: str, name: str) -> dict:
    return {"id": party_id, "name": name}


def _council_party_id(council: Council) -> str:
    if council.local_authority_code:
        return f"{LOCAL_AUTHORITY_SCHEME}-{council.local_authority_code}"
    return f"council-{council.slug}"


def _council_ref(council: Council) -> dict:
    return _party_ref(_council_party_id(council), council.name)


def _council_party(council: Council, roles: list[str]) -> dict:
    party = {**_council_ref(council), "roles": roles}
    if council.local_authority_code:
        party["identifier"] = {
            "scheme": LOCAL_AUTHORITY_SCHEME,
            "id": council.local_authority_code,
            "legalName": council.name,
        }
    return party


def _provider_identifier(provider) -> tuple[str, str] | None:
    if provider.companies_house_number:
        return COMPANIES_HOUSE_SCHEME, provider.companies_house_number
    if provider.charity_number:
        return CHARITY_COMMISSION_SCHEME, provider.charity_number
    return None


def _provider_party_id(provider) -> str:
    identifier = _provider_identifier(provider)
    if identifier:
        return "-".join(identifier)
    return f"provider-{provider.pk}"


def _provider_party(provider) -> dict:
    party = {
        "id": _provider_party_id(provider),
        "name": provider.name,
        "roles": ["supplier"],
    }
    identifier = _provider_identifier(provider)
    if identifier:
        party["identifier"] = {
            "scheme": identifier[0],
            "id": identifier[1],
            "legalName": provider.name,
        }
        other = (
            (CHARITY_COMMISSION_SCHEME, provider.charity_number)
            if identifier[0] == COMPANIES_HOUSE_SCHEME and provider.charity_number
            else None
        )
        if other:
            party["additionalIdentifiers"] = [{"scheme": other[0], "id": other[1]}]
    if provider.address or provider.postcode:
        party["address"] = {"countryName": "United Kingdom"}
        if provider.address:
            party["address"]["streetAddress"] = " ".join(provider.address.split())
        if provider.postcode:
            party["address"]["postalCode"] = provider.postcode
    return party


def _lot_id(lot: Lot) -> str:
    return f"lot-{lot.number}"


def _award_id(contract: Contract, lot: Lot) -> str:
    return f"{contract.pk}-{_lot_id(lot)}"


def _period(start: date, end: date | None, max_extent: date | None = None) -> dict:
    period = {"startDate": _start_of(start)}
    if end is not None:
        period["endDate"] = _end_of(end)
    if max_extent is not None:
        period["maxExtentDate"] = _end_of(max_extent)
    return period


def _value(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": CURRENCY}


def _moment(day: date) -> datetime:
    """The first moment of a day in England."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


# A page repeats the same days and moments hundreds of times (a DPS's admissions): each is
# written out once.
@lru_cache(maxsize=4096)
def _start_of(day: date) -> str:
    """The first moment of a day in England, with its offset (BST or GMT)."""
    return _moment(day).isoformat()


@lru_cache(maxsize=4096)
def _end_of(day: date) -> str:
    """The last second of a day in England: a contract ending 31 March runs all that day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).isoformat()


@lru_cache(maxsize=4096)
def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
