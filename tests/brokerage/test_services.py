"""Brokerage services: identifiers out of every free-text field, sending, answers, scoring and
the award's effects, and each refusal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brokerage import selectors
from brokerage.identifiers import Identifiers, strip_identifiers
from brokerage.models import RequestStatus, ResponseOutcome
from brokerage.services.awards import (
    brokerage_request_award,
    brokerage_request_spot_purchase,
    brokerage_weights_set,
)
from brokerage.services.requests import (
    brokerage_request_raise,
    brokerage_request_send,
    brokerage_request_update,
    brokerage_request_withdraw,
)
from contracts.models import ContractKind, ContractStatus
from referrals.models import FundingRoute, PackageEvent
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.brokerage.builders import NHS, answer, brokerage_world, sent_request
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

TODAY = FROZEN_TODAY
DEADLINE = TODAY + timedelta(days=7)


def _build_world(two_councils) -> dict:
    return brokerage_world(two_councils["alpha"]["people"], "A")


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


PLANTED = {
    "first name": ("Isabella likes swimming.", "Isabella"),
    "last name": ("The Featherstonehaugh family asked.", "Featherstonehaugh"),
    "possessive name": ("Isabella's mother works nights.", "Isabella"),
    "carer's name": ("Gwendoline cares alone.", "Gwendoline"),
    "NHS number spaced": (f"NHS {NHS[:3]} {NHS[3:6]} {NHS[6:]}.", NHS[6:]),
    "NHS number run together": (f"NHS {NHS}.", NHS),
    "date of birth slashed": ("Born 01/05/2014.", "2014"),
    "date of birth short": ("Born 1/5/14.", "1/5/14"),
    "date of birth ISO": ("Born 2014-05-01.", "2014-05-01"),
    "date of birth words": ("Born 1st May 2014.", "May 2014"),
    "full postcode": ("Lives in HR4 9AB.", "9AB"),
    "full postcode run together": ("Lives in hr49ab.", "49ab"),
    "address": ("Lives at 12 Orchard Lane near the park.", "Orchard"),
    "case number": ("Case HC-000123 open.", "000123"),
    "school": ("Attends Barrs Court School daily.", "Barrs"),
    "unique pupil number": ("UPN H12345678901A on file.", "12345678901"),
}


@pytest.mark.parametrize("field", ["needs_summary", "outcomes"])
@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_each_identifier_is_stripped_from_each_free_text_field(world, field, planted):
    text, identifier = PLANTED[planted]
    request = brokerage_request_raise(
        actor=world["sw"], line=world["line"], today=TODAY, **{field: text}
    )
    kept = getattr(request, field)
    assert identifier not in kept
    assert "removed]" in kept
    assert any(entry.startswith(f"{field}:") for entry in request.removed)


def test_the_drafted_text_from_the_assessment_holds_no_identifier(world):
    request = brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)
    text = request.needs_summary + request.outcomes
    for value in ("Isabella", NHS[6:], "01/05/2014", "9AB", "Orchard"):
        assert value not in text
    assert "1:1 support to go out safely" in text
    assert request.area == "HR4"
    assert request.age_band == "12-14"
    assert request.status == RequestStatus.DRAFT
    assert request.lot == world["lot"]


def test_an_edit_is_stripped_again_and_a_full_postcode_is_no_area(world):
    request = brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)
    request = brokerage_request_update(
        actor=world["sw"], request=request, needs_summary="Isabella needs a buddy.", today=TODAY
    )
    assert request.needs_summary == "[name removed] needs a buddy."
    with pytest.raises(ValidationError) as error:
        brokerage_request_update(actor=world["sw"], request=request, area="HR4 9AB", today=TODAY)
    assert "area" in error.value.message_dict


def test_strip_identifiers_leaves_other_words_alone():
    who = Identifiers(names=["Ann"], date_of_birth=date(2014, 5, 1))
    text, removed = strip_identifiers("Annual swim with Ann on 01/05/2025.", who)
    assert text == "Annual swim with [name removed] on 01/05/2025."
    assert removed == ["name"]


def test_sending_goes_to_the_lot_members_by_default(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    sent_to = set(request.invitations.values_list("provider_id", flat=True))
    assert sent_to == {p.pk for p in world["providers"]}
    assert request.status == RequestStatus.SENT
    assert request.deadline == DEADLINE
    assert PackageEvent.objects.filter(package=world["package"], kind="brokerage").count() == 2


def test_sending_again_needs_a_new_deadline_and_can_widen(world):
    request = brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)
    request = brokerage_request_send(
        actor=world["sw"],
        request=request,
        deadline=DEADLINE,
        providers=world["providers"][:1],
        today=TODAY,
    )
    later = DEADLINE + timedelta(days=1)
    with pytest.raises(ValidationError):
        brokerage_request_send(actor=world["sw"], request=request, deadline=DEADLINE, today=later)
    request = brokerage_request_send(
        actor=world["sw"],
        request=request,
        deadline=later + timedelta(days=7),
        providers=[world["outsider"]],
        today=later,
    )
    assert request.invitations.count() == 2
    assert request.deadline == later + timedelta(days=7)


def test_sending_to_a_provider_not_approved_on_the_dps_is_refused(world, two_councils):
    from tests.builders import make_provider

    stranger = make_provider(world["commissioner"], name="Not a member")
    request = brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)
    with pytest.raises(ValidationError) as error:
        brokerage_request_send(
            actor=world["sw"], request=request, deadline=DEADLINE, providers=[stranger], today=TODAY
        )
    assert "providers" in error.value.message_dict


def test_answers_are_ranked_by_price_and_quality(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    good, outstanding, unrated = world["providers"]
    answer(world, request, good, "25.00", today=TODAY)  # price 100, quality 75 -> 90
    answer(world, request, outstanding, "30.00", today=TODAY)  # price 83.3, quality 100 -> 90.0
    answer(world, request, unrated, "20.00", today=TODAY)  # price 100, quality 50 -> 80
    ranked = selectors.ranked_responses(request=request)
    # unrated is the cheapest (20): good 80 -> 0.6*80+0.4*75=78; outstanding 66.7 -> 80; unrated 80
    assert [r.response.provider for r in ranked] == [unrated, outstanding, good]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert ranked[0].total == Decimal("80.0")
    assert ranked[2].total == Decimal("78.0")


def test_weights_change_the_order(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    good, outstanding, unrated = world["providers"]
    answer(world, request, outstanding, "30.00", today=TODAY)
    answer(world, request, unrated, "20.00", today=TODAY)
    brokerage_weights_set(
        actor=world["commissioner"], dps=world["dps"], price_weight=20, quality_weight=80
    )
    ranked = selectors.ranked_responses(request=request)
    assert ranked[0].response.provider == outstanding
    with pytest.raises(ValidationError):
        brokerage_weights_set(
            actor=world["commissioner"], dps=world["dps"], price_weight=50, quality_weight=60
        )


def test_cannot_meet_answers_come_last_unranked(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    first, second, _ = world["providers"]
    answer(world, request, first, None, today=TODAY, can_meet=False)
    answer(world, request, second, "31.00", today=TODAY)
    ranked = selectors.ranked_responses(request=request)
    assert [(r.response.provider, r.rank) for r in ranked] == [(second, 1), (first, None)]


def test_the_award_makes_a_call_off_and_sets_the_line(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    first, second, third = world["providers"]
    chosen = answer(world, request, second, "26.40", today=TODAY)
    other = answer(world, request, first, "25.00", today=TODAY)
    refused = answer(world, request, third, None, today=TODAY, can_meet=False)
    request = brokerage_request_award(
        actor=world["commissioner"], request=request, response=chosen, today=TODAY
    )
    contract = request.contract
    assert contract.kind == ContractKind.DPS_CALL_OFF
    assert contract.status == ContractStatus.ACTIVE
    assert contract.dps == world["dps"]
    assert contract.call_off_lot == world["lot"]
    assert contract.start_date == date(2026, 7, 6)
    call_off_lot = contract.lots.get()
    assert call_off_lot.awards.get().provider == second
    line = world["line"]
    line.refresh_from_db()
    assert line.provider == second
    assert line.service == world["services"][1]
    assert line.unit_rate == Decimal("26.40")
    assert line.lot == call_off_lot
    assert line.lot.contract == contract
    assert line.funding_route == FundingRoute.COMMISSIONED
    assert request.status == RequestStatus.AWARDED
    for response, outcome in (
        (chosen, ResponseOutcome.AWARDED),
        (other, ResponseOutcome.NOT_CHOSEN),
        (refused, ResponseOutcome.NOT_CHOSEN),
    ):
        response.refresh_from_db()
        assert response.outcome == outcome
        assert response.outcome_on == TODAY
        assert response.outcome_notified_at is None
    note = PackageEvent.objects.get(
        package=world["package"], kind="brokerage", params__step="awarded"
    )
    assert note.params["contract"] == contract.reference
    assert note.summary == (
        f"Brokerage request {request.pk}: awarded to {chosen.provider} at £26.40 an hour under "
        f"call-off contract {contract.reference}."
    )


def test_award_twice_is_refused(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    chosen = answer(world, request, world["providers"][0], "26.00", today=TODAY)
    brokerage_request_award(
        actor=world["commissioner"], request=request, response=chosen, today=TODAY
    )
    with pytest.raises(TransitionNotAllowed, match="already awarded"):
        brokerage_request_award(
            actor=world["commissioner"], request=request, response=chosen, today=TODAY
        )


def test_an_answer_after_the_deadline_is_refused(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    with pytest.raises(ValidationError) as error:
        answer(world, request, world["providers"][0], "26.00", today=DEADLINE + timedelta(days=1))
    assert "deadline" in error.value.message_dict
    answer(world, request, world["providers"][0], "26.00", today=DEADLINE)


@pytest.mark.parametrize("price", ["0", "-5", "abc", "10000", "12.345", "NaN"])
def test_a_bad_price_is_refused(world, price):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    with pytest.raises(ValidationError) as error:
        answer(world, request, world["providers"][0], price, today=TODAY)
    assert "price_per_unit" in error.value.message_dict


def test_an_answer_twice_is_refused(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    answer(world, request, world["providers"][0], "26.00", today=TODAY)
    with pytest.raises(TransitionNotAllowed):
        answer(world, request, world["providers"][0], "27.00", today=TODAY)


def test_spot_purchase_needs_a_reason_and_closes_the_answers(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    response = answer(world, request, world["providers"][0], None, today=TODAY, can_meet=False)
    with pytest.raises(ValidationError) as error:
        brokerage_request_spot_purchase(
            actor=world["commissioner"],
            request=request,
            provider=world["outsider"],
            unit_rate="30",
            reason=" ",
            today=TODAY,
        )
    assert "reason" in error.value.message_dict
    request = brokerage_request_spot_purchase(
        actor=world["commissioner"],
        request=request,
        provider=world["outsider"],
        unit_rate="30",
        reason="No DPS member can start in time.",
        today=DEADLINE + timedelta(days=1),
    )
    assert request.status == RequestStatus.SPOT_PURCHASED
    world["line"].refresh_from_db()
    assert world["line"].provider == world["outsider"]
    assert world["line"].funding_route == FundingRoute.SPOT_PURCHASE
    response.refresh_from_db()
    assert response.outcome == ResponseOutcome.CLOSED


def test_withdraw(world):
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    request = brokerage_request_withdraw(
        actor=world["sw"], request=request, reason="The family moved away.", today=TODAY
    )
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(TransitionNotAllowed):
        brokerage_request_withdraw(actor=world["sw"], request=request, reason="Again", today=TODAY)


def test_roles(world, two_councils):
    people = two_councils["alpha"]["people"]
    with pytest.raises(PermissionDenied):
        brokerage_request_raise(actor=people[Role.COMMISSIONER], line=world["line"], today=TODAY)
    request = sent_request(world, today=TODAY, deadline=DEADLINE)
    chosen = answer(world, request, world["providers"][0], "26.00", today=TODAY)
    with pytest.raises(PermissionDenied):
        brokerage_request_award(actor=world["sw"], request=request, response=chosen, today=TODAY)


def test_a_line_of_a_package_not_approved_is_refused(world, two_councils):
    from referrals.models import Package, PackageStatus

    Package.objects.filter(pk=world["package"].pk).update(status=PackageStatus.PROPOSED)
    with pytest.raises(TransitionNotAllowed):
        brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)


def test_one_open_request_per_line(world):
    brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)
    with pytest.raises(TransitionNotAllowed):
        brokerage_request_raise(actor=world["sw"], line=world["line"], today=TODAY)
