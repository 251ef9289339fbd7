"""The OCDS 1.1 export: what the Data Review Tool's library (libcoveocds, run offline) says of it
(no error, no additional field, no code outside its codelist), and the project's own checks of
what a data user relies on: a release for each stage with a record per process, statuses true on
the day, how the provider was chosen, the techniques, the DPS as its own process linked from its
call-offs, a contract for each awarded lot, values that add up, dates, identifiers, the ocid
prefix from the settings, and pages."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal

import json_merge_patch
import ocdsmerge
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.models import (
    Award,
    Contract,
    ContractKind,
    ContractStatus,
    ProcurementMethod,
)
from contracts.ocds import (
    compiled_release,
    processes_page,
    record_package,
    release_package,
    shares,
)
from contracts.services.dps import (
    dps_create,
    dps_membership_apply,
    dps_membership_record_checks,
    dps_membership_transition,
)
from contracts.services.extensions import (
    extension_create,
    extension_decide,
    extension_record_approval,
    extension_submit,
)
from contracts.services.lots import award_create, lot_create
from contracts.services.register import contract_terminate
from shortbreaks.councils.models import Council, Role
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.contracts.ocds_review import SCHEMAS, problems, review
from tests.per_module import world_per_module
from tests.roles import CONTRACT_READERS

# Statuses are true on the day the export is read: the module runs on FROZEN_TODAY.
pytestmark = pytest.mark.usefixtures("frozen_today")

URI = "https://example.org/ocds/"
ON_THE_DAY = date(2022, 6, 1)  # after the call-off's first end date, before its extended one


def _approve_extension(commissioner, contract, *, new_end_date, added_value, rationale):
    """An extension through the real services: drafted, submitted, approved, decided."""
    extension = extension_create(
        actor=commissioner,
        contract=contract,
        new_end_date=new_end_date,
        added_value=added_value,
        rationale=rationale,
        legal_basis="dps_extension",
    )
    extension_submit(actor=commissioner, extension=extension)
    for role, name in (("finance", "F. Officer"), ("legal", "L. Officer"), ("procurement", "P. O")):
        extension_record_approval(
            actor=commissioner,
            extension=extension,
            role=role,
            name=name,
            decision="approve",
            decided_on=date(2022, 3, 10),
        )
    return extension_decide(
        actor=commissioner,
        extension=extension,
        decision="approve",
        decision_maker="Cabinet member children and families",
        decided_on=date(2022, 3, 16),
    )


def _member(actor, dps, provider, steps):
    membership = dps_membership_apply(
        actor=actor, dps=dps, provider=provider, on=steps[0][1], reason="Applied."
    )
    for action, on in steps[1:]:
        if action == "approve":
            membership = dps_membership_transition(
                actor=actor, membership=membership, action="start_assessment", on=on, reason="."
            )
            dps_membership_record_checks(
                actor=actor,
                membership=membership,
                check_registration=True,
                check_insurance=True,
                check_safeguarding_policy=True,
                check_dbs=True,
                check_financial_standing=True,
            )
            membership.refresh_from_db()
        membership = dps_membership_transition(
            actor=actor, membership=membership, action=action, on=on, reason=f"{action}."
        )
    return membership


def _build_register(two_councils) -> dict:
    """Alpha (code ALP): a DPS with three providers admitted, one of whom left; a call-off from
    it in two lots, three awards worth its whole value, signed, and extended once; a draft spot
    purchase; a framework with a lot not yet awarded. Bravo leads a contract of its own and a
    joint one that Alpha accepted a part in."""
    alpha_council = two_councils["alpha"]["council"]
    Council.objects.filter(pk=alpha_council.pk).update(local_authority_code="ALP")
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    alpha.active_council.refresh_from_db()
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    our_place = make_provider(alpha, name="Our Place", companies_house_number="01234567")
    aspire = make_provider(alpha, name="Aspire Living", charity_number="1122334")
    newcross = make_provider(alpha, name="Newcross Healthcare Solutions", postcode="HR1 2AB")

    dps = dps_create(
        actor=alpha,
        title="Tier 3 short breaks DPS",
        start_date=date(2017, 4, 1),
        end_date=date(2023, 3, 31),
        categories="Daytime buddying\nDomiciliary care",
    )
    _member(alpha, dps, our_place, [("apply", date(2017, 4, 3)), ("approve", date(2017, 5, 2))])
    _member(alpha, dps, aspire, [("apply", date(2017, 4, 3)), ("approve", date(2017, 5, 9))])
    _member(
        alpha,
        dps,
        newcross,
        [("apply", date(2017, 4, 5)), ("approve", date(2017, 6, 1)), ("exit", date(2020, 6, 30))],
    )

    call_off = make_contract(
        alpha,
        reference="HC-DPS-T3",
        title="Tier 3 short breaks",
        kind=ContractKind.DPS_CALL_OFF,
        dps=dps,
        procurement_method=ProcurementMethod.SELECTIVE,
        procurement_route="Call-offs from the Tier 3 DPS",
        date_signed=date(2017, 3, 20),
        start_date=date(2017, 4, 1),
        end_date=date(2022, 3, 31),
        max_extent_date=date(2024, 3, 31),
        total_value=Decimal("2100000.00"),
    )
    lot1 = make_awarded_lot(
        alpha,
        call_off,
        our_place,
        number=1,
        value=Decimal("900000.00"),
        awarded_on=date(2017, 3, 1),
    )
    award_create(
        actor=alpha,
        lot=lot1,
        provider=aspire,
        rates="£28.50 an hour",
        value=Decimal("300000.00"),
        awarded_on=date(2017, 3, 2),
    )
    make_awarded_lot(
        alpha,
        call_off,
        newcross,
        number=2,
        capacity="",
        value=Decimal("900000.00"),
        awarded_on=date(2017, 3, 1),
    )
    _approve_extension(
        alpha,
        call_off,
        new_end_date=date(2023, 3, 31),
        added_value=Decimal("420000.00"),
        rationale="Time to recommission the DPS.",
    )
    draft = make_contract(
        alpha,
        active=False,
        reference="SPOT-1",
        title="Spot purchases",
        kind=ContractKind.SPOT_PURCHASE,
        total_value=None,
        max_extent_date=None,
    )
    framework = make_contract(
        alpha,
        reference="FW-1",
        title="Overnight beds framework",
        kind=ContractKind.FRAMEWORK,
        procurement_method=ProcurementMethod.OPEN,
    )
    lot_create(actor=alpha, contract=framework, number=1, name="Overnight stays")

    theirs = make_contract(bravo, reference=f"B-{MARKER_B}", title=f"Bravo {MARKER_B} breaks")
    make_awarded_lot(bravo, theirs, make_provider(bravo, name=f"Provider {MARKER_B}"))
    joint = make_contract(
        bravo,
        reference="JOINT-1",
        title=f"Joint {MARKER_B} commission",
        participating_councils=[alpha_council],
    )  # and Alpha accepts (tests.builders.make_contract)
    return {
        "alpha": alpha,
        "bravo": bravo,
        "dps": dps,
        "call_off": call_off,
        "draft": draft,
        "framework": framework,
        "theirs": theirs,
        "joint": joint,
        "providers": {"our_place": our_place, "aspire": aspire, "newcross": newcross},
    }


# Built once for the module (on the frozen day its tests run on); each test rolls back its own
# writes.
_register_built, register = world_per_module(_build_register, name="register")


def _releases_of(package: dict, ocid: str) -> list[dict]:
    return [r for r in package["releases"] if r["ocid"] == ocid]


def _ocid(package: dict, reference: str) -> str:
    for release in package["releases"]:
        if reference in release.get("tender", {}).get("description", ""):
            return release["ocid"]
    raise AssertionError(f"No process for {reference}")


def _money(value: dict) -> Decimal:
    return Decimal(str(value["amount"]))


# ---------------------------------------------------------------------------------------------
# The Data Review Tool's checks


def test_the_release_package_passes_the_data_review_tool(register, tmp_path):
    package = release_package(actor=register["alpha"], uri=URI)
    report = review(package, tmp_path)
    assert problems(report) == {}
    assert report["count"] == len(package["releases"])
    assert report["unique_ocids_count"] == 4  # the DPS and three contracts
    assert {e["url"] for e in report["extensions"]["extensions"]} == set(package["extensions"])


def test_the_record_package_passes_the_data_review_tool(register, tmp_path):
    package = record_package(actor=register["alpha"], uri=URI)
    report = review(package, tmp_path)
    assert problems(report) == {}
    assert report["count"] == 4


def test_the_review_finds_what_a_data_user_would_be_warned_of(register, tmp_path):
    """The check above can fail: an unknown field and a status outside the codelist show."""
    package = release_package(actor=register["alpha"], uri=URI)
    package["releases"][0]["tender"]["madeUp"] = "x"
    package["releases"][-1]["tender"]["status"] = "ongoing"
    found = problems(review(package, tmp_path))
    assert found["additional_fields"][0]["field"] == "madeUp"
    assert "ongoing" in json.dumps(found["additional_closed_codelist_values"])


# ---------------------------------------------------------------------------------------------
# Releases for each stage, and a record per process


def test_each_stage_is_a_release_and_the_extension_keeps_its_before_and_after(register):
    package = release_package(actor=register["alpha"], uri=URI, today=ON_THE_DAY)
    call_off = register["call_off"]
    releases = _releases_of(package, f"ocds-shbrks-alpha-{call_off.pk}")
    assert [r["tag"] for r in releases] == [
        ["tender"],
        ["award"],
        ["contract"],
        ["contractAmendment"],
    ]
    assert len({r["id"] for r in releases}) == 4
    dates = [r["date"] for r in releases]
    assert dates == sorted(dates)
    assert "contracts" not in releases[1] and "awards" not in releases[0]

    before, after = releases[2], releases[3]
    assert {c["period"]["endDate"][:10] for c in before["contracts"]} == {"2022-03-31"}
    assert sum(_money(c["value"]) for c in before["contracts"]) == Decimal("2100000.00")
    assert "amendments" not in before["contracts"][0]
    assert {c["period"]["endDate"][:10] for c in after["contracts"]} == {"2023-03-31"}
    assert sum(_money(c["value"]) for c in after["contracts"]) == Decimal("2520000.00")
    (amendment,) = after["contracts"][0]["amendments"]
    assert amendment["amendsReleaseID"] == before["id"]
    assert amendment["releaseID"] == after["id"]
    assert amendment["date"].startswith("2022-03-16T00:00:00")
    assert amendment["rationale"] == "Time to recommission the DPS."
    assert "from 2022-03-31 to 2023-03-31" in amendment["description"]
    assert "£420,000.00" in amendment["description"]
    # The tender keeps what was tendered: the original end date and value.
    assert after["tender"]["contractPeriod"]["endDate"][:10] == "2022-03-31"
    assert _money(after["tender"]["value"]) == Decimal("2100000.00")


def test_the_compiled_release_is_what_the_releases_merge_to(register):
    package = record_package(actor=register["alpha"], uri=URI)
    schema = json.loads((SCHEMAS / "release-schema.json").read_text())
    for name in (
        "ocds_lots_extension/v1.1.5/release-schema.json",
        "ocds_techniques_extension/master/release-schema.json",
    ):
        json_merge_patch.merge(schema, json.loads((SCHEMAS / "extensions" / name).read_text()))
    merger = ocdsmerge.Merger(schema=schema)
    assert len(package["records"]) == 4
    for record in package["records"]:
        assert {r["ocid"] for r in record["releases"]} == {record["ocid"]}
        merged = merger.create_compiled_release(record["releases"])
        assert record["compiledRelease"] == merged, record["ocid"]


def test_a_refused_or_pending_extension_is_not_an_amendment(register):
    framework = register["framework"]
    alpha = register["alpha"]
    extension = extension_create(
        actor=alpha,
        contract=framework,
        new_end_date=date(2028, 3, 31),
        added_value=Decimal("1000"),
        rationale="Pending",
        legal_basis="pcr_modification",
    )
    extension_submit(actor=alpha, extension=extension)
    package = release_package(actor=alpha, uri=URI)
    releases = _releases_of(package, f"ocds-shbrks-alpha-{framework.pk}")
    assert [r["tag"] for r in releases] == [["tender"]]


# ---------------------------------------------------------------------------------------------
# Statuses true on the day


def test_a_contract_past_its_end_date_is_terminated_whatever_its_stored_status(register):
    call_off = register["call_off"]
    assert Contract.objects.get(pk=call_off.pk).status == ContractStatus.EXTENDED  # not expired
    package = release_package(actor=register["alpha"], uri=URI)  # on FROZEN_TODAY, 2026
    releases = _releases_of(package, f"ocds-shbrks-alpha-{call_off.pk}")
    last = releases[-1]
    assert last["tag"] == ["contractTermination"]
    assert last["date"] == "2023-03-31T23:00:00Z"  # the first moment of 1 April, BST
    assert {c["status"] for c in last["contracts"]} == {"terminated"}
    # On a day within its term, the same contract is active.
    on_the_day = release_package(actor=register["alpha"], uri=URI, today=ON_THE_DAY)
    last = _releases_of(on_the_day, f"ocds-shbrks-alpha-{call_off.pk}")[-1]
    assert {c["status"] for c in last["contracts"]} == {"active"}


def test_a_terminated_contract_is_terminated_from_that_day(register):
    alpha = register["alpha"]
    contract = make_contract(alpha, reference="EARLY-1", end_date=date(2028, 3, 31))
    make_awarded_lot(alpha, contract, register["providers"]["aspire"], value=Decimal("1"))
    contract_terminate(actor=alpha, contract=contract, on=FROZEN_TODAY, reason="Failed.")
    releases = _releases_of(
        release_package(actor=alpha, uri=URI), f"ocds-shbrks-alpha-{contract.pk}"
    )
    assert releases[-1]["tag"] == ["contractTermination"]
    assert releases[-1]["contracts"][0]["status"] == "terminated"


def test_a_draft_is_a_tender_only_and_an_unawarded_lot_invents_no_award(register):
    package = release_package(actor=register["alpha"], uri=URI)
    for contract in (register["draft"], register["framework"]):
        (release,) = _releases_of(package, f"ocds-shbrks-alpha-{contract.pk}")
        assert release["tag"] == ["tender"]
        assert release["tender"]["status"] == "active"
        assert "awards" not in release and "contracts" not in release
    (framework,) = _releases_of(package, f"ocds-shbrks-alpha-{register['framework'].pk}")
    assert framework["tender"]["lots"] == [
        {"id": "lot-1", "title": "Overnight stays", "description": "Overnight stays"}
    ]


# ---------------------------------------------------------------------------------------------
# Method, techniques, the DPS and its call-offs


def test_procurement_method_and_techniques(register):
    package = release_package(actor=register["alpha"], uri=URI)
    call_off = _releases_of(package, f"ocds-shbrks-alpha-{register['call_off'].pk}")[-1]
    assert call_off["tender"]["procurementMethod"] == "selective"
    assert call_off["tender"]["procurementMethodDetails"] == "Call-offs from the Tier 3 DPS"
    assert call_off["tender"]["techniques"] == {
        "hasFrameworkAgreement": False,
        "hasDynamicPurchasingSystem": True,
    }
    framework = _releases_of(package, f"ocds-shbrks-alpha-{register['framework'].pk}")[-1]
    assert framework["tender"]["procurementMethod"] == "open"
    assert framework["tender"]["techniques"]["hasFrameworkAgreement"] is True
    draft = _releases_of(package, f"ocds-shbrks-alpha-{register['draft'].pk}")[-1]
    assert "procurementMethod" not in draft["tender"]  # not known: not guessed


def test_the_dps_is_its_own_process_and_its_call_off_links_to_it(register):
    package = release_package(actor=register["alpha"], uri=URI, today=ON_THE_DAY)
    dps_ocid = f"ocds-shbrks-alpha-dps-{register['dps'].pk}"
    releases = _releases_of(package, dps_ocid)
    assert [r["tag"] for r in releases] == [
        ["tender"],
        ["award"],
        ["awardUpdate"],
        ["awardUpdate"],
        ["awardUpdate"],
    ]
    first, last = releases[0], releases[-1]
    assert first["tender"]["techniques"] == {
        "hasDynamicPurchasingSystem": True,
        "dynamicPurchasingSystem": {"type": "closed", "status": "active"},
    }
    assert first["tender"]["procurementMethod"] == "selective"
    # Each admission and departure carries that provider's award; merged, they are every award.
    assert [[a["suppliers"][0]["name"] for a in r.get("awards", [])] for r in releases] == [
        [],
        ["Our Place"],
        ["Aspire Living"],
        ["Newcross Healthcare Solutions"],
        ["Newcross Healthcare Solutions"],
    ]
    awards = {a["suppliers"][0]["name"]: a for a in compiled_release(releases)["awards"]}
    assert {name: a["status"] for name, a in awards.items()} == {
        "Our Place": "active",
        "Aspire Living": "active",
        "Newcross Healthcare Solutions": "cancelled",
    }
    assert awards["Aspire Living"]["date"].startswith("2017-05-09")
    assert "contracts" not in last  # contracts are called off in their own processes
    call_off = _releases_of(package, f"ocds-shbrks-alpha-{register['call_off'].pk}")[0]
    assert call_off["relatedProcesses"] == [
        {
            "id": f"dps-{register['dps'].pk}",
            "relationship": ["framework"],
            "title": "Tier 3 short breaks DPS",
            "scheme": "ocid",
            "identifier": dps_ocid,
        }
    ]


def test_a_dps_release_carries_only_the_provider_it_admits_or_loses(register):
    package = release_package(actor=register["alpha"], uri=URI)
    releases = _releases_of(package, f"ocds-shbrks-alpha-dps-{register['dps'].pk}")
    council = "GB-LAE-ALP"
    for release in releases:
        parties = [p["id"] for p in release["parties"]]
        if "awards" in release:
            (award,) = release["awards"]
            assert parties == [council, award["suppliers"][0]["id"]]
        else:  # set up and closed: the council alone
            assert parties == [council]
        assert release["buyer"]["id"] == council


def test_the_compiled_release_lists_every_member_and_award_of_a_dps(register):
    package = record_package(actor=register["alpha"], uri=URI)
    dps = register["dps"]
    (record,) = [r for r in package["records"] if r["ocid"].endswith(f"-dps-{dps.pk}")]
    compiled = record["compiledRelease"]
    providers = register["providers"]
    memberships = {m.provider_id: m.pk for m in dps.memberships.all()}
    # The council, then every provider ever admitted, in the order they were admitted.
    assert [p["name"] for p in compiled["parties"]] == [
        f"Alpha {MARKER_A} Council",
        "Our Place",
        "Aspire Living",
        "Newcross Healthcare Solutions",
    ]
    assert [p["roles"] for p in compiled["parties"][1:]] == [["supplier"]] * 3
    # An award for each, at its latest status; the one who left says so.
    assert [(a["id"], a["status"]) for a in compiled["awards"]] == [
        (f"membership-{memberships[providers['our_place'].pk]}", "active"),
        (f"membership-{memberships[providers['aspire'].pk]}", "active"),
        (f"membership-{memberships[providers['newcross'].pk]}", "cancelled"),
    ]
    assert compiled["awards"][2]["description"].startswith("Left the DPS on 2020-06-30")
    suppliers = [a["suppliers"] for a in compiled["awards"]]
    assert [s[0]["id"] for s in suppliers] == [p["id"] for p in compiled["parties"][1:]]
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == record["releases"][-1]["date"]
    assert compiled["tender"]["status"] == "complete"  # closed in 2023


def test_a_dps_past_its_end_closes(register):
    package = release_package(actor=register["alpha"], uri=URI)  # 2026: the DPS ended in 2023
    last = _releases_of(package, f"ocds-shbrks-alpha-dps-{register['dps'].pk}")[-1]
    assert last["tag"] == ["tenderUpdate"]
    assert last["tender"]["status"] == "complete"
    assert last["tender"]["techniques"]["dynamicPurchasingSystem"]["status"] == "terminated"


# ---------------------------------------------------------------------------------------------
# Lots, awards, contracts and values


def test_a_contract_for_every_awarded_lot_and_values_that_add_up(register):
    package = release_package(actor=register["alpha"], uri=URI, today=ON_THE_DAY)
    call_off = register["call_off"]
    last = _releases_of(package, f"ocds-shbrks-alpha-{call_off.pk}")[-1]
    awards = {a["id"]: a for a in last["awards"]}
    assert sorted(awards) == [f"{call_off.pk}-lot-1", f"{call_off.pk}-lot-2"]
    assert [c["awardID"] for c in last["contracts"]] == sorted(awards)
    lot1 = awards[f"{call_off.pk}-lot-1"]
    assert lot1["relatedLots"] == ["lot-1"]
    assert [s["name"] for s in lot1["suppliers"]] == ["Aspire Living", "Our Place"]
    assert _money(lot1["value"]) == Decimal("1200000.00")
    assert lot1["date"].startswith("2017-03-02")  # the lot's last award
    # The awards add up to the contract's value before its extension; the lots' contracts to
    # its value after it, the extension shared in proportion to the awards.
    assert sum(_money(a["value"]) for a in awards.values()) == Decimal("2100000.00")
    values = [_money(c["value"]) for c in last["contracts"]]
    assert values == [Decimal("1440000.00"), Decimal("1080000.00")]
    assert sum(values) == Contract.objects.get(pk=call_off.pk).total_value
    for contract in last["contracts"]:
        assert contract["dateSigned"].startswith("2017-03-20T00:00:00")
        assert contract["period"]["maxExtentDate"].startswith("2024-03-31T23:59:59")
    # Every supplier named in an award is a party with the supplier role.
    parties = {party["id"]: party for party in last["parties"]}
    for award in last["awards"]:
        for supplier in award["suppliers"]:
            assert parties[supplier["id"]]["roles"] == ["supplier"]


def test_shares_always_add_up():
    assert shares([Decimal("1"), Decimal("1"), Decimal("1")], Decimal("100.00")) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    assert shares([Decimal("0"), Decimal("0")], Decimal("10")) == [Decimal("0"), Decimal("10")]
    assert shares([], Decimal("10")) == []


def test_awards_cannot_add_up_to_more_than_the_contract(register):
    alpha = register["alpha"]
    contract = make_contract(alpha, reference="CAP-1", total_value=Decimal("1000.00"))
    lot = make_awarded_lot(alpha, contract, register["providers"]["aspire"], value=Decimal("600"))
    with pytest.raises(ValidationError) as refused:
        award_create(
            actor=alpha, lot=lot, provider=register["providers"]["our_place"], value=Decimal("401")
        )
    assert "at most £400.00" in refused.value.message_dict["value"][0]
    award_create(
        actor=alpha, lot=lot, provider=register["providers"]["our_place"], value=Decimal("400")
    )
    assert Award.objects.filter(lot=lot).count() == 2


# ---------------------------------------------------------------------------------------------
# Parties and identifiers


def test_parties_carry_org_id_identifiers(register):
    package = release_package(actor=register["alpha"], uri=URI)
    last = _releases_of(package, f"ocds-shbrks-alpha-{register['call_off'].pk}")[-1]
    parties = {party["id"]: party for party in last["parties"]}
    assert parties["GB-LAE-ALP"] == {
        "id": "GB-LAE-ALP",
        "name": f"Alpha {MARKER_A} Council",
        "roles": ["buyer", "procuringEntity"],
        "identifier": {"scheme": "GB-LAE", "id": "ALP", "legalName": f"Alpha {MARKER_A} Council"},
    }
    assert last["buyer"] == {"id": "GB-LAE-ALP", "name": f"Alpha {MARKER_A} Council"}
    assert parties["GB-COH-01234567"]["identifier"] == {
        "scheme": "GB-COH",
        "id": "01234567",
        "legalName": "Our Place",
    }
    assert parties["GB-CHC-1122334"]["identifier"]["scheme"] == "GB-CHC"
    newcross = parties[f"provider-{register['providers']['newcross'].pk}"]
    assert "identifier" not in newcross  # none recorded: none invented
    assert newcross["address"] == {"postalCode": "HR1 2AB", "countryName": "United Kingdom"}
    assert package["publisher"] == {
        "name": f"Alpha {MARKER_A} Council",
        "scheme": "GB-LAE",
        "uid": "ALP",
    }


def test_the_lead_council_names_the_councils_taking_part_as_buyers(register, two_councils):
    bravo = two_councils["bravo"]["people"][Role.AUDITOR]
    package = release_package(actor=bravo, uri=URI)
    (release,) = _releases_of(package, f"ocds-shbrks-bravo-{register['joint'].pk}")
    parties = {p["id"]: p for p in release["parties"]}
    assert parties["GB-LAE-ALP"]["roles"] == ["buyer"]
    assert parties["council-bravo"]["roles"] == ["buyer", "procuringEntity"]


def test_an_invited_council_that_has_not_accepted_is_not_a_party(register, two_councils):
    bravo = register["bravo"]
    joint = make_contract(
        bravo,
        reference="JOINT-2",
        participating_councils=[two_councils["alpha"]["council"]],
        accepted=False,
    )
    package = release_package(actor=bravo, uri=URI)
    (release,) = _releases_of(package, f"ocds-shbrks-bravo-{joint.pk}")
    assert [p["id"] for p in release["parties"]] == ["council-bravo"]


# ---------------------------------------------------------------------------------------------
# Identifiers and the ocid prefix


def test_ocids_start_with_the_prefix_in_the_settings(register, settings):
    settings.OCDS_OCID_PREFIX = "ocds-a1b2c3"
    package = release_package(actor=register["alpha"], uri=URI)
    assert {r["ocid"].rsplit("-", 2)[0] for r in package["releases"]} >= {"ocds-a1b2c3-alpha"}
    assert all(re.match(r"^ocds-a1b2c3-alpha-(dps-)?\d+$", r["ocid"]) for r in package["releases"])


def test_without_a_registered_prefix_nothing_is_published(register, settings, client_for):
    settings.OCDS_OCID_PREFIX = ""
    response = client_for(register["alpha"]).get(URL)
    assert response.status_code == 503
    assert "OCDS_OCID_PREFIX" in response.json()["detail"]


def test_another_councils_processes_never_appear(register):
    package = release_package(actor=register["alpha"], uri=URI)
    text = json.dumps(package)
    assert MARKER_B not in text
    assert "-bravo-" not in text
    # A joint contract is published by its lead council only.
    assert all(r["ocid"].startswith("ocds-shbrks-alpha-") for r in package["releases"])


# ---------------------------------------------------------------------------------------------
# The endpoints

URL = "/api/v1/contracts/ocds/"
RECORDS_URL = "/api/v1/contracts/ocds/records/"


def test_the_urls_are_named():
    assert reverse("api-contracts-ocds") == URL
    assert reverse("api-contracts-ocds-records") == RECORDS_URL


@pytest.mark.parametrize("url", [URL, RECORDS_URL])
def test_the_endpoints_need_sign_in(db, client, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("role", Role.values)
def test_the_endpoint_per_role(register, two_councils, client_for, role):
    response = client_for(two_councils["alpha"]["people"][role]).get(URL)
    if role not in CONTRACT_READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    package = response.json()
    assert package["uri"] == "http://testserver/api/v1/contracts/ocds/?page=1"
    assert len({r["ocid"] for r in package["releases"]}) == 4
    assert MARKER_B not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"), [({"page": "x"}, "page"), ({"page_size": "500"}, "page_size")]
)
def test_bad_paging_is_a_400(register, client_for, query, field):
    response = client_for(register["alpha"]).get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_page_past_the_last_is_a_404(register, client_for):
    assert client_for(register["alpha"]).get(URL, {"page": 3}).status_code == 404


@pytest.mark.parametrize("url", [URL, RECORDS_URL])
def test_pages_link_to_each_other_and_hold_every_process_once(register, client_for, url):
    client = client_for(register["alpha"])
    seen, page_url, pages = [], f"{url}?page_size=3", 0
    while page_url:
        response = client.get(page_url)
        assert response.status_code == 200
        pages += 1
        body = response.json()
        items = body.get("records") or body.get("releases")
        seen += list(dict.fromkeys(item["ocid"] for item in items))
        links = {rel: link for link, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response["Link"])}
        assert body["uri"] == links["first"].replace("page=1", f"page={pages}")
        page_url = links.get("next", "").removeprefix("http://testserver")
    assert pages == 2
    assert len(seen) == len(set(seen)) == 4
    assert seen[0].startswith("ocds-shbrks-alpha-dps-")  # the DPS first


def test_bravo_sees_only_its_own(register, two_councils, client_for):
    response = client_for(two_councils["bravo"]["people"][Role.AUDITOR]).get(URL)
    ocids = {r["ocid"] for r in response.json()["releases"]}
    assert ocids == {
        f"ocds-shbrks-bravo-{register['theirs'].pk}",
        f"ocds-shbrks-bravo-{register['joint'].pk}",
    }


def test_the_query_count_does_not_grow_with_processes(
    register, two_councils, client_for, django_assert_num_queries
):
    alpha = register["alpha"]
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    client.get(RECORDS_URL)  # the first request starts the session's clock: one write, once
    with django_assert_num_queries(QUERIES):
        first = client.get(RECORDS_URL)
    assert len(first.json()["records"]) == 4

    provider = make_provider(alpha, name="Another provider")
    for number in range(5):
        contract = make_contract(alpha, reference=f"MORE-{number}")
        make_awarded_lot(alpha, contract, provider, number=1, value=Decimal("1000"))
        make_awarded_lot(alpha, contract, provider, number=2, value=Decimal("1000"))
        _approve_extension(
            alpha,
            contract,
            new_end_date=date(2028, 3, 31),
            added_value=Decimal("5000"),
            rationale="More time.",
        )
    with django_assert_num_queries(QUERIES):
        second = client.get(RECORDS_URL)
    assert len(second.json()["records"]) == 9


# Session, user, roles, council; counts of DPS and contracts; DPS, memberships and their events;
# contracts, lots, awards, extensions, events and participations; the request's savepoint and
# its release.
QUERIES = 16


def test_the_page_reads_in_a_fixed_number_of_queries(register, django_assert_num_queries):
    # Counts of DPS and contracts; DPS, memberships and their events; contracts, lots, awards,
    # extensions, events and participations.
    with django_assert_num_queries(11):
        page = processes_page(actor=register["alpha"])
    assert len(page.processes) == 4


def test_dates_carry_their_offset(register):
    package = release_package(actor=register["alpha"], uri=URI)

    def moments(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in {"date", "startDate", "endDate", "maxExtentDate", "dateSigned"}:
                    yield item
                else:
                    yield from moments(item)
        elif isinstance(value, list):
            for item in value:
                yield from moments(item)

    found = list(moments(package))
    assert found
    for text in found:
        assert datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None, text
