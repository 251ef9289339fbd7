"""Children and referrals: recording, validation, every referral step and its refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from referrals.models import (
    Child,
    ChildTier,
    Referral,
    ReferralEvent,
    ReferralStatus,
    TierChange,
)
from referrals.services import carers as carer_services
from referrals.services import children as child_services
from referrals.services import referrals as referral_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.referrals.builders import TODAY, make_child, make_referral, nhs_number


def test_a_child_is_recorded_in_the_actors_council_at_no_tier(world):
    alpha = world["alpha"]
    child = make_child(
        alpha["sw"],
        nhs_number="943 476 5919",
        postcode="sy11aa",
        upn="a12345678901b",
        disabilities=["AUT", "COMM", "AUT"],
    )
    child.refresh_from_db()
    assert child.council == alpha["council"]
    assert child.tier == ChildTier.NONE
    assert child.nhs_number == "9434765919"
    assert child.postcode == "SY1 1AA"
    assert child.upn == "A12345678901B"
    assert child.disabilities == ["AUT", "COMM"]
    assert child.council_child_id == f"CH{child.pk:07d}"
    assert child.get_disabilities_display() == "Autism or Asperger syndrome, Communication"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number"),
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"upn": "12345"}, "upn"),
        ({"disabilities": ["AUT", "FLY"]}, "disabilities"),
        ({"disabilities": "AUT"}, "disabilities"),
        ({"first_name": "  "}, "first_name"),
        ({"date_of_birth": date(2030, 1, 1)}, "date_of_birth"),
    ],
)
def test_bad_details_are_refused_with_field_messages(world, fields, field):
    with pytest.raises(ValidationError) as caught:
        make_child(world["alpha"]["sw"], **fields)
    assert field in caught.value.message_dict
    assert (
        not Child.objects.filter(council=world["alpha"]["council"])
        .exclude(pk=world["alpha"]["child"].pk)
        .exists()
    )


def test_the_same_nhs_number_twice_in_a_council_is_refused_but_not_across_councils(world):
    number = nhs_number("401023213")
    make_child(world["alpha"]["sw"], nhs_number=number)
    with pytest.raises(ValidationError) as caught:
        make_child(world["alpha"]["sw"], nhs_number=number)
    assert "nhs_number" in caught.value.message_dict
    make_child(world["bravo"]["sw"], nhs_number=number)


def test_the_keyworker_must_be_one_of_the_councils_social_workers(world):
    alpha, bravo = world["alpha"], world["bravo"]
    for keyworker in (bravo["sw"], alpha["people"][Role.COMMISSIONER]):
        with pytest.raises(ValidationError) as caught:
            make_child(alpha["sw"], keyworker=keyworker)
        assert "keyworker" in caught.value.message_dict
    assert make_child(alpha["sw"], keyworker=alpha["tm"]).keyworker == alpha["tm"]


def test_the_tier_is_never_a_detail_to_edit(world):
    alpha = world["alpha"]
    with pytest.raises(TypeError):
        child_services.child_update(actor=alpha["sw"], child=alpha["child"], tier="specialist")
    with pytest.raises(TypeError):
        child_services.child_create(
            actor=alpha["sw"],
            first_name="A",
            last_name="B",
            date_of_birth=date(2015, 1, 1),
            tier="specialist",
        )
    child = child_services.child_update(actor=alpha["sw"], child=alpha["child"], school="Belvidere")
    assert child.school == "Belvidere"
    assert child.tier == ChildTier.NONE


@pytest.mark.parametrize(
    "role", [Role.COMMISSIONER, Role.CONTRACT_MANAGER, Role.AUDITOR, Role.FINANCE_OFFICER]
)
def test_only_social_workers_and_team_managers_record_children(world, role):
    alpha = world["alpha"]
    actor = alpha["people"][role]
    with pytest.raises(PermissionDenied):
        child_services.child_create(
            actor=actor, first_name="A", last_name="B", date_of_birth=date(2015, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        child_services.child_update(actor=actor, child=alpha["child"], school="X")
    with pytest.raises(PermissionDenied):
        make_referral(actor, alpha["child"])


def test_another_councils_child_is_not_found_by_any_service(world):
    alpha, bravo = world["alpha"], world["bravo"]
    child = alpha["child"]
    with pytest.raises(RecordNotFound):
        child_services.child_update(actor=bravo["sw"], child=child, school="X")
    with pytest.raises(RecordNotFound):
        carer_services.carer_add(actor=bravo["sw"], child=child, name="X", relationship="Mother")
    with pytest.raises(RecordNotFound):
        make_referral(bravo["sw"], child)
    with pytest.raises(RecordNotFound):
        child_services.child_tier_change(
            actor=bravo["tm"], child=child, to_tier="targeted", on=TODAY, reason="No."
        )
    child.refresh_from_db()
    assert child.school == "" and child.tier == ChildTier.NONE


def test_carers_are_held_on_the_childs_record(world):
    alpha = world["alpha"]
    carer = carer_services.carer_add(
        actor=alpha["sw"],
        child=alpha["child"],
        name="Jo Jones",
        relationship="Mother",
        contact="07700 900123",
        own_needs="Back injury; cannot lift.",
    )
    assert carer.council == alpha["council"]
    assert list(alpha["child"].carers.all()) == [carer]
    carer_services.carer_update(actor=alpha["sw"], carer=carer, own_needs="Recovering.")
    carer.refresh_from_db()
    assert carer.own_needs == "Recovering."
    with pytest.raises(ValidationError):
        carer_services.carer_add(actor=alpha["sw"], child=alpha["child"], name="", relationship="")


# ----------------------------------------------------------------------------------------------
# Referrals


@pytest.mark.parametrize("outcome", sorted(referral_services.REFERRAL_OUTCOMES))
def test_each_referral_outcome_through_screening_writes_dated_events(world, outcome):
    alpha = world["alpha"]
    sw = alpha["sw"]
    referral = make_referral(sw, alpha["child"], received_on=date(2025, 1, 6))
    assert referral.status == ReferralStatus.RECEIVED
    referral_services.referral_transition(
        actor=sw, referral=referral, status="screening", on=date(2025, 1, 6)
    )
    referral = referral_services.referral_transition(
        actor=sw, referral=referral, status=outcome, on=date(2025, 1, 7), reason="Decided."
    )
    assert (referral.status, referral.status_date) == (outcome, date(2025, 1, 7))
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("on", "id"))
    assert [(e.from_status, e.to_status, e.on) for e in events] == [
        ("", "received", date(2025, 1, 6)),
        ("received", "screening", date(2025, 1, 6)),
        ("screening", outcome, date(2025, 1, 7)),
    ]
    assert all(e.actor == sw for e in events)


def test_signposting_to_universal_places_a_child_at_no_tier_in_the_universal_tier(world):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    referral_services.referral_transition(
        actor=alpha["sw"], referral=referral, status="screening", on=referral.received_on
    )
    referral_services.referral_transition(
        actor=alpha["sw"],
        referral=referral,
        status="signposted_universal",
        on=referral.received_on,
        reason="Youth club and leisure.",
    )
    change = TierChange.objects.get(child=alpha["child"])
    assert (change.from_tier, change.to_tier, change.decided_by) == (
        "none",
        "universal",
        alpha["sw"],
    )


@pytest.mark.parametrize(
    ("path", "step"),
    [
        ([], "accepted_for_assessment"),
        ([], "no_further_action"),
        ([], "received"),
        (["screening"], "screening"),
        (["screening"], "received"),
        (["screening", "no_further_action"], "accepted_for_assessment"),
        (["screening", "accepted_for_assessment"], "screening"),
        (["screening", "referred_targeted"], "signposted_universal"),
    ],
)
def test_a_referral_step_from_the_wrong_status_is_refused(world, path, step):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    for status in path:
        referral_services.referral_transition(
            actor=alpha["sw"], referral=referral, status=status, on=TODAY, reason="Decided."
        )
    before = ReferralEvent.objects.count()
    with pytest.raises(TransitionNotAllowed):
        referral_services.referral_transition(
            actor=alpha["sw"], referral=referral, status=step, on=TODAY, reason="Again."
        )
    assert ReferralEvent.objects.count() == before
    referral.refresh_from_db()
    assert referral.status == (path[-1] if path else "received")


def test_an_outcome_needs_its_reason_and_a_sensible_date(world):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"], received_on=date(2025, 1, 6))
    referral_services.referral_transition(
        actor=alpha["sw"], referral=referral, status="screening", on=date(2025, 1, 6)
    )
    with pytest.raises(ValidationError) as caught:
        referral_services.referral_transition(
            actor=alpha["sw"], referral=referral, status="no_further_action", on=date(2025, 1, 7)
        )
    assert caught.value.message_dict == {"reason": ["Enter the reason."]}
    with pytest.raises(ValidationError) as caught:
        referral_services.referral_transition(
            actor=alpha["sw"],
            referral=referral,
            status="no_further_action",
            on=date(2025, 1, 1),
            reason="Not eligible.",
        )
    assert "on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        referral_services.referral_transition(
            actor=alpha["sw"], referral=referral, status="lost", on=date(2025, 1, 7), reason="?"
        )
    referral.refresh_from_db()
    assert referral.status == "screening"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"source": "ZZ"}, "source"),
        ({"primary_need": "N10"}, "primary_need"),
        ({"request": " "}, "request"),
        ({"received_on": date(2026, 1, 1)}, "received_on"),
    ],
)
def test_bad_referrals_are_refused(world, fields, field):
    with pytest.raises(ValidationError) as caught:
        make_referral(world["alpha"]["sw"], world["alpha"]["child"], **fields)
    assert field in caught.value.message_dict
    assert not Referral.objects.exists()


def test_another_council_cannot_move_a_referral(world):
    alpha, bravo = world["alpha"], world["bravo"]
    referral = make_referral(alpha["sw"], alpha["child"])
    with pytest.raises(RecordNotFound):
        referral_services.referral_transition(
            actor=bravo["sw"], referral=referral, status="screening", on=TODAY
        )
    with pytest.raises(PermissionDenied):
        referral_services.referral_transition(
            actor=alpha["people"][Role.AUDITOR], referral=referral, status="screening", on=TODAY
        )
    referral.refresh_from_db()
    assert referral.status == "received"
