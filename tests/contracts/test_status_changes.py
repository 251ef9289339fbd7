"""Every declared status change of the register's records (DPS memberships, contracts,
extensions, KPI returns), from every status: the service refuses exactly when `states.may` says
the step is not allowed, and pages offer only the steps the server makes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contracts.models import (
    MEMBERSHIP_STEPS,
    PRE_APPROVAL_CHECKS,
    Contract,
    ContractStatus,
    DPSMembership,
    Extension,
    ExtensionStatus,
    KPIReturnStatus,
    MembershipStatus,
    MonitoringRecord,
)
from contracts.services import dps as dps_services
from contracts.services import extensions as extension_services
from contracts.services import kpi as kpi_services
from contracts.services import register as register_services
from providers import services as provider_services
from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_awarded_lot, make_contract, make_provider
from tests.conftest import person_in
from tests.contracts.factories import DPSMembershipFactory
from tests.per_module import world_per_module

pytestmark = pytest.mark.django_db

ON = date(2026, 1, 5)


def _build_records(two_councils) -> dict:
    """The records each matrix case sets to one status and steps from: built once for the
    module; each case's writes roll back."""
    people = two_councils["alpha"]["people"]
    commissioner = people[Role.COMMISSIONER]
    submitted = {}
    for approved in (True, False):
        submitted[approved] = extension_services.extension_submit(
            actor=commissioner, extension=_draft(commissioner, make_contract(commissioner))
        )
        if approved:
            _approvals(commissioner, submitted[approved])
    return {
        "membership": {done: _membership(people, checks_done=done) for done in (True, False)},
        "draft_contract": make_contract(commissioner, active=False),
        "submitted_extension": submitted,
        "kpi": _build_kpi(people, two_councils["alpha"]["council"]),
    }


_world_built, world = world_per_module(lambda two_councils: _build_records(two_councils))


@pytest.fixture
def people(two_councils):
    return two_councils["alpha"]["people"]


def _with(record, **values):
    type(record).objects.filter(pk=record.pk).update(**values)
    return type(record).objects.get(pk=record.pk)


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> None:
    try:
        make_step()
    except (TransitionNotAllowed, PermissionDenied):
        assert not allowed, "the service refused a step the page offers"
    else:
        assert allowed, "the service made a step the page does not offer"


# ----------------------------------------------------------------------------------------------
# DPS memberships

MEMBERSHIP_FROM = {
    "start_assessment": ([MembershipStatus.APPLIED], MembershipStatus.UNDER_ASSESSMENT),
    "approve": ([MembershipStatus.UNDER_ASSESSMENT], MembershipStatus.APPROVED),
    "suspend": ([MembershipStatus.APPROVED], MembershipStatus.SUSPENDED),
    "reinstate": ([MembershipStatus.SUSPENDED], MembershipStatus.APPROVED),
    "exit": (
        [
            MembershipStatus.APPLIED,
            MembershipStatus.UNDER_ASSESSMENT,
            MembershipStatus.APPROVED,
            MembershipStatus.SUSPENDED,
        ],
        MembershipStatus.EXITED,
    ),
}


def test_the_membership_steps_are_the_declared_ones():
    assert MEMBERSHIP_STEPS == tuple(MEMBERSHIP_FROM)


def _membership(people, *, checks_done: bool) -> DPSMembership:
    actor = people[Role.COMMISSIONER]
    dps = dps_services.dps_create(actor=actor, title="Tier 3 DPS", start_date=date(2017, 4, 1))
    membership = dps_services.dps_membership_apply(
        actor=actor, dps=dps, provider=make_provider(actor), on=date(2025, 1, 1)
    )
    checks = dict.fromkeys(PRE_APPROVAL_CHECKS, checks_done)
    return dps_services.dps_membership_record_checks(actor=actor, membership=membership, **checks)


@pytest.mark.parametrize("checks_done", [True, False], ids=["checked", "unchecked"])
@pytest.mark.parametrize("name", MEMBERSHIP_STEPS)
@pytest.mark.parametrize("status", MembershipStatus.values)
def test_each_membership_step_from_each_status(world, people, status, name, checks_done):
    actor = people[Role.CONTRACT_MANAGER]
    membership = _with(world["membership"][checks_done], status=status)
    allowed = states.may(membership, name, actor)
    sources, target = MEMBERSHIP_FROM[name]
    assert allowed == (status in sources and (checks_done or name != "approve"))
    if not allowed:
        assert states.refusal(membership, name)
    assert_refused_exactly_when_not_allowed(
        allowed,
        lambda: dps_services.dps_membership_transition(
            actor=actor, membership=membership, action=name, on=ON, reason="Reviewed."
        ),
    )
    membership = DPSMembership.objects.get(pk=membership.pk)
    assert membership.status == (target if allowed else status)
    assert membership.events.filter(to_status=target).exists() == allowed


@pytest.mark.parametrize("name", MEMBERSHIP_STEPS)
def test_a_role_without_the_permission_is_never_offered_a_membership_step(world, people, name):
    membership = world["membership"][True]
    sources, _ = MEMBERSHIP_FROM[name]
    membership = _with(membership, status=sources[0])
    social_worker = people[Role.SOCIAL_WORKER]
    assert states.may(membership, name, people[Role.COMMISSIONER])
    assert not states.may(membership, name, social_worker)
    with pytest.raises(PermissionDenied):
        dps_services.dps_membership_transition(
            actor=social_worker, membership=membership, action=name, on=ON, reason="Reviewed."
        )


def test_the_membership_page_offers_only_the_steps_the_server_makes(people, client_for):
    membership = DPSMembershipFactory(council=people[Role.COMMISSIONER].active_council)
    url = reverse("contracts:dps-membership", args=[membership.dps_id, membership.pk])
    client = client_for(people[Role.CONTRACT_MANAGER])
    page = client.get(url).content.decode()
    assert 'name="do_start_assessment"' in page and 'name="do_exit"' in page
    assert 'name="do_approve"' not in page and 'name="do_suspend"' not in page
    _with(membership, status=MembershipStatus.UNDER_ASSESSMENT)
    page = client.get(url).content.decode()
    assert 'name="do_approve"' not in page  # the checks are not done: the server refuses it
    _with(membership, **dict.fromkeys(PRE_APPROVAL_CHECKS, True))
    page = client.get(url).content.decode()
    assert 'name="do_approve"' in page and 'name="do_start_assessment"' not in page
    page = client_for(people[Role.AUDITOR]).get(url).content.decode()
    assert 'name="do_' not in page


# ----------------------------------------------------------------------------------------------
# Contracts

CONTRACT_STEPS = {
    "activate": lambda actor, contract: register_services.contract_activate(
        actor=actor, contract=contract
    ),
    "terminate": lambda actor, contract: register_services.contract_terminate(
        actor=actor, contract=contract, on=ON, reason="The provider withdrew."
    ),
}
CONTRACT_FROM = {
    "activate": ([ContractStatus.DRAFT], ContractStatus.ACTIVE),
    "terminate": ([ContractStatus.ACTIVE, ContractStatus.EXTENDED], ContractStatus.TERMINATED),
    "extend": (
        [ContractStatus.ACTIVE, ContractStatus.EXTENDED, ContractStatus.EXPIRED],
        ContractStatus.EXTENDED,
    ),
    "expire": ([ContractStatus.ACTIVE, ContractStatus.EXTENDED], ContractStatus.EXPIRED),
}


@pytest.mark.parametrize("name", CONTRACT_STEPS)
@pytest.mark.parametrize("status", ContractStatus.values)
def test_each_contract_step_from_each_status(world, people, status, name):
    actor = people[Role.CONTRACT_MANAGER]
    contract = _with(world["draft_contract"], status=status)
    allowed = states.may(contract, name, actor)
    sources, target = CONTRACT_FROM[name]
    assert allowed == (status in sources)
    assert_refused_exactly_when_not_allowed(allowed, lambda: CONTRACT_STEPS[name](actor, contract))
    assert Contract.objects.get(pk=contract.pk).status == (target if allowed else status)


@pytest.mark.parametrize("status", ContractStatus.values)
def test_an_extension_is_drafted_exactly_when_the_contract_may_be_extended(world, people, status):
    commissioner = people[Role.COMMISSIONER]
    contract = _with(world["draft_contract"], status=status)
    allowed = states.may(contract, "extend", commissioner)
    assert allowed == (status in CONTRACT_FROM["extend"][0])
    assert_refused_exactly_when_not_allowed(allowed, lambda: _draft(commissioner, contract))


@pytest.mark.parametrize("status", ContractStatus.values)
def test_only_running_contracts_expire_when_their_end_has_passed(world, status):
    contract = _with(world["draft_contract"], status=status)
    allowed = states.may(contract, "expire", None)
    assert allowed == (status in CONTRACT_FROM["expire"][0])
    others_running = (
        Contract.objects.filter(status__in=CONTRACT_FROM["expire"][0]).exclude(pk=contract.pk)
    ).count()
    expired = register_services.contracts_expire(today=contract.end_date.replace(year=2099))
    assert expired == others_running + int(allowed)
    after = Contract.objects.get(pk=contract.pk).status
    assert after == (ContractStatus.EXPIRED if allowed else status)


@pytest.mark.parametrize("name", CONTRACT_STEPS)
def test_a_role_without_the_permission_is_never_offered_a_contract_step(world, people, name):
    status = CONTRACT_FROM[name][0][0]
    contract = _with(world["draft_contract"], status=status)
    auditor = people[Role.AUDITOR]
    assert not states.may(contract, name, auditor)
    with pytest.raises(PermissionDenied):
        CONTRACT_STEPS[name](auditor, contract)


def test_the_contract_page_offers_only_the_steps_the_server_makes(people, client_for):
    contract = make_contract(people[Role.COMMISSIONER], active=False)
    client = client_for(people[Role.CONTRACT_MANAGER])
    url = reverse("contracts:detail", args=[contract.pk])
    page = client.get(url).content.decode()
    assert "Make active" in page and "Terminate the contract" not in page
    register_services.contract_activate(actor=people[Role.CONTRACT_MANAGER], contract=contract)
    page = client.get(url).content.decode()
    assert "Make active" not in page and "Terminate the contract" in page


# ----------------------------------------------------------------------------------------------
# Extensions


def _draft(actor, contract) -> Extension:
    return extension_services.extension_create(
        actor=actor,
        contract=contract,
        new_end_date=contract.end_date.replace(year=contract.end_date.year + 1),
        added_value=Decimal("1000.00"),
        rationale="Time to recommission.",
        legal_basis="pcr_modification",
    )


def _approvals(actor, extension, decision: str = "approve") -> None:
    for role in ("finance", "legal", "procurement"):
        extension_services.extension_record_approval(
            actor=actor,
            extension=extension,
            role=role,
            name=f"{role.title()} officer",
            decision=decision,
            decided_on=ON,
        )


EXTENSION_STEPS = {
    "submit": lambda actor, extension: extension_services.extension_submit(
        actor=actor, extension=extension
    ),
    "record_approval": lambda actor, extension: extension_services.extension_record_approval(
        actor=actor,
        extension=extension,
        role="governance",
        name="Governance officer",
        decision="approve",
        decided_on=ON,
    ),
    "approve": lambda actor, extension: extension_services.extension_decide(
        actor=actor,
        extension=extension,
        decision="approve",
        decision_maker="Cabinet member",
        decided_on=ON,
    ),
    "refuse": lambda actor, extension: extension_services.extension_decide(
        actor=actor,
        extension=extension,
        decision="refuse",
        decision_maker="Cabinet member",
        decided_on=ON,
    ),
}
EXTENSION_FROM = {
    "submit": ([ExtensionStatus.DRAFT], ExtensionStatus.SUBMITTED),
    "record_approval": ([ExtensionStatus.SUBMITTED], ExtensionStatus.SUBMITTED),
    "approve": ([ExtensionStatus.SUBMITTED], ExtensionStatus.APPROVED),
    "refuse": ([ExtensionStatus.SUBMITTED], ExtensionStatus.REFUSED),
}


@pytest.mark.parametrize("approved", [True, False], ids=["approved", "not-approved"])
@pytest.mark.parametrize("name", EXTENSION_STEPS)
@pytest.mark.parametrize("status", ExtensionStatus.values)
def test_each_extension_step_from_each_status(world, people, status, name, approved):
    commissioner = people[Role.COMMISSIONER]
    extension = _with(world["submitted_extension"][approved], status=status)
    allowed = states.may(extension, name, commissioner)
    sources, target = EXTENSION_FROM[name]
    assert allowed == (status in sources and (approved or name != "approve"))
    assert_refused_exactly_when_not_allowed(
        allowed, lambda: EXTENSION_STEPS[name](commissioner, extension)
    )
    assert Extension.objects.get(pk=extension.pk).status == (target if allowed else status)


def test_a_refused_cpr_exemption_may_be_approved_only_despite_the_refusal(people):
    commissioner = people[Role.COMMISSIONER]
    extension = _draft(commissioner, make_contract(commissioner))
    Extension.objects.filter(pk=extension.pk).update(legal_basis="cpr_exemption")
    extension = extension_services.extension_submit(actor=commissioner, extension=extension)
    _approvals(commissioner, extension, decision="refuse")
    assert states.may(extension, "approve", commissioner)
    with pytest.raises(TransitionNotAllowed, match="cannot be approved yet: Finance"):
        EXTENSION_STEPS["approve"](commissioner, extension)
    decided = extension_services.extension_decide(
        actor=commissioner,
        extension=extension,
        decision="approve",
        decision_maker="Cabinet member",
        decided_on=ON,
        decided_despite_refusal=True,
        note="Escalated to the cabinet.",
    )
    assert decided.status == ExtensionStatus.APPROVED
    assert Contract.objects.get(pk=decided.contract_id).status == ContractStatus.EXTENDED


@pytest.mark.parametrize("name", ["approve", "refuse"])
def test_only_the_decision_maker_is_offered_the_decision(world, people, name):
    commissioner, manager = people[Role.COMMISSIONER], people[Role.CONTRACT_MANAGER]
    extension = world["submitted_extension"][True]
    assert states.may(extension, name, commissioner)
    assert not states.may(extension, name, manager)
    with pytest.raises(PermissionDenied):
        EXTENSION_STEPS[name](manager, extension)


def test_the_extension_page_offers_only_the_steps_the_server_makes(people, client_for):
    commissioner, manager = people[Role.COMMISSIONER], people[Role.CONTRACT_MANAGER]
    extension = _draft(commissioner, make_contract(commissioner))
    url = reverse("contracts:extension", args=[extension.pk])
    page = client_for(manager).get(url).content.decode()
    assert "Submit for decision" in page and "Record an approval" not in page
    extension_services.extension_submit(actor=manager, extension=extension)
    page = client_for(manager).get(url).content.decode()
    assert "Submit for decision" not in page and "Record an approval" in page
    assert "Record the decision" not in page  # a contract manager does not decide
    assert "Record the decision" in client_for(commissioner).get(url).content.decode()
    EXTENSION_STEPS["refuse"](commissioner, extension)
    page = client_for(commissioner).get(url).content.decode()
    assert 'id="actions"' not in page


# ----------------------------------------------------------------------------------------------
# KPI returns


def _build_kpi(people, council) -> dict:
    commissioner = people[Role.COMMISSIONER]
    provider = make_provider(commissioner)
    contract = make_contract(commissioner)
    make_awarded_lot(commissioner, contract, provider)
    staff = person_in(council)
    provider_services.provider_account_open(user=staff, provider=provider)
    staff.refresh_from_db()
    record = kpi_services.kpi_return_request(
        actor=people[Role.CONTRACT_MANAGER],
        contract=contract,
        provider=provider,
        period="Quarter 1 2026/27",
        due_on=date(2026, 7, 15),
    )
    return {"record": record, "staff": staff, "manager": people[Role.CONTRACT_MANAGER]}


@pytest.fixture
def kpi(world):
    return world["kpi"]


KPI_STEPS = {
    "submit": lambda kpi, record: kpi_services.kpi_return_submit(
        actor=kpi["staff"],
        record=record,
        summary="A good quarter.",
        sessions_delivered=10,
        sessions_target=10,
    ),
    "accept": lambda kpi, record: kpi_services.kpi_return_accept(
        actor=kpi["manager"], record=record
    ),
    "query": lambda kpi, record: kpi_services.kpi_return_query(
        actor=kpi["manager"], record=record, reason="Check the sessions."
    ),
}
KPI_FROM = {
    "submit": ([KPIReturnStatus.DUE, KPIReturnStatus.QUERIED], KPIReturnStatus.SUBMITTED),
    "accept": ([KPIReturnStatus.SUBMITTED], KPIReturnStatus.ACCEPTED),
    "query": ([KPIReturnStatus.SUBMITTED], KPIReturnStatus.QUERIED),
}


@pytest.mark.parametrize("name", KPI_STEPS)
@pytest.mark.parametrize("status", KPIReturnStatus.values)
def test_each_kpi_return_step_from_each_status(kpi, status, name):
    record = _with(kpi["record"], kpi_status=status)
    actor = kpi["staff"] if name == "submit" else kpi["manager"]
    allowed = states.may(record, name, actor)
    sources, target = KPI_FROM[name]
    assert allowed == (status in sources)
    assert_refused_exactly_when_not_allowed(allowed, lambda: KPI_STEPS[name](kpi, record))
    after = MonitoringRecord.objects.get(pk=record.pk).kpi_status
    assert after == (target if allowed else status)


def test_the_provider_does_not_decide_and_the_council_does_not_submit(kpi):
    record = kpi["record"]
    assert not states.may(record, "submit", kpi["manager"])
    submitted = KPI_STEPS["submit"](kpi, record)
    for name in ("accept", "query"):
        assert not states.may(submitted, name, kpi["staff"])
        assert states.may(submitted, name, kpi["manager"])


def test_the_kpi_pages_offer_only_the_steps_the_server_makes(kpi, client_for):
    record = kpi["record"]
    council_url = reverse("contracts:monitoring", args=[record.contract_id, record.pk])
    provider_url = reverse("provider:kpi-return", args=[record.pk])
    assert "Accept the return" not in client_for(kpi["manager"]).get(council_url).content.decode()
    assert "Submit your figures" in client_for(kpi["staff"]).get(provider_url).content.decode()
    KPI_STEPS["submit"](kpi, record)
    assert "Accept the return" in client_for(kpi["manager"]).get(council_url).content.decode()
    assert "Submit your figures" not in client_for(kpi["staff"]).get(provider_url).content.decode()
