"""The OCDS export at size: a DPS's releases each carry the one provider they admit or lose, so
what a DPS publishes grows with its providers, not their square; its compiled release still lists
every one. A contract's releases repeat its parties, tender and awards, but each is made once."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import json_merge_patch
import ocdsmerge
import pytest
from django.urls import reverse

from contracts import ocds
from contracts.models import (
    DPS,
    Award,
    Contract,
    ContractEvent,
    ContractStatus,
    DPSMembership,
    DPSMembershipEvent,
    Lot,
)
from providers.models import Provider
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.contracts.ocds_review import SCHEMAS
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

MEMBERS = 35
LEFT = range(0, MEMBERS, 4)  # these providers left the DPS again
CONTRACTS = 6
URI = "https://example.org/ocds/"


def _build_world(two_councils) -> dict:
    """A DPS with many providers admitted over time, some of whom left, and contracts of two
    awarded lots each, written straight to the tables (the services are tested elsewhere)."""
    council = two_councils["alpha"]["council"]
    providers = Provider.objects.bulk_create(
        [
            Provider(council=council, name=f"Provider {n:03d}", companies_house_number=f"{n:08d}")
            for n in range(MEMBERS)
        ]
    )
    dps = DPS.objects.create(council=council, title="Short breaks DPS", start_date=date(2017, 4, 1))
    members = DPSMembership.objects.bulk_create(
        [
            DPSMembership(
                council=council,
                dps=dps,
                provider=p,
                status="approved",
                status_date=date(2018, 1, 1),
            )
            for p in providers
        ]
    )
    events = []
    for n, membership in enumerate(members):
        day = date(2018, 1, 1) + timedelta(days=n)
        events += [
            DPSMembershipEvent(
                council=council, membership=membership, kind="applied", to_status="applied", on=day
            ),
            DPSMembershipEvent(
                council=council,
                membership=membership,
                kind="approve",
                from_status="applied",
                to_status="approved",
                on=day,
            ),
        ]
        if n in LEFT:
            events.append(
                DPSMembershipEvent(
                    council=council,
                    membership=membership,
                    kind="exit",
                    from_status="approved",
                    to_status="exited",
                    on=day + timedelta(days=365),
                    reason="Closed the service.",
                )
            )
    DPSMembershipEvent.objects.bulk_create(events)
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                council=council,
                reference=f"C-{n:03d}",
                title=f"Short breaks {n}",
                kind="block",
                status=ContractStatus.ACTIVE,
                start_date=date(2020, 4, 1),
                end_date=date(2030, 3, 31),
                total_value=Decimal("100000.00"),
            )
            for n in range(CONTRACTS)
        ]
    )
    lots = Lot.objects.bulk_create(
        [
            Lot(council=council, contract=c, number=k, name=f"Lot {k}")
            for c in contracts
            for k in (1, 2)
        ]
    )
    Award.objects.bulk_create(
        [
            Award(council=council, lot=lot, provider=providers[n], value=Decimal("50000.00"))
            for n, lot in enumerate(lots)
        ]
    )
    ContractEvent.objects.bulk_create(
        [
            ContractEvent(council=council, contract=c, kind=kind, params={"text": kind})
            for c in contracts
            for kind in ("created", "award", "status")
        ]
    )
    return {"actor": two_councils["alpha"]["people"][Role.AUDITOR], "dps": dps}


# Built once for the module; each test rolls back its own writes.
_world_built, world = world_per_module(_build_world)


def _counting(monkeypatch, name: str) -> list:
    calls = []
    original = getattr(ocds, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(ocds, name, counted)
    return calls


def test_each_provider_of_a_dps_is_made_once_however_many_releases_list_it(world, monkeypatch):
    parties = _counting(monkeypatch, "_provider_party")
    awards = _counting(monkeypatch, "_membership_award")
    releases = ocds.dps_releases(world["dps"], date(2026, 1, 1))
    # The DPS set up, then each admission and each departure.
    assert len(releases) == 1 + MEMBERS + len(LEFT)
    assert len(parties) == MEMBERS
    assert len(awards) == MEMBERS + len(LEFT)  # an award made again only when its status moves
    # Each admission and departure carries the council and that provider only: the whole DPS
    # lists each provider once when it joins and once when it leaves.
    assert [len(r["parties"]) for r in releases] == [1] + [2] * (MEMBERS + len(LEFT))
    assert [len(r.get("awards", [])) for r in releases] == [0] + [1] * (MEMBERS + len(LEFT))
    compiled = ocds.compiled_release(releases)
    assert len(compiled["parties"]) == 1 + MEMBERS
    last = {award["id"]: award["status"] for award in compiled["awards"]}
    assert len(last) == MEMBERS
    assert sorted(last.values()).count("cancelled") == len(LEFT)


def test_a_contracts_parties_tender_and_awards_are_made_once_for_all_its_releases(
    world, monkeypatch
):
    parties = _counting(monkeypatch, "_contract_parties")
    tenders = _counting(monkeypatch, "_contract_tender")
    awards = _counting(monkeypatch, "_lot_award")
    page = ocds.processes_page(actor=world["actor"], size=ocds.MAX_PAGE_SIZE)
    contracts = [p for p in page.processes if isinstance(p, Contract)]
    releases = [r for c in contracts for r in ocds.contract_releases(c, date(2026, 1, 1))]
    assert len(releases) == 3 * CONTRACTS  # tender, award, contract
    assert len(parties) == len(tenders) == 2 * CONTRACTS  # before the award and after
    assert len(awards) == 2 * CONTRACTS  # one for each awarded lot


def test_the_record_package_lists_every_member_of_a_large_dps(world):
    page = ocds.processes_page(actor=world["actor"], size=ocds.MAX_PAGE_SIZE)
    package = ocds.record_package(actor=world["actor"], uri=URI, page=page)
    (record,) = [r for r in package["records"] if "-dps-" in r["ocid"]]
    compiled = record["compiledRelease"]
    names = [p["name"] for p in compiled["parties"][1:]]
    assert names == [f"Provider {n:03d}" for n in range(MEMBERS)]  # in the order admitted
    awards = compiled["awards"]
    assert [a["suppliers"][0]["name"] for a in awards] == names
    statuses = [a["status"] for a in awards]
    assert statuses == ["cancelled" if n in LEFT else "active" for n in range(MEMBERS)]
    # What the standard's reference merge makes of the same releases.
    schema = json.loads((SCHEMAS / "release-schema.json").read_text())
    for name in (
        "ocds_lots_extension/v1.1.5/release-schema.json",
        "ocds_techniques_extension/master/release-schema.json",
    ):
        json_merge_patch.merge(schema, json.loads((SCHEMAS / "extensions" / name).read_text()))
    merged = ocdsmerge.Merger(schema=schema).create_compiled_release(record["releases"])
    assert compiled == merged


def test_the_api_serves_a_large_dps_in_pages(world, client_for):
    client = client_for(world["actor"])
    response = client.get(reverse("api-contracts-ocds"), {"page_size": 1})
    assert response.status_code == 200
    releases = response.json()["releases"]
    assert len(releases) == 1 + MEMBERS + len(LEFT)
    assert 'rel="next"' in response["Link"]
