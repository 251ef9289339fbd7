"""What an evidence pack holds: one function per kind, each giving the pack's sections.

Everything is read as the records stood at the end of the pack's "as at" day: only records that
existed by then (their creation time or date on or before it), and their state then. A contract's
status, end date and value and a recommendation's status are read from their history rows
(`audits.models.ContractHistory`, `RecommendationHistory`: written by database triggers at each
change), the latest written before the end of the day. Where a record has no such row (the "as at"
day is before its history was kept) its state is worked out from its event rows as before (a
contract's end date and value from its approved extensions, its status from its events, a
recommendation's status from its events); a DPS membership's and a referral's status come from
their events. Always in a fixed order, so the same "as at" date gives the same content. Each
section carries the manifest entries of the records it shows; attached documents carry the
SHA-256 of their stored file, computed from the file itself.

Children are never named unless the pack says so (`include_names`, only for an auditor granted
`audits.view_child_names`); they appear by record id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from audits.models import (
    AuditReport,
    ContractHistory,
    EvidencePack,
    PackKind,
    Recommendation,
    RecommendationEvent,
    RecommendationHistory,
    RecommendationStatus,
)
from contracts.models import (
    DPS,
    Contract,
    ContractDocument,
    ContractEvent,
    ContractStatus,
    DPSMembership,
    DPSMembershipEvent,
    Extension,
    ExtensionApproval,
    ExtensionStatus,
    MembershipStatus,
    MonitoringKind,
    MonitoringRecord,
)
from contracts.selectors.overrun import Overrun, overrun_of
from referrals.models import (
    PackageLine,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralStatus,
    line_costs,
)

# Contracts per rendered part: a section of hundreds of contracts is laid out in parts.
CONTRACTS_PER_PART = 25
ROWS_PER_PART = 200
_CHUNK = 64 * 1024


@dataclass
class Section:
    """One part of the pack, rendered on its own: a title, a template and its context, and the
    manifest entries of the records it shows."""

    key: str
    title: str
    template: str
    context: dict
    records: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)


def cutoff_for(as_at: date) -> datetime:
    """The first moment after the "as at" day, in the service's time zone."""
    return timezone.make_aware(datetime.combine(as_at + timedelta(days=1), time.min))


def _stamp(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def record_entry(obj, recorded) -> dict:
    return {"model": obj._meta.label_lower, "id": obj.pk, "recorded": _stamp(recorded)}


def file_sha256(stored) -> str:
    """The SHA-256 of a stored file, read from storage; empty when the file is missing."""
    digest = hashlib.sha256()
    try:
        with stored.storage.open(stored.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError, ValueError):
        return ""
    return digest.hexdigest()


def document_entry(document, recorded, *, title: str = "") -> dict:
    computed = file_sha256(document.file)
    return {
        "model": document._meta.label_lower,
        "id": document.pk,
        "recorded": _stamp(recorded),
        "title": title,
        "size": document.size,
        "sha256": computed,
        "matches_recorded": bool(computed) and computed == document.sha256,
    }


def history_then(model, ids, cutoff: datetime) -> dict:
    """Per record id, its latest history row written before the cutoff (none for a record whose
    history was not yet kept then)."""
    rows = (
        model.objects.filter(pgh_obj_id__in=list(ids), pgh_created_at__lt=cutoff)
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
    )
    return {row.pgh_obj_id: row for row in rows}


def _parts(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _part_title(title: str, number: int, count: int) -> str:
    return title if count == 1 else f"{title} (part {number} of {count})"


# ----------------------------------------------------------------------------------------------
# Contracts as they stood


@dataclass
class ContractAsAt:
    contract: Contract
    status: str
    end_date: date
    total_value: Decimal | None
    extensions: list
    documents: list
    ran_past: list[str]
    # Package lines running past the end date (as at) within the period: days, value at risk.
    overrun: Overrun | None = None

    @property
    def status_label(self) -> str:
        return ContractStatus(self.status).label


class LineSpan(NamedTuple):
    """A package line as a contract's overrun and lapses read it: its dates and its cost, read
    as plain values (a big council has tens of thousands of lines on its contracts)."""

    start_on: date
    end_on: date | None
    hours_per_week: Decimal | None
    nights_per_year: int | None
    unit_rate: Decimal

    @property
    def cost_per_year(self) -> Decimal:
        return line_costs(self.hours_per_week, self.nights_per_year, self.unit_rate)[1]


def _status_as_at(contract: Contract, events: list, approved_by_then: bool) -> str:
    status_events = [e for e in events if e.kind == "status"]
    if not events:
        return contract.status
    if not status_events:
        return ContractStatus.DRAFT
    status = (status_events[-1].params or {}).get("status")
    if status == ContractStatus.TERMINATED:
        return ContractStatus.TERMINATED
    if status == ContractStatus.EXPIRED:
        return ContractStatus.EXPIRED
    return ContractStatus.EXTENDED if approved_by_then else ContractStatus.ACTIVE


def _extension_as_at(extension: Extension, as_at: date, cutoff: datetime) -> dict:
    decided = extension.decided_on is not None and extension.decided_on <= as_at
    if decided and extension.status in (ExtensionStatus.APPROVED, ExtensionStatus.REFUSED):
        status = extension.status
    elif extension.submitted_at is not None and extension.submitted_at < cutoff:
        status = ExtensionStatus.SUBMITTED
    else:
        status = ExtensionStatus.DRAFT
    approvals = [
        a for a in extension.approvals.all() if a.recorded_at < cutoff and a.decided_on <= as_at
    ]
    return {
        "extension": extension,
        "status": ExtensionStatus(status).label,
        "decided": decided,
        "approvals": approvals,
    }


def contracts_as_at(pack: EvidencePack, *, details: bool = True) -> list[ContractAsAt]:
    """The council's contracts in force at some time in the period, as they stood on as_at, and
    those that ended before it but were overrunning in it (package lines still running on
    them), whatever their end date. Without `details`, their lots, awards and documents are not
    read (each contract's `documents` is empty): a section that names only the contracts needs
    none of them."""
    as_at, cutoff = pack.as_at, cutoff_for(pack.as_at)
    last_day = min(pack.period_end, as_at)
    detail_prefetches = [
        "lots__awards__provider",
        Prefetch(
            "documents",
            queryset=ContractDocument.objects.filter(uploaded_at__lt=cutoff).order_by(
                "uploaded_at", "id"
            ),
            to_attr="documents_then",
        ),
    ]
    contracts = (
        Contract.objects.for_council(pack.council)
        .annotate(
            recorded_at=Min("events__at", filter=Q(events__kind="created")),
        )
        .filter(Q(recorded_at__lt=cutoff) | Q(recorded_at__isnull=True), start_date__lte=last_day)
        .select_related("dps")
        .prefetch_related(
            *(detail_prefetches if details else []),
            Prefetch(
                "events",
                queryset=ContractEvent.objects.filter(at__lt=cutoff).order_by("at", "id"),
                to_attr="events_then",
            ),
            Prefetch(
                "extensions",
                queryset=Extension.objects.filter(created_at__lt=cutoff)
                .prefetch_related(
                    Prefetch(
                        "approvals", queryset=ExtensionApproval.objects.order_by("decided_on", "id")
                    )
                )
                .order_by("created_at", "id"),
                to_attr="extensions_then",
            ),
            # Approved after as_at, or recorded after it (a decision dated earlier but entered
            # later): the contract's end date and value are taken from before the first of them.
            Prefetch(
                "extensions",
                queryset=Extension.objects.filter(status=ExtensionStatus.APPROVED)
                .filter(Q(decided_on__gt=as_at) | Q(created_at__gte=cutoff))
                .order_by("decided_on", "id"),
                to_attr="approved_later",
            ),
        )
        .order_by("start_date", "reference", "id")
    )
    contracts = list(contracts)
    ids = [c.pk for c in contracts]
    monitoring = {}
    for record in MonitoringRecord.objects.filter(contract_id__in=ids, held_on__lte=as_at).only(
        "contract_id", "held_on"
    ):
        monitoring.setdefault(record.contract_id, []).append(record.held_on)
    recorded = history_then(ContractHistory, ids, cutoff)
    ends = {c.pk: _end_as_at(c, recorded.get(c.pk), as_at) for c in contracts}
    lines = {}
    for contract_id, *span in PackageLine.objects.filter(
        lot__contract_id__in=[pk for pk, end in ends.items() if _ended_before(end, as_at)],
        start_on__lte=as_at,
    ).values_list("lot__contract_id", *LineSpan._fields):
        lines.setdefault(contract_id, []).append(LineSpan(*span))
    result = []
    for contract in contracts:
        then = recorded.get(contract.pk)
        end_date, total, approved_then = ends[contract.pk]
        if then is not None:
            status = then.status
        else:
            status = _status_as_at(contract, contract.events_then, bool(approved_then))
        if status == ContractStatus.DRAFT:
            continue
        overrun = overrun_of(
            lines.get(contract.pk, []),
            end_date=end_date,
            start=pack.period_start,
            until=last_day,
        )
        if end_date < pack.period_start and overrun is None:
            continue
        ran_past = _ran_past(
            contract,
            approved_then,
            end_date,
            status,
            as_at,
            monitoring.get(contract.pk, []),
            [(line.start_on, line.end_on) for line in lines.get(contract.pk, [])],
        )
        result.append(
            ContractAsAt(
                contract=contract,
                status=status,
                end_date=end_date,
                total_value=total,
                extensions=[_extension_as_at(e, as_at, cutoff) for e in contract.extensions_then],
                documents=contract.documents_then if details else [],
                ran_past=ran_past,
                overrun=overrun,
            )
        )
    return result


def _end_as_at(contract: Contract, then, as_at: date) -> tuple[date, Decimal | None, list]:
    """A contract's end date and value as they stood (from its history row `then` where kept),
    and the extensions approved by then, in the order they were decided."""
    end_date, total = contract.end_date, contract.total_value
    if then is not None:
        end_date, total = then.end_date, then.total_value
    elif contract.approved_later:
        first_later = contract.approved_later[0]
        end_date = first_later.previous_end_date or end_date
        total = first_later.previous_total_value
    approved_then = sorted(
        (
            e
            for e in contract.extensions_then
            if e.status == ExtensionStatus.APPROVED and e.decided_on and e.decided_on <= as_at
        ),
        key=lambda e: (e.decided_on, e.pk),
    )
    return end_date, total, approved_then


def _ended_before(end: tuple[date, Decimal | None, list], as_at: date) -> bool:
    """Whether the contract had an end (its end date, or one an extension moved) before as_at:
    only then can its package lines have run past an end (`overrun_of`, `_ran_past`), so only
    then are its lines read."""
    end_date, _, approved_then = end
    dates = [end_date]
    for extension in approved_then:
        dates += [extension.previous_end_date, extension.new_end_date]
    return any(day is not None and day < as_at for day in dates)


def _ran_past(contract, approved_then, end_date, status, as_at, held_on, lines) -> list[str]:
    """Each stretch in which the contract was used after its end date with no approved
    extension in place: monitoring held or package lines running, or still recorded as live."""
    first_end = approved_then[0].previous_end_date if approved_then else end_date
    gaps = []
    current = first_end or end_date
    for extension in approved_then:
        if extension.decided_on > current:
            gaps.append((current, extension.decided_on, extension))
        current = extension.new_end_date
    if current < as_at:
        gaps.append((current, as_at, None))
    findings = []
    for start, finish, late in gaps:
        visits = sum(1 for on in held_on if start < on <= finish)
        running = sum(1 for s, e in lines if s <= finish and (e is None or e > start))
        live = late is None and status in (ContractStatus.ACTIVE, ContractStatus.EXTENDED)
        if not (visits or running or live):
            continue
        used = []
        if visits:
            used.append(f"{visits} monitoring record{'s' if visits != 1 else ''}")
        if running:
            used.append(f"{running} package line{'s' if running != 1 else ''} running")
        if live:
            used.append(f"still recorded as {ContractStatus(status).label.lower()}")
        until = (
            f"until the extension approved on {late.decided_on:%d/%m/%Y}"
            if late
            else f"to {finish:%d/%m/%Y} with no approved extension"
        )
        findings.append(f"Ended {start:%d/%m/%Y}; used after that {until}: {', '.join(used)}.")
    return findings


def _contract_records(item: ContractAsAt) -> tuple[list[dict], list[dict]]:
    contract = item.contract
    records = [
        record_entry(contract, getattr(contract, "recorded_at", None) or contract.start_date)
    ]
    for lot in contract.lots.all():
        records.append(record_entry(lot, contract.start_date))
        records.extend(record_entry(award, contract.start_date) for award in lot.awards.all())
    for ext in item.extensions:
        extension = ext["extension"]
        records.append(record_entry(extension, extension.created_at))
        records.extend(record_entry(a, a.recorded_at) for a in ext["approvals"])
    documents = [document_entry(d, d.uploaded_at, title=d.title) for d in item.documents]
    return records, documents


def contract_compliance(pack: EvidencePack) -> list[Section]:
    items = contracts_as_at(pack)
    parts = _parts(items, CONTRACTS_PER_PART)
    sections = []
    for number, part in enumerate(parts, 1):
        section = Section(
            key=f"contracts-{number}",
            title=_part_title("Contracts in force in the period", number, len(parts)),
            template="audits/packs/pdf/contracts.html",
            context={"items": part, "first": number == 1, "count": len(items)},
        )
        for item in part:
            records, documents = _contract_records(item)
            section.records += records
            section.documents += documents
        sections.append(section)
    sections.append(
        Section(
            key="extensions",
            title="Extensions, their legal basis, approvals and decisions",
            template="audits/packs/pdf/extensions.html",
            context={"items": [i for i in items if i.extensions]},
        )
    )
    sections.append(
        Section(
            key="ran-past",
            title="Contracts that ran past their end date with no approved extension",
            template="audits/packs/pdf/ran_past.html",
            context={"items": [i for i in items if i.ran_past or i.overrun]},
        )
    )
    return sections


# ----------------------------------------------------------------------------------------------
# Dynamic purchasing systems


def dps(pack: EvidencePack) -> list[Section]:
    as_at, cutoff = pack.as_at, cutoff_for(pack.as_at)
    last_day = min(pack.period_end, as_at)
    systems = list(
        DPS.objects.for_council(pack.council)
        .filter(start_date__lte=last_day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=pack.period_start))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=DPSMembership.objects.select_related("provider")
                .prefetch_related(
                    Prefetch(
                        "events",
                        queryset=DPSMembershipEvent.objects.filter(
                            on__lte=as_at, at__lt=cutoff
                        ).order_by("on", "id"),
                        to_attr="events_then",
                    )
                )
                .order_by("provider__name", "id"),
            )
        )
        .order_by("start_date", "title", "id")
    )
    rows, records = [], []
    for system in systems:
        records.append(record_entry(system, system.start_date))
        members = []
        for membership in system.memberships.all():
            if not membership.events_then:
                continue
            status = membership.events_then[-1].to_status
            members.append(
                {
                    "membership": membership,
                    "status": MembershipStatus(status).label,
                    "since": membership.events_then[-1].on,
                    "events": [
                        {
                            "event": e,
                            "from": MembershipStatus(e.from_status).label if e.from_status else "",
                            "to": MembershipStatus(e.to_status).label,
                        }
                        for e in membership.events_then
                    ],
                }
            )
            records.append(record_entry(membership, membership.events_then[0].on))
            records.extend(record_entry(e, e.at) for e in membership.events_then)
        rows.append({"dps": system, "members": members})
    return [
        Section(
            key="dps",
            title="Dynamic purchasing systems, memberships and pre-approval checks",
            template="audits/packs/pdf/dps.html",
            context={"systems": rows},
            records=records,
        )
    ]


# ----------------------------------------------------------------------------------------------
# Referral records


def referral_records(pack: EvidencePack) -> list[Section]:
    as_at, cutoff = pack.as_at, cutoff_for(pack.as_at)
    referrals = list(
        Referral.objects.for_council(pack.council)
        .filter(
            received_on__gte=pack.period_start,
            received_on__lte=min(pack.period_end, as_at),
            created_at__lt=cutoff,
        )
        .select_related("child")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=ReferralDocument.objects.filter(uploaded_at__lt=cutoff).order_by(
                    "uploaded_at", "id"
                ),
                to_attr="documents_then",
            ),
            Prefetch(
                "events",
                queryset=ReferralEvent.objects.filter(on__lte=as_at, at__lt=cutoff).order_by(
                    "on", "id"
                ),
                to_attr="events_then",
            ),
        )
        .order_by("pk")
    )
    rows, records, documents = [], [], []
    for referral in referrals:
        status = referral.events_then[-1].to_status if referral.events_then else referral.status
        held = len(referral.documents_then)
        rows.append(
            {
                "referral": referral,
                "child_id": referral.child_id,
                "name": referral.child.full_name if pack.include_names else "",
                "status": ReferralStatus(status).label
                if status in ReferralStatus.values
                else status,
                "held": held,
            }
        )
        records.append(record_entry(referral, referral.created_at))
        documents.extend(document_entry(d, d.uploaded_at) for d in referral.documents_then)
    with_forms = sum(1 for row in rows if row["held"])
    counts = {"total": len(rows), "held": with_forms, "missing": len(rows) - with_forms}
    sections = [
        Section(
            key="referral-counts",
            title="Referral forms held on the child's record: counts",
            template="audits/packs/pdf/referral_counts.html",
            context={"counts": counts},
        )
    ]
    parts = _parts(rows, ROWS_PER_PART)
    for number, part in enumerate(parts, 1):
        section = Section(
            key=f"referrals-{number}",
            title=_part_title("Referral records by record id", number, len(parts)),
            template="audits/packs/pdf/referrals.html",
            context={"rows": part, "include_names": pack.include_names},
        )
        sections.append(section)
    sections[0].records = records
    sections[0].documents = documents
    return sections


# ----------------------------------------------------------------------------------------------
# Contract monitoring


def monitoring(pack: EvidencePack) -> list[Section]:
    # The monitoring section names each contract and lists its monitoring, nothing of its lots,
    # awards or documents.
    items = contracts_as_at(pack, details=False)
    last_day = min(pack.period_end, pack.as_at)
    ids = [item.contract.pk for item in items]
    by_contract: dict[int, list] = {}
    for record in MonitoringRecord.objects.filter(
        contract_id__in=ids, held_on__gte=pack.period_start, held_on__lte=last_day
    ).order_by("held_on", "id"):
        by_contract.setdefault(record.contract_id, []).append(record)
    rows, records = [], []
    for item in items:
        held = by_contract.get(item.contract.pk, [])
        counts = {kind: sum(1 for r in held if r.kind == kind) for kind in MonitoringKind.values}
        rows.append(
            {
                "item": item,
                "records": held,
                "visits": counts[MonitoringKind.QA_VISIT],
                "meetings": counts[MonitoringKind.PERFORMANCE_MEETING],
                "kpi_returns": counts[MonitoringKind.KPI_RETURN],
            }
        )
        records.extend(record_entry(r, r.held_on) for r in held)
    parts = _parts(rows, CONTRACTS_PER_PART)
    sections = []
    for number, part in enumerate(parts, 1):
        sections.append(
            Section(
                key=f"monitoring-{number}",
                title=_part_title(
                    "Visits, meetings and KPI returns by contract", number, len(parts)
                ),
                template="audits/packs/pdf/monitoring.html",
                context={"rows": part},
            )
        )
    sections[0].records = records
    return sections


# ----------------------------------------------------------------------------------------------
# Audit recommendations


def recommendations(pack: EvidencePack) -> list[Section]:
    as_at, cutoff = pack.as_at, cutoff_for(pack.as_at)
    reports = list(
        AuditReport.objects.for_council(pack.council)
        .filter(
            report_date__gte=pack.period_start,
            report_date__lte=min(pack.period_end, as_at),
            created_at__lt=cutoff,
        )
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.filter(created_at__lt=cutoff)
                .select_related("owner")
                .prefetch_related(
                    Prefetch(
                        "events",
                        queryset=RecommendationEvent.objects.filter(
                            on__lte=as_at, at__lt=cutoff
                        ).order_by("on", "id"),
                        to_attr="events_then",
                    )
                )
                .order_by("id"),
            )
        )
        .order_by("report_date", "id")
    )
    recorded = history_then(
        RecommendationHistory,
        (r.pk for report in reports for r in report.recommendations.all()),
        cutoff,
    )
    rows, records = [], []
    for report in reports:
        records.append(record_entry(report, report.created_at))
        lines = []
        for recommendation in report.recommendations.all():
            then = recorded.get(recommendation.pk)
            if then is not None:
                status, status_on = then.status, then.status_date
            else:
                changes = [e for e in recommendation.events_then if e.to_status]
                status = changes[-1].to_status if changes else RecommendationStatus.OPEN
                status_on = changes[-1].on if changes else report.report_date
            lines.append(
                {
                    "recommendation": recommendation,
                    "status": RecommendationStatus(status).label,
                    "status_on": status_on,
                }
            )
            records.append(record_entry(recommendation, recommendation.created_at))
            records.extend(record_entry(e, e.at) for e in recommendation.events_then)
        rows.append({"report": report, "lines": lines})
    return [
        Section(
            key="recommendations",
            title="Audit recommendations: progress",
            template="audits/packs/pdf/recommendations.html",
            context={"reports": rows},
            records=records,
        )
    ]


CONTENT = {
    PackKind.CONTRACT_COMPLIANCE: contract_compliance,
    PackKind.DPS: dps,
    PackKind.REFERRAL_RECORDS: referral_records,
    PackKind.MONITORING: monitoring,
    PackKind.RECOMMENDATIONS: recommendations,
}


def sections_for(pack: EvidencePack) -> list[Section]:
    return CONTENT[pack.kind](pack)


def manifest_for(pack: EvidencePack, sections: list[Section]) -> dict:
    """Every record and attached document in the pack, once each, in a fixed order."""
    records = {(r["model"], r["id"]): r for s in sections for r in s.records}
    documents = {(d["model"], d["id"]): d for s in sections for d in s.documents}
    return {
        "council": pack.council.slug,
        "kind": pack.kind,
        "period_start": pack.period_start.isoformat(),
        "period_end": pack.period_end.isoformat(),
        "as_at": pack.as_at.isoformat(),
        "include_names": pack.include_names,
        "records": [records[key] for key in sorted(records)],
        "documents": [documents[key] for key in sorted(documents)],
    }
