"""Targeted grants: decisions, payments, the waiting list and the backlog by month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from referrals.models import ChildTier, GrantStatus, PaymentStatus
from referrals.selectors import grants as grant_selectors
from referrals.services import grants as grant_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.referrals.builders import make_child
from tests.referrals.once import built_for_module

TODAY = date(2025, 6, 2)


def build_grants_world(world: dict) -> dict:
    for slug in ("alpha", "bravo"):
        world[slug]["scheme"] = grant_services.grant_scheme_create(
            actor=world[slug]["sw"],
            name="Short break grant",
            year=2024,
            eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
            max_amount=Decimal("500.00"),
        )
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_grants_world)


def apply(world, slug="alpha", *, child=None, received_on=date(2025, 1, 6)):
    return grant_services.grant_application_create(
        actor=world[slug]["sw"],
        child=child or world[slug]["child"],
        scheme=world[slug]["scheme"],
        received_on=received_on,
        answers={"Does your child have a disability?": "Yes", "Age": "11"},
    )


def test_an_award_moves_the_child_to_the_targeted_tier_and_awaits_payment(world):
    alpha = world["alpha"]
    application = apply(world)
    application = grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=application,
        decision="approved",
        decided_on=date(2025, 3, 1),
        amount=Decimal("450.00"),
        review_on=date(2026, 3, 1),
    )
    assert (application.status, application.payment_status) == (
        GrantStatus.APPROVED,
        PaymentStatus.AWAITING_PAYMENT,
    )
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.TARGETED
    change = alpha["child"].tier_changes.get()
    assert "£450.00" in change.reason and change.on == date(2025, 3, 1)
    grant_services.grant_payment_set(
        actor=alpha["sw"], application=application, payment_status="paid"
    )
    with pytest.raises(TransitionNotAllowed):
        grant_services.grant_payment_set(
            actor=alpha["sw"], application=application, payment_status="awaiting_payment"
        )
    with pytest.raises(TransitionNotAllowed):
        grant_services.grant_application_decide(
            actor=alpha["sw"],
            application=application,
            decision="declined",
            decided_on=date(2025, 3, 2),
            reason="Changed our mind.",
        )


def test_a_decline_needs_a_reason_and_leaves_the_tier(world):
    alpha = world["alpha"]
    application = apply(world)
    with pytest.raises(ValidationError) as caught:
        grant_services.grant_application_decide(
            actor=alpha["sw"], application=application, decision="declined", decided_on=TODAY
        )
    assert caught.value.message_dict == {"reason": ["Enter the reason."]}
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=application,
        decision="declined",
        decided_on=TODAY,
        reason="Lives outside the area.",
    )
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.NONE
    with pytest.raises(TransitionNotAllowed):
        grant_services.grant_payment_set(
            actor=alpha["sw"], application=application, payment_status="paid"
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"decision": "approved"}, "amount"),
        ({"decision": "approved", "amount": Decimal("0")}, "amount"),
        ({"decision": "approved", "amount": Decimal("500.01")}, "amount"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "declined", "reason": "No.", "decided_on": date(2024, 12, 1)}, "decided_on"),
        ({"decision": "approved", "amount": Decimal("5"), "review_on": TODAY}, "review_on"),
    ],
)
def test_bad_decisions_are_refused(world, fields, field):
    application = apply(world)
    kwargs = {"decided_on": TODAY, **fields}
    with pytest.raises(ValidationError) as caught:
        grant_services.grant_application_decide(
            actor=world["alpha"]["sw"], application=application, **kwargs
        )
    assert field in caught.value.message_dict
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED


def test_one_waiting_application_per_child_and_scheme(world):
    apply(world)
    with pytest.raises(ValidationError):
        apply(world, received_on=date(2025, 2, 1))


def test_grants_stay_in_their_council(world):
    alpha, bravo = world["alpha"], world["bravo"]
    with pytest.raises(RecordNotFound):
        grant_services.grant_application_create(
            actor=alpha["sw"], child=alpha["child"], scheme=bravo["scheme"], received_on=TODAY
        )
    application = apply(world)
    with pytest.raises(RecordNotFound):
        grant_services.grant_application_decide(
            actor=bravo["sw"],
            application=application,
            decision="declined",
            decided_on=TODAY,
            reason="Not ours.",
        )
    with pytest.raises(PermissionDenied):
        grant_services.grant_application_decide(
            actor=alpha["people"][Role.COMMISSIONER],
            application=application,
            decision="declined",
            decided_on=TODAY,
            reason="No.",
        )
    with pytest.raises(RecordNotFound):
        grant_selectors.access_grant_application_by_id(
            actor=bravo["sw"], application_id=application.pk
        )


def test_the_waiting_list_shows_days_waiting_oldest_first_and_the_backlog_by_month(world):
    alpha = world["alpha"]
    received = [date(2024, 8, 12), date(2025, 4, 1), date(2024, 6, 3), date(2024, 8, 30)]
    for on in received:
        apply(world, child=make_child(alpha["sw"]), received_on=on)
    decided = apply(world, child=make_child(alpha["sw"]), received_on=date(2024, 6, 1))
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=decided,
        decision="approved",
        decided_on=date(2025, 1, 1),
        amount=Decimal("100"),
    )
    apply(world, "bravo", received_on=date(2023, 1, 1))
    waiting = grant_selectors.grant_waiting_page(actor=alpha["sw"], today=TODAY).rows
    assert [a.received_on for a in waiting] == sorted(received)
    assert [a.days_waiting for a in waiting] == [(TODAY - on).days for on in sorted(received)]
    assert waiting[0].days_waiting == 364
    assert grant_selectors.grant_backlog_by_month(actor=alpha["sw"]) == [
        {"month": date(2024, 6, 1), "waiting": 1},
        {"month": date(2024, 8, 1), "waiting": 2},
        {"month": date(2025, 4, 1), "waiting": 1},
    ]
    assert grant_selectors.grant_backlog_by_month(actor=world["bravo"]["sw"]) == [
        {"month": date(2023, 1, 1), "waiting": 1}
    ]
    # Names are on the waiting list, so only those who may read children's records see it.
    assert grant_selectors.grant_waiting_page(actor=alpha["people"][Role.COMMISSIONER]).rows == []
    # Waiting 364, 294, 276 and 62 days: two of them longer than 280.
    counts = grant_selectors.grant_waiting_counts(
        actor=alpha["sw"], longer_than_days=280, today=TODAY
    )
    assert counts == {"waiting": 4, "long_waits": 2}
    counts = grant_selectors.grant_waiting_counts(
        actor=alpha["people"][Role.COMMISSIONER], longer_than_days=280, today=TODAY
    )
    assert counts == {"waiting": 0, "long_waits": 0}
