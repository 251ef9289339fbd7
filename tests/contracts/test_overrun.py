"""A contract's state as of today, and the alarm when support runs on past a contract's end.

The world is made in March 2025 and read on FROZEN_TODAY (15 June 2026): "ENDED" ended on
31 March 2026 and is still recorded as active (the daily job has not run), with one open-ended
package line on its lot; "FINISHED" ended on the same day and its line ended on 31 May 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import EvidencePack, PackKind
from audits.packs.content import contract_compliance, contracts_as_at
from contracts.models import ContractStatus, Lot
from contracts.selectors import overrun as overrun_selectors
from contracts.services import register as contract_services
from referrals.services import packages as package_services
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.builders import make_awarded_lot, make_contract
from tests.clock import FROZEN_AT, FROZEN_TODAY, london
from tests.contracts.test_daily_jobs import extend
from tests.referrals.builders import build_world, line_kwargs, make_package

END = date(2026, 3, 31)


@pytest.fixture
def world(two_councils, time_machine):
    time_machine.move_to(london(date(2025, 3, 10)), tick=True)
    world = build_world(two_councils)
    alpha = world["alpha"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    provider = alpha["offer"]["provider"]
    for reference in ("ENDED", "FINISHED"):
        contract = make_contract(
            commissioner, reference=reference, start_date=date(2023, 4, 1), end_date=END
        )
        alpha[reference] = contract
        alpha[f"{reference}-lot"] = make_awarded_lot(commissioner, contract, provider)
    alpha["package"] = make_package(
        alpha["sw"],
        alpha["tm"],
        alpha["child"],
        alpha["offer"],
        lines=[
            {"lot": alpha["ENDED-lot"]},
            {"lot": alpha["FINISHED-lot"], "end_on": date(2026, 5, 31)},
        ],
    )
    alpha["proposed"] = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    time_machine.move_to(FROZEN_AT, tick=True)
    return world


def api_contract(client, contract) -> dict:
    response = client.get(reverse("api-contract", args=[contract.pk]))
    assert response.status_code == 200
    return response.json()


def api_references(client, **params) -> set[str]:
    response = client.get(reverse("api-contracts"), params)
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


# ----------------------------------------------------------------------------------------------
# Refusals


def test_another_council_neither_reads_nor_lists_nor_is_warned_of_the_overrun(world, client_for):
    ended = world["alpha"]["ENDED"]
    client = client_for(world["bravo"]["people"][Role.COMMISSIONER])
    assert client.get(reverse("api-contract", args=[ended.pk])).status_code == 404
    assert client.get(reverse("contracts:detail", args=[ended.pk])).status_code == 404
    assert api_references(client, overrunning="true") == set()
    assert "ENDED" not in client.get(reverse("contracts:list"), {"overrunning": "on"}).text
    assert "Overrunning contracts" not in client.get(reverse("home")).text


def test_a_social_worker_reads_no_register_and_gets_no_alarm(world, client_for):
    client = client_for(world["alpha"]["sw"])
    assert client.get(reverse("contracts:list"), {"overrunning": "on"}).status_code == 403
    assert client.get(reverse("api-contracts"), {"overrunning": "true"}).status_code == 403
    assert "Overrunning contracts" not in client.get(reverse("home")).text


def test_a_bad_overrunning_filter_is_refused(world, client_for):
    client = client_for(world["alpha"]["people"][Role.COMMISSIONER])
    response = client.get(reverse("api-contracts"), {"overrunning": "sometimes"})
    assert response.status_code == 400
    assert "overrunning" in response.json()


@pytest.mark.parametrize(
    "end_on", [None, date(2027, 1, 31), date(2026, 4, 1)], ids=["open", "2027", "day-after"]
)
def test_a_new_line_past_an_expired_contracts_end_is_refused_with_the_reason(world, end_on):
    alpha = world["alpha"]
    with pytest.raises(ValidationError) as caught:
        package_services.package_line_add(
            actor=alpha["sw"],
            package=alpha["proposed"],
            **line_kwargs(alpha["offer"], lot=alpha["ENDED-lot"], end_on=end_on),
        )
    assert caught.value.message_dict["lot"] == [
        "The contract for this lot ended on 31/03/2026 and no approved extension covers these "
        "dates."
    ]
    assert not alpha["proposed"].lines.exists()


def test_a_refused_extension_does_not_let_the_line_in(world):
    alpha = world["alpha"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    extend(commissioner, alpha["ENDED"], to=date(2027, 3, 31), decision="refuse")
    with pytest.raises(ValidationError):
        package_services.package_line_add(
            actor=alpha["sw"],
            package=alpha["proposed"],
            **line_kwargs(alpha["offer"], lot=alpha["ENDED-lot"], end_on=date(2027, 1, 31)),
        )


# ----------------------------------------------------------------------------------------------
# What is let in


def test_a_line_within_the_contracts_term_or_an_approved_extension_is_let_in(world, client_for):
    alpha = world["alpha"]
    within = package_services.package_line_add(
        actor=alpha["sw"],
        package=alpha["proposed"],
        **line_kwargs(alpha["offer"], lot=alpha["ENDED-lot"], end_on=END),
    )
    assert within.pk
    commissioner = alpha["people"][Role.COMMISSIONER]
    extend(commissioner, alpha["ENDED"], to=date(2027, 3, 31), decided_on=FROZEN_TODAY)
    covered = package_services.package_line_add(
        actor=alpha["sw"],
        package=alpha["proposed"],
        **line_kwargs(
            alpha["offer"], lot=Lot.objects.get(pk=alpha["ENDED-lot"].pk), end_on=date(2027, 1, 31)
        ),
    )
    assert covered.pk
    # The approved extension ends the overrun.
    data = api_contract(client_for(commissioner), alpha["ENDED"])
    assert data["status"] == "extended"
    assert data["overrunning_lines"] == 0


# ----------------------------------------------------------------------------------------------
# The state as of today


def test_a_contract_past_its_end_reads_expired_before_the_daily_job(world, client_for):
    alpha = world["alpha"]
    ended, running = alpha["ENDED"], alpha["offer"]["contract"]
    ended.refresh_from_db()
    assert ended.status == ContractStatus.ACTIVE  # as recorded: the daily job has not run
    client = client_for(alpha["people"][Role.FINANCE_OFFICER])
    assert api_contract(client, ended)["status"] == "expired"
    assert api_contract(client, running)["status"] == "active"
    assert api_references(client, status="expired") == {"ENDED", "FINISHED"}
    assert api_references(client, status="active") == {running.reference}
    page = client.get(reverse("contracts:detail", args=[ended.pk])).text
    assert "Expired" in page and "Active" not in page
    listed = client.get(reverse("contracts:list"), {"status": "expired"}).text
    assert "ENDED" in listed and running.reference not in listed


# ----------------------------------------------------------------------------------------------
# Overrunning


def test_an_overrunning_contract_is_flagged_in_the_register_and_the_api(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["people"][Role.AUDITOR])
    assert api_contract(client, alpha["ENDED"])["overrunning_lines"] == 1
    # The line on FINISHED ended before today: no longer overrunning.
    assert api_contract(client, alpha["FINISHED"])["overrunning_lines"] == 0
    assert api_contract(client, alpha["offer"]["contract"])["overrunning_lines"] == 0
    assert api_references(client, overrunning="true") == {"ENDED"}
    page = client.get(reverse("contracts:list"), {"overrunning": "on"}).text
    assert "ENDED" in page and "FINISHED" not in page
    assert 'govuk-tag--red">Overrunning' in page


def test_the_contract_page_warns_how_many_lines_since_when_and_the_value_at_risk(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["people"][Role.CONTRACT_MANAGER])
    page = client.get(reverse("contracts:detail", args=[alpha["ENDED"].pk])).text
    # 5 hours a week at £28.50 for 52 weeks is £7,410.00 a year; 76 days from 1 April 2026.
    assert "govuk-warning-text" in page
    assert "1 package line since 1 April 2026 (76 days)" in page
    assert "£1,542.90 bought without a contract so far" in page
    finished = client.get(reverse("contracts:detail", args=[alpha["FINISHED"].pk])).text
    assert "govuk-warning-text" not in finished


def test_the_home_page_warns_the_commissioners_and_the_contract_manager(
    world, client_for, make_person
):
    alpha = world["alpha"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    manager = alpha["people"][Role.CONTRACT_MANAGER]
    other_manager = make_person(alpha["council"], Role.CONTRACT_MANAGER)
    contract_services.contract_set_manager(
        actor=commissioner, contract=alpha["ENDED"], manager=manager
    )
    for person in (commissioner, manager):
        home = client_for(person).get(reverse("home")).text
        assert "Overrunning contracts" in home
        assert "ENDED" in home and "1 package line still running" in home
        assert "FINISHED" not in home
    assert "Overrunning contracts" not in client_for(other_manager).get(reverse("home")).text


def test_the_register_query_count_is_pinned_with_the_overrun(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    client = client_for(alpha["people"][Role.COMMISSIONER])
    client.get(reverse("contracts:list"))  # warm the session
    with django_assert_num_queries(9):
        client.get(reverse("contracts:list"), {"overrunning": "on"})
    with django_assert_num_queries(9):
        client.get(reverse("contracts:list"))
    for params in ({"overrunning": "true"}, {}):
        with django_assert_num_queries(10):
            client.get(reverse("api-contracts"), params)


# ----------------------------------------------------------------------------------------------
# The contract-compliance evidence pack


def test_the_pack_lists_a_contract_overrunning_in_its_period_whatever_its_end_date(world):
    alpha = world["alpha"]
    pack = EvidencePack(
        council=alpha["council"],
        kind=PackKind.CONTRACT_COMPLIANCE,
        period_start=date(2026, 5, 1),
        period_end=date(2026, 5, 31),
        as_at=date(2026, 6, 1),
    )
    with rls.council_scope(alpha["council"]):
        items = {item.contract.reference: item for item in contracts_as_at(pack)}
        sections = contract_compliance(pack)
    # Both ended before the period began; both ran on in all of May.
    for reference in ("ENDED", "FINISHED"):
        overrun = items[reference].overrun
        assert overrun.lines == 1 and overrun.since == date(2026, 5, 1) and overrun.days == 31
        assert overrun.value_at_risk == Decimal("629.34")  # £7,410 a year for 31 days
    ran_past = next(s for s in sections if s.key == "ran-past")
    assert {i.contract.reference for i in ran_past.context["items"]} >= {"ENDED", "FINISHED"}
    assert overrun_selectors.contract_overrunning_lines(contract=alpha["FINISHED"]) == 0
