"""The OCDS 1.1 export: valid against the release package schema, with lots, awards and their
related lots, contracts with period and value, an amendment per approved extension, and nothing
of another council."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from contracts import services
from contracts.models import ContractKind
from contracts.ocds import OCID_PREFIX, release_package
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.conftest import MARKER_A, MARKER_B

RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
SCHEMA_FILES = ("release-package-schema.json", "release-schema.json")
REPO = Path(__file__).resolve().parents[2]


def _schema_dir() -> Path:
    """OCDS_SCHEMA_DIR if set; else the shared standards beside the repository; else the copy
    kept in tests/contracts/schemas (so a clean clone validates too)."""
    candidates = [
        os.environ.get("OCDS_SCHEMA_DIR"),
        REPO.parent / "shared" / "standards" / "ocds-1.1.5",
        Path(__file__).parent / "schemas",
    ]
    for candidate in candidates:
        if candidate and all((Path(candidate) / name).is_file() for name in SCHEMA_FILES):
            return Path(candidate)
    raise AssertionError("The OCDS 1.1.5 schemas are missing; see tests/contracts/schemas/.")


def _validator() -> Draft4Validator:
    folder = _schema_dir()
    package_schema = json.loads((folder / "release-package-schema.json").read_text())
    release_schema = json.loads((folder / "release-schema.json").read_text())
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URL, Resource.from_contents(release_schema, default_specification=DRAFT4)
    )
    return Draft4Validator(
        package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


DATE_TIME_KEYS = {"date", "publishedDate", "startDate", "endDate", "maxExtentDate"}


def _date_times(value):
    """Every date-time in the package (the schema's format, which jsonschema leaves unchecked
    without an extra package)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in DATE_TIME_KEYS:
                yield item
            else:
                yield from _date_times(item)
    elif isinstance(value, list):
        for item in value:
            yield from _date_times(item)


def assert_valid(package: dict) -> None:
    errors = sorted(_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    for text in _date_times(package):
        assert datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None, text


def _approve_extension(commissioner, contract, *, new_end_date, added_value, rationale):
    """An extension through the real services: draft, submitted, approved by finance, legal and
    procurement, then decided."""
    extension = services.extension_create(
        actor=commissioner,
        contract=contract,
        new_end_date=new_end_date,
        added_value=added_value,
        rationale=rationale,
        legal_basis="dps_extension",
    )
    services.extension_submit(actor=commissioner, extension=extension)
    for role, name in (("finance", "F. Officer"), ("legal", "L. Officer"), ("procurement", "P. O")):
        services.extension_record_approval(
            actor=commissioner,
            extension=extension,
            role=role,
            name=name,
            decision="approve",
            decided_on=date(2022, 3, 10),
        )
    return services.extension_decide(
        actor=commissioner,
        extension=extension,
        decision="approve",
        decision_maker="Cabinet member children and families",
        decided_on=date(2022, 3, 16),
    )


@pytest.fixture
def register(two_councils):
    """Alpha's register: a DPS call-off of two lots with three awards and an approved extension,
    a draft spot purchase with no lots, and a block contract with a lot not yet awarded. Bravo
    has its own contract, and leads a joint one that Alpha takes part in."""
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    our_place = make_provider(alpha, name="Our Place", companies_house_number="01234567")
    aspire = make_provider(alpha, name="Aspire Living", charity_number="1122334")
    newcross = make_provider(alpha, name="Newcross Healthcare Solutions", postcode="HR1 2AB")

    dps = make_contract(
        alpha,
        reference="HC-DPS-T3",
        title="Tier 3 short breaks DPS",
        kind=ContractKind.DPS_CALL_OFF,
        start_date=date(2017, 4, 1),
        end_date=date(2022, 3, 31),
        max_extent_date=date(2024, 3, 31),
        total_value=Decimal("2100000.00"),
    )
    lot1 = make_awarded_lot(alpha, dps, our_place, number=1, value=Decimal("300000"))
    services.award_create(actor=alpha, lot=lot1, provider=aspire, rates="£28.50 an hour")
    make_awarded_lot(alpha, dps, newcross, number=2, capacity="")
    _approve_extension(
        alpha,
        dps,
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
    block = make_contract(alpha, reference="BLOCK-1", title="Overnight beds")
    services.lot_create(actor=alpha, contract=block, number=1, name="Overnight stays")

    theirs = make_contract(bravo, reference=f"B-{MARKER_B}", title=f"Bravo {MARKER_B} breaks")
    bravo_provider = make_provider(bravo, name=f"Provider {MARKER_B}")
    make_awarded_lot(bravo, theirs, bravo_provider)
    joint = make_contract(
        bravo,
        reference="JOINT-1",
        title=f"Joint {MARKER_B} commission",
        participating_councils=[two_councils["alpha"]["council"]],
    )
    return {
        "alpha": alpha,
        "dps": dps,
        "draft": draft,
        "block": block,
        "theirs": theirs,
        "joint": joint,
        "providers": {"our_place": our_place, "aspire": aspire, "newcross": newcross},
    }


def _by_contract(package: dict) -> dict[str, dict]:
    return {release["contracts"][0]["id"]: release for release in package["releases"]}


def test_the_package_is_valid_ocds(register):
    package = release_package(actor=register["alpha"], uri="https://example.org/ocds/")
    assert_valid(package)
    assert package["version"] == "1.1"
    assert package["publisher"]["name"].startswith("Alpha")
    assert len(package["releases"]) == 3
    assert len({r["ocid"] for r in package["releases"]}) == 3


def test_a_release_carries_lots_awards_and_the_approved_extension(register):
    dps = register["dps"]
    package = release_package(actor=register["alpha"], uri="https://example.org/ocds/")
    release = _by_contract(package)[str(dps.pk)]

    assert release["ocid"] == f"{OCID_PREFIX}-alpha-{dps.pk}"
    assert release["initiationType"] == "tender"
    assert release["tag"] == ["tender", "award", "contract", "contractAmendment"]
    assert release["buyer"] == {"id": "council-alpha", "name": f"Alpha {MARKER_A} Council"}
    assert [(lot["id"], lot["title"]) for lot in release["tender"]["lots"]] == [
        ("lot-1", "Lot 1"),
        ("lot-2", "Lot 2"),
    ]
    awards = {award["id"]: award for award in release["awards"]}
    lot1 = awards[f"{dps.pk}-lot-1"]
    assert lot1["relatedLots"] == ["lot-1"]
    assert [s["name"] for s in lot1["suppliers"]] == ["Aspire Living", "Our Place"]
    assert lot1["value"] == {"amount": 300000.0, "currency": "GBP"}
    assert awards[f"{dps.pk}-lot-2"]["relatedLots"] == ["lot-2"]
    assert [s["name"] for s in awards[f"{dps.pk}-lot-2"]["suppliers"]] == [
        "Newcross Healthcare Solutions"
    ]
    # Every supplier named in an award is a party with the supplier role.
    parties = {party["id"]: party for party in release["parties"]}
    for award in release["awards"]:
        for supplier in award["suppliers"]:
            assert parties[supplier["id"]]["roles"] == ["supplier"]
    assert parties[f"provider-{register['providers']['our_place'].pk}"]["identifier"] == {
        "scheme": "GB-COH",
        "id": "01234567",
        "legalName": "Our Place",
    }
    assert parties["council-alpha"]["roles"] == ["buyer", "procuringEntity"]

    (contract,) = release["contracts"]
    assert contract["awardID"] in awards
    assert contract["status"] == "active"
    assert contract["period"]["startDate"] == "2017-04-01T00:00:00+01:00"
    assert contract["period"]["endDate"] == "2023-03-31T23:59:59+01:00"
    assert datetime.fromisoformat(contract["period"]["maxExtentDate"]).date() == date(2024, 3, 31)
    assert contract["value"] == {"amount": 2520000.0, "currency": "GBP"}
    (amendment,) = contract["amendments"]
    assert amendment["date"].startswith("2022-03-16T00:00:00")
    assert amendment["rationale"] == "Time to recommission the DPS."
    assert "from 2022-03-31 to 2023-03-31" in amendment["description"]
    assert "£420,000.00" in amendment["description"]
    assert "Cabinet member children and families" in amendment["description"]


def test_contracts_without_awards_still_link_a_contract_to_an_award(register):
    package = release_package(actor=register["alpha"], uri="https://example.org/ocds/")
    releases = _by_contract(package)

    draft = releases[str(register["draft"].pk)]
    assert draft["tag"] == ["tender"]
    assert draft["contracts"][0]["status"] == "pending"
    assert "value" not in draft["contracts"][0]
    assert draft["contracts"][0]["amendments"] == []
    assert draft["awards"][0]["status"] == "pending"
    assert draft["contracts"][0]["awardID"] == draft["awards"][0]["id"]

    block = releases[str(register["block"].pk)]
    (award,) = block["awards"]
    assert award["relatedLots"] == ["lot-1"]
    assert award["suppliers"] == []
    assert block["contracts"][0]["awardID"] == award["id"]


def test_a_refused_or_pending_extension_is_not_an_amendment(register):
    block = register["block"]
    alpha = register["alpha"]
    extension = services.extension_create(
        actor=alpha,
        contract=block,
        new_end_date=date(2028, 3, 31),
        added_value=Decimal("1000"),
        rationale="Pending",
        legal_basis="pcr_modification",
    )
    services.extension_submit(actor=alpha, extension=extension)
    package = release_package(actor=alpha, uri="https://example.org/ocds/")
    release = _by_contract(package)[str(block.pk)]
    assert release["contracts"][0]["amendments"] == []
    assert "contractAmendment" not in release["tag"]


def test_another_councils_contracts_never_appear(register):
    package = release_package(actor=register["alpha"], uri="https://example.org/ocds/")
    text = json.dumps(package)
    assert MARKER_B not in text
    assert "-bravo-" not in text
    ids = {release["contracts"][0]["id"] for release in package["releases"]}
    assert str(register["theirs"].pk) not in ids
    # A joint contract is published by its lead council only.
    assert str(register["joint"].pk) not in ids


def test_the_lead_council_names_participating_councils_as_buyers(two_councils):
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    joint = make_contract(
        alpha, reference="J-1", participating_councils=[two_councils["bravo"]["council"]]
    )
    package = release_package(actor=alpha, uri="https://example.org/ocds/")
    assert_valid(package)
    parties = {p["id"]: p for p in _by_contract(package)[str(joint.pk)]["parties"]}
    assert parties["council-bravo"]["roles"] == ["buyer"]


# ---------------------------------------------------------------------------------------------
# The endpoint.

URL = "/api/v1/contracts/ocds/"
READERS = {
    Role.COMMISSIONER,
    Role.CONTRACT_MANAGER,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
    Role.TEAM_MANAGER,
    Role.COUNCIL_ADMIN,
}


def test_the_url_is_named():
    assert reverse("api-contracts-ocds") == URL


@pytest.mark.parametrize("role", Role.values)
def test_the_endpoint_per_role(register, two_councils, client_for, role):
    response = client_for(two_councils["alpha"]["people"][role]).get(URL)
    if role not in READERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    package = response.json()
    assert_valid(package)
    assert package["uri"] == "http://testserver/api/v1/contracts/ocds/"
    assert len(package["releases"]) == 3
    assert MARKER_B not in response.content.decode()


def test_the_endpoint_needs_sign_in(db, client):
    assert client.get(URL).status_code == 401


def test_bravo_sees_only_its_own(register, two_councils, client_for):
    response = client_for(two_councils["bravo"]["people"][Role.AUDITOR]).get(URL)
    package = response.json()
    assert_valid(package)
    assert {r["contracts"][0]["id"] for r in package["releases"]} == {
        str(register["theirs"].pk),
        str(register["joint"].pk),
    }
    assert MARKER_A not in json.dumps([r["awards"] for r in package["releases"]])


def test_an_empty_register_answers_an_empty_package(two_councils, client_for):
    response = client_for(two_councils["alpha"]["people"][Role.AUDITOR]).get(URL)
    assert response.status_code == 200
    assert response.json()["releases"] == []


def test_the_query_count_does_not_grow_with_contracts(
    register, two_councils, client_for, django_assert_num_queries
):
    alpha = register["alpha"]
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    client.get(URL)  # the first request starts the session's clock: one write, once
    with django_assert_num_queries(QUERIES):
        first = client.get(URL)
    assert len(first.json()["releases"]) == 3

    provider = make_provider(alpha, name="Another provider")
    for number in range(5):
        contract = make_contract(alpha, reference=f"MORE-{number}")
        make_awarded_lot(alpha, contract, provider, number=1)
        make_awarded_lot(alpha, contract, provider, number=2)
        _approve_extension(
            alpha,
            contract,
            new_end_date=date(2028, 3, 31),
            added_value=Decimal("5000"),
            rationale="More time.",
        )
    with django_assert_num_queries(QUERIES):
        second = client.get(URL)
    assert len(second.json()["releases"]) == 8
    assert_valid(second.json())


# Session, user, roles, council; contracts, lots, awards, extensions and participants; and the
# request's savepoint and its release.
QUERIES = 11
