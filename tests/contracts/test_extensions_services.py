"""Extensions by variation: every transition of the services, and every refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contracts.models import (
    ContractEvent,
    ContractStatus,
    Extension,
    ExtensionStatus,
)
from contracts.selectors import extensions as extension_selectors
from contracts.selectors import register as register_selectors
from contracts.services import extensions as services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_contract
from tests.per_module import world_per_module

NEW_END = date(2028, 3, 31)


def draft_extension(actor, contract, **fields) -> Extension:
    fields.setdefault("new_end_date", NEW_END)
    fields.setdefault("added_value", Decimal("420000.00"))
    fields.setdefault("rationale", "Time to recommission the service with families.")
    fields.setdefault("legal_basis", "pcr_modification")
    return services.extension_create(actor=actor, contract=contract, **fields)


def submitted_extension(actor, contract, **fields) -> Extension:
    return services.extension_submit(
        actor=actor, extension=draft_extension(actor, contract, **fields)
    )


def approve(actor, extension, *roles: str, decision: str = "approve", on=date(2025, 3, 1)):
    for role in roles:
        services.extension_record_approval(
            actor=actor,
            extension=extension,
            role=role,
            name=f"{role.title()} officer",
            decision=decision,
            decided_on=on,
        )


def decide(actor, extension, decision: str = "approve", **kwargs) -> Extension:
    kwargs.setdefault("decision_maker", "Cabinet member children and families")
    kwargs.setdefault("decided_on", date(2025, 3, 16))
    return services.extension_decide(actor=actor, extension=extension, decision=decision, **kwargs)


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


def _build_contract(two_councils) -> dict:
    return {"contract": make_contract(two_councils["alpha"]["people"]["commissioner"])}


_world_built, world = world_per_module(_build_contract)


@pytest.fixture
def contract(world):
    """Alpha's contract, built once for the module; each test rolls back its own writes."""
    return world["contract"]


# ---------------------------------------------------------------------------------------------
# Drafting


def test_a_commissioner_drafts_an_extension_and_the_contract_does_not_move(alpha, contract):
    extension = draft_extension(
        alpha["commissioner"],
        contract,
        alternatives_considered="Spot purchase",
        risks="Market may not bid",
    )
    assert extension.status == ExtensionStatus.DRAFT
    assert extension.council == contract.council
    assert extension.requested_by == alpha["commissioner"]
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 3, 31)
    assert contract.total_value == Decimal("750000.00")
    assert contract.status == ContractStatus.ACTIVE
    assert ContractEvent.objects.filter(contract=contract, kind="extension").count() == 1


def test_a_contract_manager_may_draft_one_too(alpha, contract):
    extension = draft_extension(alpha["contract_manager"], contract)
    assert extension.status == ExtensionStatus.DRAFT


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "finance_officer", "auditor", "council_admin"]
)
def test_other_roles_cannot_draft_one(alpha, contract, role):
    with pytest.raises(PermissionDenied):
        draft_extension(alpha[role], contract)
    assert not Extension.objects.exists()


def test_a_draft_contract_cannot_be_extended(alpha):
    draft = make_contract(alpha["commissioner"], active=False)
    with pytest.raises(TransitionNotAllowed, match="Only an active, extended or expired contract"):
        draft_extension(alpha["commissioner"], draft)


def test_only_one_extension_may_be_under_way(alpha, contract):
    draft_extension(alpha["commissioner"], contract)
    with pytest.raises(TransitionNotAllowed, match="already under way"):
        draft_extension(alpha["commissioner"], contract, new_end_date=date(2028, 9, 30))
    assert Extension.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"new_end_date": date(2027, 3, 31)}, "new_end_date", "after the current end date"),
        ({"new_end_date": date(2029, 4, 1)}, "new_end_date", "after the maximum extent"),
        ({"added_value": Decimal("-1")}, "added_value", "Enter the value"),
        ({"legal_basis": "handshake"}, "legal_basis", "Choose the legal basis"),
        ({"rationale": "   "}, "rationale", "Enter why"),
    ],
)
def test_bad_answers_are_refused_field_by_field(alpha, contract, fields, field, message):
    with pytest.raises(ValidationError) as error:
        draft_extension(alpha["commissioner"], contract, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not Extension.objects.exists()


# ---------------------------------------------------------------------------------------------
# Submitting and approvals


def test_submitting_a_draft_then_again(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    assert extension.status == ExtensionStatus.SUBMITTED
    assert extension.submitted_at is not None
    with pytest.raises(TransitionNotAllowed, match="only a draft can be submitted"):
        services.extension_submit(actor=alpha["commissioner"], extension=extension)


def test_approvals_wait_for_submission(alpha, contract):
    extension = draft_extension(alpha["commissioner"], contract)
    with pytest.raises(TransitionNotAllowed, match="once the extension is submitted"):
        approve(alpha["commissioner"], extension, "finance")
    assert not extension.approvals.exists()


def test_an_approval_needs_a_role_a_name_and_a_decision(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    with pytest.raises(ValidationError) as error:
        services.extension_record_approval(
            actor=alpha["commissioner"],
            extension=extension,
            role="chair",
            name=" ",
            decision="maybe",
            decided_on=date(2025, 3, 1),
        )
    assert set(error.value.message_dict) == {"role", "name", "decision"}


def test_the_latest_answer_of_a_role_is_the_one_that_counts(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "legal", decision="refuse", on=date(2025, 3, 1))
    assert services.extension_blockers(extension) == [
        "Finance has not approved",
        "Legal has not approved (refused)",
        "Procurement has not approved",
    ]
    approve(alpha["commissioner"], extension, "legal", "finance", on=date(2025, 3, 2))
    assert services.extension_blockers(extension) == ["Procurement has not approved"]
    assert extension.approvals.count() == 3  # the history stays


def test_a_participating_council_reads_the_extension_but_cannot_change_it(two_councils):
    alpha = two_councils["alpha"]["people"]
    bravo = two_councils["bravo"]["people"]
    joint = make_contract(
        alpha["commissioner"], participating_councils=[two_councils["bravo"]["council"]]
    )
    extension = draft_extension(alpha["commissioner"], joint)
    read = extension_selectors.access_extension_by_id(
        actor=bravo["commissioner"], extension_id=extension.pk
    )
    assert read == extension
    with pytest.raises(RecordNotFound):
        extension_selectors.access_extension_for_change(
            actor=bravo["commissioner"], extension_id=extension.pk
        )
    with pytest.raises(RecordNotFound):
        register_selectors.access_contract_for_change(
            actor=bravo["commissioner"], contract_id=joint.pk
        )
    # Even holding the record, the services refuse anyone but the lead council.
    with pytest.raises(TransitionNotAllowed, match="Only the lead council"):
        services.extension_submit(actor=bravo["commissioner"], extension=extension)
    with pytest.raises(TransitionNotAllowed, match="Only the lead council"):
        draft_extension(bravo["commissioner"], joint, new_end_date=date(2028, 1, 31))
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.DRAFT


def test_another_council_cannot_find_it_at_all(two_councils):
    alpha = two_councils["alpha"]["people"]
    bravo = two_councils["bravo"]["people"]
    extension = draft_extension(alpha["commissioner"], make_contract(alpha["commissioner"]))
    for role in ("commissioner", "auditor"):
        with pytest.raises(RecordNotFound):
            extension_selectors.access_extension_by_id(actor=bravo[role], extension_id=extension.pk)


# ---------------------------------------------------------------------------------------------
# The decision


def test_approving_moves_the_contract_end_date_value_and_status(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "governance", "finance", "legal", "procurement")
    decided = decide(alpha["commissioner"], extension, key_decision=False)
    assert decided.status == ExtensionStatus.APPROVED
    assert decided.previous_end_date == date(2027, 3, 31)
    assert decided.previous_total_value == Decimal("750000.00")
    contract.refresh_from_db()
    assert contract.end_date == NEW_END
    assert contract.total_value == Decimal("1170000.00")
    assert contract.status == ContractStatus.EXTENDED
    assert ContractEvent.objects.filter(contract=contract, kind="decision").count() == 1


def test_approving_is_refused_without_finance_legal_and_procurement(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    with pytest.raises(TransitionNotAllowed) as error:
        decide(alpha["commissioner"], extension)
    assert error.value.reason == (
        "The extension cannot be approved yet: Finance has not approved; Legal has not approved; "
        "Procurement has not approved."
    )
    approve(alpha["commissioner"], extension, "finance", "legal")
    with pytest.raises(TransitionNotAllowed, match="Procurement has not approved"):
        decide(alpha["commissioner"], extension)
    extension.refresh_from_db()
    contract.refresh_from_db()
    assert extension.status == ExtensionStatus.SUBMITTED
    assert contract.end_date == date(2027, 3, 31)
    assert contract.status == ContractStatus.ACTIVE


def test_a_draft_cannot_be_decided(alpha, contract):
    extension = draft_extension(alpha["commissioner"], contract)
    with pytest.raises(TransitionNotAllowed, match="only a submitted extension"):
        decide(alpha["commissioner"], extension, decision="refuse")


def test_deciding_twice_is_refused_and_the_contract_moves_once(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "finance", "legal", "procurement")
    decide(alpha["commissioner"], extension)
    with pytest.raises(TransitionNotAllowed, match="only a submitted extension can be decided"):
        decide(alpha["commissioner"], extension)
    with pytest.raises(TransitionNotAllowed, match="only a submitted extension can be decided"):
        decide(alpha["commissioner"], extension, decision="refuse")
    contract.refresh_from_db()
    assert contract.total_value == Decimal("1170000.00")


def test_refusing_leaves_the_contract_alone_and_frees_it_for_another(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    refused = decide(alpha["commissioner"], extension, decision="refuse", key_decision=True)
    assert refused.status == ExtensionStatus.REFUSED
    assert refused.key_decision is True
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 3, 31)
    assert contract.status == ContractStatus.ACTIVE
    assert draft_extension(alpha["commissioner"], contract).status == ExtensionStatus.DRAFT


@pytest.mark.parametrize("role", ["contract_manager", "finance_officer", "auditor"])
def test_only_commissioners_decide(alpha, contract, role):
    extension = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], extension, "finance", "legal", "procurement")
    with pytest.raises(PermissionDenied):
        decide(alpha[role], extension)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.SUBMITTED


def test_a_decision_needs_a_decision_maker(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)
    with pytest.raises(ValidationError) as error:
        decide(alpha["commissioner"], extension, decision="refuse", decision_maker="  ")
    assert "decision_maker" in error.value.message_dict


def test_shropshire_the_decision_maker_approves_despite_the_refused_cpr_exemption(alpha, contract):
    """March 2025: legal would not grant the exemption; the Executive Management Team, to whom it
    was escalated, agreed the extension."""
    extension = submitted_extension(alpha["commissioner"], contract, legal_basis="cpr_exemption")
    approve(alpha["commissioner"], extension, "finance", "procurement")
    approve(alpha["commissioner"], extension, "legal", decision="refuse")
    emt = {"decision_maker": "Executive Management Team", "decided_on": date(2025, 3, 4)}

    with pytest.raises(TransitionNotAllowed, match=r"Legal has not approved \(refused\)"):
        decide(alpha["commissioner"], extension, **emt)
    with pytest.raises(ValidationError) as error:
        decide(alpha["commissioner"], extension, decided_despite_refusal=True, **emt)
    assert "note" in error.value.message_dict

    decided = decide(
        alpha["commissioner"],
        extension,
        decided_despite_refusal=True,
        note="No other provider could take the children at this notice.",
        **emt,
    )
    assert decided.status == ExtensionStatus.APPROVED
    assert decided.decided_despite_refusal is True
    contract.refresh_from_db()
    assert contract.end_date == NEW_END
    assert contract.status == ContractStatus.EXTENDED
    assert "despite the refused CPR exemption" in contract.events.last().summary


def test_deciding_despite_a_refusal_applies_only_to_a_refused_cpr_exemption(alpha, contract):
    extension = submitted_extension(alpha["commissioner"], contract)  # PCR modification
    approve(alpha["commissioner"], extension, "finance", "procurement")
    approve(alpha["commissioner"], extension, "legal", decision="refuse")
    with pytest.raises(TransitionNotAllowed, match="applies only to a CPR exemption"):
        decide(alpha["commissioner"], extension, decided_despite_refusal=True, note="Because.")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


def test_an_approved_extension_can_be_followed_by_another(alpha, contract):
    first = submitted_extension(alpha["commissioner"], contract)
    approve(alpha["commissioner"], first, "finance", "legal", "procurement")
    decide(alpha["commissioner"], first)
    contract.refresh_from_db()
    second = submitted_extension(
        alpha["commissioner"], contract, new_end_date=date(2029, 3, 31), added_value=Decimal(1000)
    )
    approve(alpha["commissioner"], second, "finance", "legal", "procurement")
    decide(alpha["commissioner"], second)
    contract.refresh_from_db()
    assert contract.end_date == date(2029, 3, 31)
    assert contract.total_value == Decimal("1171000.00")
    second.refresh_from_db()
    assert second.previous_end_date == NEW_END
