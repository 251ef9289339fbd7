"""The DPS membership lifecycle and its refusals, through the services the pages and API call."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contracts.models import PRE_APPROVAL_CHECKS, DPSMembershipEvent, MembershipStatus
from contracts.services import dps as services
from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_provider
from tests.conftest import MARKER_A, MARKER_B
from tests.per_module import world_per_module

ALL_CHECKS = dict.fromkeys(PRE_APPROVAL_CHECKS, True)


def build_dps_world(two_councils) -> dict:
    """A DPS in each council, providers in each, and the people who keep them."""
    world = {}
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        commissioner = two_councils[slug]["people"][Role.COMMISSIONER]
        dps = services.dps_create(
            actor=commissioner,
            title=f"Tier 3 DPS {marker}",
            start_date=date(2017, 4, 1),
            categories="Overnight short breaks\nCommunity short breaks",
        )
        closed = services.dps_create(
            actor=commissioner,
            title=f"Closed DPS {marker}",
            start_date=date(2015, 4, 1),
            open_to_applications=False,
        )
        providers = [
            make_provider(commissioner, name=f"{name} {marker}")
            for name in ("Our Place", "Aspire Living", "Crossroads Care")
        ]
        world[slug] = {
            "commissioner": commissioner,
            "people": two_councils[slug]["people"],
            "dps": dps,
            "closed": closed,
            "providers": providers,
        }
    return world


# Built once for the module; each test rolls back its own writes.
_dps_world_built, dps_world = world_per_module(build_dps_world, name="dps_world")


def approved_membership(actor, dps, provider, *, on: date = date(2018, 1, 10)):
    """Apply, assess, check and approve: a member in good standing."""
    membership = services.dps_membership_apply(actor=actor, dps=dps, provider=provider, on=on)
    services.dps_membership_transition(
        actor=actor, membership=membership, action="start_assessment", on=on, reason="Assessing."
    )
    services.dps_membership_record_checks(actor=actor, membership=membership, **ALL_CHECKS)
    return services.dps_membership_transition(
        actor=actor, membership=membership, action="approve", on=on, reason="All checks passed."
    )


def test_every_transition_in_turn_writes_a_dated_event(dps_world):
    alpha = dps_world["alpha"]
    actor, dps, provider = alpha["commissioner"], alpha["dps"], alpha["providers"][2]
    membership = services.dps_membership_apply(
        actor=actor, dps=dps, provider=provider, on=date(2017, 5, 1), reason="Tender response."
    )
    assert membership.status == MembershipStatus.APPLIED
    steps = [
        ("start_assessment", date(2017, 5, 2), MembershipStatus.UNDER_ASSESSMENT),
        ("approve", date(2017, 6, 1), MembershipStatus.APPROVED),
        ("suspend", date(2019, 1, 1), MembershipStatus.SUSPENDED),
        ("reinstate", date(2019, 3, 1), MembershipStatus.APPROVED),
        ("exit", date(2020, 3, 31), MembershipStatus.EXITED),
    ]
    for action, on, expected in steps:
        if action == "approve":
            services.dps_membership_record_checks(actor=actor, membership=membership, **ALL_CHECKS)
        membership = services.dps_membership_transition(
            actor=actor, membership=membership, action=action, on=on, reason=f"Because {action}."
        )
        assert membership.status == expected
        assert membership.status_date == on
    events = list(DPSMembershipEvent.objects.filter(membership=membership))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "applied"),
        ("applied", "under_assessment"),
        ("under_assessment", "approved"),
        ("approved", "suspended"),
        ("suspended", "approved"),
        ("approved", "exited"),
    ]
    assert [e.kind for e in events] == ["applied", *(action for action, _, _ in steps)]
    assert [e.summary for e in events] == [
        "Applied to join. Tender response.",
        "Moved to under assessment. Because start_assessment.",
        "Approved. Because approve.",
        "Suspended. Because suspend.",
        "Reinstated. Because reinstate.",
        "Exited. Because exit.",
    ]
    assert events[0].reason == "Tender response."
    assert events[-1].reason == "Because exit."
    assert {e.actor for e in events} == {actor}


@pytest.mark.parametrize(
    ("status_path", "action"),
    [
        ([], "approve"),  # approve before assessment
        ([], "suspend"),  # suspend from applied
        ([], "reinstate"),
        (["start_assessment"], "suspend"),
        (["start_assessment"], "start_assessment"),
        (["start_assessment", "exit"], "exit"),
        (["start_assessment", "exit"], "reinstate"),
    ],
)
def test_a_transition_the_status_forbids_is_refused_with_the_reason(dps_world, status_path, action):
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    membership = services.dps_membership_apply(
        actor=actor, dps=alpha["dps"], provider=alpha["providers"][0], on=date(2024, 1, 1)
    )
    for step in status_path:
        membership = services.dps_membership_transition(
            actor=actor, membership=membership, action=step, on=date(2024, 1, 2), reason="Step."
        )
    before = membership.status
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dps_membership_transition(
            actor=actor, membership=membership, action=action, on=date(2024, 2, 1), reason="No."
        )
    assert refused.value.reason == states.refusal(membership, action)  # the declared reason
    assert refused.value.reason.startswith(("Only a", "This membership has already exited"))
    membership.refresh_from_db()
    assert membership.status == before


def test_approval_waits_for_every_pre_approval_check_and_names_the_missing(dps_world):
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    membership = services.dps_membership_apply(
        actor=actor, dps=alpha["dps"], provider=alpha["providers"][0], on=date(2024, 1, 1)
    )
    services.dps_membership_transition(
        actor=actor, membership=membership, action="start_assessment", on=date(2024, 1, 2),
        reason="Assessing.",
    )  # fmt: skip
    services.dps_membership_record_checks(
        actor=actor, membership=membership, check_registration=True, check_insurance=True
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dps_membership_transition(
            actor=actor, membership=membership, action="approve", on=date(2024, 2, 1), reason="Go."
        )
    assert refused.value.reason == (
        "The pre-approval checks are not complete: Safeguarding policy, DBS checks, "
        "Financial standing."
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.UNDER_ASSESSMENT


def test_applying_twice_when_closed_or_with_another_councils_provider_is_refused(dps_world):
    alpha = dps_world["alpha"]
    actor, dps = alpha["commissioner"], alpha["dps"]
    provider = alpha["providers"][0]
    services.dps_membership_apply(actor=actor, dps=dps, provider=provider, on=date(2024, 1, 1))
    with pytest.raises(TransitionNotAllowed, match="already applied"):
        services.dps_membership_apply(actor=actor, dps=dps, provider=provider, on=date(2024, 1, 2))
    with pytest.raises(TransitionNotAllowed, match="not open to applications"):
        services.dps_membership_apply(
            actor=actor, dps=alpha["closed"], provider=provider, on=date(2024, 1, 2)
        )
    with pytest.raises(ValidationError) as invalid:
        services.dps_membership_apply(
            actor=actor, dps=dps, provider=dps_world["bravo"]["providers"][0], on=date(2024, 1, 2)
        )
    assert invalid.value.message_dict == {"provider": ["Choose one of the council's providers."]}
    assert dps.memberships.count() == 1


def test_a_reason_is_needed_and_the_date_cannot_go_back(dps_world):
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    membership = services.dps_membership_apply(
        actor=actor, dps=alpha["dps"], provider=alpha["providers"][0], on=date(2024, 3, 1)
    )
    with pytest.raises(ValidationError) as no_reason:
        services.dps_membership_transition(
            actor=actor, membership=membership, action="exit", on=date(2024, 3, 2), reason="  "
        )
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as backdated:
        services.dps_membership_transition(
            actor=actor, membership=membership, action="exit", on=date(2024, 2, 1), reason="Left."
        )
    assert "on" in backdated.value.message_dict
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPLIED


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.FINANCE_OFFICER, Role.SOCIAL_WORKER])
def test_people_who_may_not_manage_contracts_change_nothing(dps_world, role):
    alpha = dps_world["alpha"]
    person = alpha["people"][role]
    with pytest.raises(PermissionDenied):
        services.dps_create(actor=person, title="Not allowed", start_date=date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        services.dps_membership_apply(
            actor=person, dps=alpha["dps"], provider=alpha["providers"][0], on=date(2024, 1, 1)
        )
    membership = approved_membership(alpha["commissioner"], alpha["dps"], alpha["providers"][1])
    with pytest.raises(PermissionDenied):
        services.dps_membership_transition(
            actor=person, membership=membership, action="suspend", on=date(2024, 1, 1), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.dps_membership_record_checks(actor=person, membership=membership, check_dbs=False)
