"""Every declared status change of a direct payment agreement, from every status: the service
refuses exactly when `states.may` says the step is not allowed (what the page asks before
offering the button), and the history keeps its sentences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from directpayments import services
from directpayments.models import Agreement, AgreementStatus, ReviewOutcome
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from tests.clock import frozen_today  # noqa: F401
from tests.directpayments.builders import dp_world, make_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

STEPS = {
    "pay": lambda council, agreement: services.payment_record(
        actor=council["finance"], agreement=agreement, paid_on=date(2025, 5, 1), amount=Decimal(10)
    ),
    "review": lambda council, agreement: services.agreement_review_record(
        actor=council["sw"],
        agreement=agreement,
        held_on=date(2025, 7, 1),
        outcome=ReviewOutcome.CONTINUE,
    ),
    "end": lambda council, agreement: services.agreement_review_record(
        actor=council["sw"],
        agreement=agreement,
        held_on=date(2025, 7, 1),
        outcome=ReviewOutcome.END,
        notes="The family asked for commissioned care.",
    ),
}
ACTORS = {"pay": "finance", "review": "sw", "end": "sw"}


def assert_refused_exactly_when_not_allowed(allowed: bool, make_step) -> None:
    try:
        make_step()
    except (TransitionNotAllowed, PermissionDenied):
        assert not allowed, "the service refused a step the page offers"
    else:
        assert allowed, "the service made a step the page does not offer"


@pytest.mark.parametrize("name", STEPS)
@pytest.mark.parametrize("status", AgreementStatus.values)
def test_each_step_from_each_status(two_councils, status, name):
    alpha = dp_world(two_councils)["alpha"]
    agreement = make_agreement(alpha)
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    agreement = Agreement.objects.get(pk=agreement.pk)
    allowed = states.may(agreement, name, alpha[ACTORS[name]])
    assert allowed == (status == AgreementStatus.ACTIVE)
    assert_refused_exactly_when_not_allowed(allowed, lambda: STEPS[name](alpha, agreement))
    if not allowed:
        assert states.refusal(agreement, name).startswith("This direct payment has ended")


@pytest.mark.parametrize("name", STEPS)
def test_the_wrong_role_is_never_offered_the_step(two_councils, name):
    alpha = dp_world(two_councils)["alpha"]
    agreement = make_agreement(alpha)
    other = "sw" if ACTORS[name] == "finance" else "finance"
    assert not states.may(agreement, name, alpha[other])
    with pytest.raises(PermissionDenied):
        STEPS[name]({**alpha, ACTORS[name]: alpha[other]}, agreement)


def test_ending_moves_the_status_and_the_history_reads_as_before(two_councils):
    alpha = dp_world(two_councils)["alpha"]
    agreement = make_agreement(alpha)
    STEPS["pay"](alpha, agreement)
    STEPS["end"](alpha, agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
    assert agreement.ended_on == date(2025, 7, 1)
    summaries = [event.summary for event in agreement.events.all()]
    assert summaries[0].startswith("Set up to pay Alex Jones £")
    assert summaries[1:] == [
        "£10.00 paid.",
        "Reviewed: end the direct payment. The family asked for commissioned care.",
    ]
