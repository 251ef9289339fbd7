"""The council's contracts as an Open Contracting Data Standard (OCDS) 1.1 release package.

One release per contract the council leads (a joint contract is published by its lead council;
participating councils appear in its parties as further buyers). Each release carries:

- `tender` with `lots` (the OCDS lots extension, named in the package's `extensions`);
- `awards`: one per awarded lot, naming that lot in `relatedLots` and every provider awarded on it
  as a supplier; a contract with no awarded lot gets one award for the whole contract, because
  OCDS links each contract to an award;
- `contracts`: the contract itself, with `period`, `value` in pounds and one `amendments` entry
  for each approved extension by variation (its date, rationale, and the old and new end date
  and value). OCDS links a contract to one award: a contract of several lots names the first
  lot's award.

Identifiers. An OCDS identifier (`ocid`) is a prefix registered with the Open Contracting
Partnership followed by the publisher's own id for the contracting process:
`<prefix>-<council slug>-<contract id>`. `OCID_PREFIX` below is this service's prefix; a deployment
that registers its own sets `OCDS_OCID_PREFIX` in the settings, which wins. Contract ids never
change and council slugs are unique, so an ocid is stable and unique across councils.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from contracts.models import (
    Award,
    Contract,
    ContractStatus,
    Extension,
    ExtensionStatus,
    Lot,
)
from shortbreaks.councils.models import Council
from shortbreaks.councils.selectors import scoped

OCDS_VERSION = "1.1"
# "ocds-" and six characters, the shape of a registered prefix: "shbrks" for short breaks.
OCID_PREFIX = "ocds-shbrks"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
CURRENCY = "GBP"
LONDON = ZoneInfo("Europe/London")

# Our contract status -> OCDS contractStatus (a closed codelist).
CONTRACT_STATUS = {
    ContractStatus.DRAFT: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.EXTENDED: "active",
    ContractStatus.EXPIRED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}


def ocid_prefix() -> str:
    return getattr(settings, "OCDS_OCID_PREFIX", OCID_PREFIX)


def ocid_for(contract: Contract) -> str:
    return f"{ocid_prefix()}-{contract.council.slug}-{contract.pk}"


def ocds_contracts(*, actor) -> QuerySet[Contract]:
    """The contracts the actor's council leads, with everything a release needs, in six queries
    however many contracts, lots, awards and extensions there are."""
    return (
        scoped(Contract.objects.select_related("council"), actor=actor)
        .annotate(last_change=Max("events__at"))
        .prefetch_related(
            Prefetch(
                "lots",
                queryset=Lot.objects.order_by("number").prefetch_related(
                    Prefetch(
                        "awards",
                        queryset=Award.objects.select_related("provider").order_by(
                            "provider__name", "id"
                        ),
                    )
                ),
            ),
            Prefetch(
                "extensions",
                queryset=Extension.objects.filter(status=ExtensionStatus.APPROVED).order_by(
                    "decided_on", "id"
                ),
                to_attr="approved_extensions",
            ),
            Prefetch("participating_councils", queryset=Council.objects.order_by("name")),
        )
        .order_by("start_date", "reference", "id")
    )


def release_package(*, actor, uri: str) -> dict:
    """The package for the actor's active council. `uri` is where the package is served."""
    council = actor.active_council
    contracts = list(ocds_contracts(actor=actor))
    # Generated on demand, so the package is dated by the last change to what it holds.
    published = max((_changed(c) for c in contracts), default=timezone.now())
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [LOTS_EXTENSION],
        "publishedDate": _stamp(published),
        "publisher": {"name": council.name},
        "releases": [contract_release(contract) for contract in contracts],
    }


def contract_release(contract: Contract) -> dict:
    ocid = ocid_for(contract)
    changed = _changed(contract)
    lots = list(contract.lots.all())
    extensions = getattr(contract, "approved_extensions", None)
    if extensions is None:
        extensions = list(
            contract.extensions.filter(status=ExtensionStatus.APPROVED).order_by("decided_on", "id")
        )
    buyer = _council_ref(contract.council)
    awards = _awards(contract, lots)
    ocds_contract = {
        "id": str(contract.pk),
        "awardID": awards[0]["id"],
        "title": contract.title,
        "description": f"{contract.get_kind_display()} contract, reference {contract.reference}.",
        "status": CONTRACT_STATUS[contract.status],
        "period": _period(contract),
        "amendments": [_amendment(extension) for extension in extensions],
    }
    if contract.total_value is not None:
        ocds_contract["value"] = _value(contract.total_value)
    tender = {
        "id": f"{contract.pk}-tender",
        "title": contract.title,
        "procuringEntity": buyer,
        "mainProcurementCategory": "services",
        "contractPeriod": _period(contract),
        "lots": [
            {"id": _lot_id(lot), "title": lot.name, "description": lot.description or lot.name}
            for lot in lots
        ],
    }
    if contract.status != ContractStatus.DRAFT:
        tender["status"] = "complete"
    if contract.procurement_route:
        tender["procurementMethodDetails"] = contract.procurement_route
    stamp = _stamp(changed)
    return {
        "ocid": ocid,
        "id": f"{contract.pk}-{changed.astimezone(UTC):%Y%m%dT%H%M%S%fZ}",
        "date": stamp,
        "tag": _tags(contract, lots, extensions),
        "initiationType": "tender",
        "language": "en",
        "parties": _parties(contract, lots),
        "buyer": buyer,
        "tender": tender,
        "awards": awards,
        "contracts": [ocds_contract],
    }


def _changed(contract: Contract) -> datetime:
    """The last change to the contract or anything on its timeline (lots, awards, extensions)."""
    return max(filter(None, [getattr(contract, "last_change", None), contract.updated_at]))


def _tags(contract: Contract, lots: list[Lot], extensions: list[Extension]) -> list[str]:
    tags = ["tender"]
    if any(lot.awards.all() for lot in lots):
        tags.append("award")
    if contract.status != ContractStatus.DRAFT:
        tags.append("contract")
    if extensions:
        tags.append("contractAmendment")
    if contract.status in (ContractStatus.EXPIRED, ContractStatus.TERMINATED):
        tags.append("contractTermination")
    return tags


def _council_ref(council: Council) -> dict:
    return {"id": f"council-{council.slug}", "name": council.name}


def _provider_id(award: Award) -> str:
    return f"provider-{award.provider_id}"


def _lot_id(lot: Lot) -> str:
    return f"lot-{lot.number}"


def _parties(contract: Contract, lots: list[Lot]) -> list[dict]:
    parties = [{**_council_ref(contract.council), "roles": ["buyer", "procuringEntity"]}]
    parties += [
        {**_council_ref(council), "roles": ["buyer"]}
        for council in contract.participating_councils.all()
    ]
    seen: set[int] = set()
    for lot in lots:
        for award in lot.awards.all():
            if award.provider_id in seen:
                continue
            seen.add(award.provider_id)
            provider = award.provider
            party = {"id": _provider_id(award), "name": provider.name, "roles": ["supplier"]}
            if provider.companies_house_number:
                party["identifier"] = {
                    "scheme": "GB-COH",
                    "id": provider.companies_house_number,
                    "legalName": provider.name,
                }
            elif provider.charity_number:
                party["identifier"] = {
                    "scheme": "GB-CHC",
                    "id": provider.charity_number,
                    "legalName": provider.name,
                }
            if provider.address or provider.postcode:
                party["address"] = {
                    "streetAddress": " ".join(provider.address.split()),
                    "postalCode": provider.postcode,
                    "countryName": "United Kingdom",
                }
            parties.append(party)
    return parties


def _awards(contract: Contract, lots: list[Lot]) -> list[dict]:
    status = "pending" if contract.status == ContractStatus.DRAFT else "active"
    awards = []
    for lot in lots:
        lot_awards = list(lot.awards.all())
        if not lot_awards:
            continue
        award = {
            "id": f"{contract.pk}-{_lot_id(lot)}",
            "title": f"Lot {lot.number}: {lot.name}",
            "status": status,
            "relatedLots": [_lot_id(lot)],
            "suppliers": [{"id": _provider_id(a), "name": a.provider.name} for a in lot_awards],
            "contractPeriod": _period(contract),
        }
        details = [
            f"{a.provider.name}: " + ", ".join(filter(None, [a.capacity, a.rates]))
            for a in lot_awards
            if a.capacity or a.rates
        ]
        if details:
            award["description"] = "; ".join(details) + "."
        values = [a.value for a in lot_awards if a.value is not None]
        if values:
            award["value"] = _value(sum(values, Decimal(0)))
        awards.append(award)
    if not awards:
        whole = {
            "id": f"{contract.pk}-award",
            "title": contract.title,
            "status": status,
            "relatedLots": [_lot_id(lot) for lot in lots],
            "suppliers": [],
            "contractPeriod": _period(contract),
        }
        if contract.total_value is not None:
            whole["value"] = _value(contract.total_value)
        awards.append(whole)
    return awards


def _amendment(extension: Extension) -> dict:
    old_end = extension.previous_end_date
    new_end = extension.new_end_date
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
    }


def _period(contract: Contract) -> dict:
    period = {"startDate": _start_of(contract.start_date), "endDate": _end_of(contract.end_date)}
    if contract.max_extent_date:
        period["maxExtentDate"] = _end_of(contract.max_extent_date)
    return period


def _value(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": CURRENCY}


def _start_of(day: date) -> str:
    """The first moment of a day in England, with its offset (BST or GMT)."""
    return datetime.combine(day, time.min, tzinfo=LONDON).isoformat()


def _end_of(day: date) -> str:
    """The last second of a day in England: a contract ending 31 March runs all that day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).isoformat()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
