"""The demo councils' OCDS exports, as a data user would check them: each passes the Data
Review Tool's library with nothing to warn of, and its figures, dates, statuses, identifiers and
links hold for every process."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.models import Contract
from contracts.ocds import processes_page, record_package, release_package
from providers.demo import demo_actor
from shortbreaks.councils.models import Role
from tests.clock import FROZEN_TODAY, frozen_today_module  # noqa: F401
from tests.contracts.ocds_review import problems, review

# The seed records history up to today: the module, its seed included, runs on FROZEN_TODAY.
pytestmark = pytest.mark.usefixtures("frozen_today_module")

COUNCILS = ("shropshire", "warwickshire", "medway", "herefordshire", "birmingham")
URI = "https://example.org/ocds/"


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def _records(slug: str) -> list[dict]:
    actor = demo_actor(slug, Role.AUDITOR)
    page = processes_page(actor=actor, size=100)
    return record_package(actor=actor, uri=URI, page=page)["records"]


def _money(value: dict) -> Decimal:
    return Decimal(str(value["amount"]))


@pytest.mark.parametrize("slug", COUNCILS)
def test_each_councils_export_passes_the_data_review_tool(seeded, slug, tmp_path):
    actor = demo_actor(slug, Role.AUDITOR)
    page = processes_page(actor=actor, size=100)
    releases = release_package(actor=actor, uri=URI, page=page)
    assert problems(review(releases, tmp_path)) == {}
    records = record_package(actor=actor, uri=URI, page=page)
    assert problems(review(records, tmp_path)) == {}


@pytest.mark.parametrize("slug", COUNCILS)
def test_every_process_holds_together(seeded, slug):
    for record in _records(slug):
        compiled = record["compiledRelease"]
        tender = compiled["tender"]
        # The council, with its org-id identifier, buys.
        buyer = next(p for p in compiled["parties"] if "procuringEntity" in p["roles"])
        assert buyer["identifier"]["scheme"] == "GB-LAE"
        assert buyer["id"] == compiled["buyer"]["id"]
        if "-dps-" in record["ocid"]:
            assert tender["techniques"]["hasDynamicPurchasingSystem"] is True
            continue
        reference = tender["description"].rsplit("reference ", 1)[1].removesuffix(".")
        contract = Contract.objects.get(council__slug=slug, reference=reference)
        _check_contract(record, contract)


def _check_contract(record, contract):
    compiled = record["compiledRelease"]
    tender = compiled["tender"]
    if "awards" not in compiled:
        assert contract.status == "draft" or not contract.lots.filter(awards__isnull=False)
        return
    assert tender["procurementMethod"] in {"open", "selective", "limited", "direct"}
    # The awards add up to what was tendered; the lots' contracts to the contract's value now.
    assert sum(_money(a["value"]) for a in compiled["awards"]) == _money(tender["value"])
    assert sum(_money(c["value"]) for c in compiled["contracts"]) == contract.total_value
    assert {c["awardID"] for c in compiled["contracts"]} == {a["id"] for a in compiled["awards"]}
    for award in compiled["awards"]:
        assert "date" in award
    for item in compiled["contracts"]:
        assert "dateSigned" in item
        assert "maxExtentDate" in item["period"]
        # True on the day: every demo contract in force has an end date after today.
        ended = item["period"]["endDate"][:10] < FROZEN_TODAY.isoformat()
        assert item["status"] == ("terminated" if ended else "active")


def _by_reference(slug: str, reference: str) -> dict:
    for record in _records(slug):
        if record["compiledRelease"]["tender"].get("description", "").endswith(f"{reference}."):
            return record
    raise AssertionError(reference)


def test_shropshire_keeps_its_contract_before_and_after_the_extension(seeded):
    record = _by_reference("shropshire", "SC-SB-2022")
    by_tag = {release["tag"][0]: release for release in record["releases"]}
    before, after = by_tag["contract"], by_tag["contractAmendment"]
    assert sum(_money(c["value"]) for c in before["contracts"]) == Decimal("5790000.00")
    assert {c["period"]["endDate"][:10] for c in before["contracts"]} == {"2025-03-31"}
    assert sum(_money(c["value"]) for c in after["contracts"]) == Decimal("7720000.00")
    assert {c["period"]["endDate"][:10] for c in after["contracts"]} == {"2026-03-31"}
    assert len(after["contracts"]) == 3  # a contract for each of the three lots
    assert record["releases"][-1]["tag"] == ["contractTermination"]


def test_herefordshires_call_off_links_to_its_dps(seeded):
    records = _records("herefordshire")
    (dps,) = [r for r in records if "-dps-" in r["ocid"]]
    call_off = _by_reference("herefordshire", "HC-T3-DPS-2017")
    (link,) = call_off["compiledRelease"]["relatedProcesses"]
    assert link["identifier"] == dps["ocid"] and link["relationship"] == ["framework"]
    statuses = {a["suppliers"][0]["name"]: a["status"] for a in dps["compiledRelease"]["awards"]}
    assert statuses["Crossroads Care"] == "cancelled"
    assert statuses["Aspire Living"] == "active"


def test_the_joint_commission_is_published_by_its_lead_with_herefordshire_buying(seeded):
    record = _by_reference("shropshire", "SC-FBSB-2026")
    parties = {p["id"]: p["roles"] for p in record["compiledRelease"]["parties"]}
    assert parties == {"GB-LAE-SHR": ["buyer", "procuringEntity"], "GB-LAE-HEF": ["buyer"]}
    herefordshire = _records("herefordshire")
    assert all("FBSB" not in r["compiledRelease"]["tender"]["title"] for r in herefordshire)
    assert all("SC-FBSB" not in str(r) for r in herefordshire)
