"""Assessments, the panel, packages, delivery and reviews: every step and its refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from referrals.models import (
    AssessmentOutcome,
    AssessmentStatus,
    ChildTier,
    DeliveryRecord,
    FundingRoute,
    PackageLine,
    PackageStatus,
    PanelDecision,
    Review,
    TierChange,
)
from referrals.services import assessments as assessment_services
from referrals.services import packages as package_services
from referrals.services import reviews as review_services
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.builders import make_awarded_lot, make_contract, make_provider, make_service
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import (
    authorised_assessment,
    completed_assessment,
    line_kwargs,
    make_package,
    screened_referral,
)


@pytest.fixture
def world(world_with_second_manager):
    return world_with_second_manager


# ----------------------------------------------------------------------------------------------
# Assessments


def test_an_assessment_from_an_accepted_referral_to_authorisation(world):
    alpha = world["alpha"]
    sw, tm, child = alpha["sw"], alpha["tm"], alpha["child"]
    referral = screened_referral(sw, child)
    assessment = assessment_services.assessment_start(
        actor=sw, child=child, started_on=date(2025, 1, 13), referral=referral
    )
    assert assessment.sections == dict.fromkeys(
        ("child_needs", "carer_needs", "regulation_3", "outcome"), False
    )
    assessment_services.assessment_update(actor=sw, assessment=assessment, child_needs="Needs 1:1.")
    assessment.refresh_from_db()
    assert assessment.sections["child_needs"] and not assessment.sections["carer_needs"]
    with pytest.raises(ValidationError) as caught:
        assessment_services.assessment_complete(
            actor=sw, assessment=assessment, on=date(2025, 2, 1)
        )
    assert set(caught.value.message_dict) == {"carer_needs", "regulation_3", "outcome"}

    assessment_services.assessment_update(
        actor=sw,
        assessment=assessment,
        carer_needs="Father works nights.",
        carer_could_continue_without_breaks=False,
        breaks_enable_work=True,
        breaks_enable_study=False,
        breaks_enable_other_children=False,
        breaks_enable_household=True,
        outcome=AssessmentOutcome.SPECIALIST,
        recommended_support="Overnight short breaks, 30 nights a year.",
    )
    assessment = assessment_services.assessment_complete(
        actor=sw, assessment=assessment, on=date(2025, 2, 1)
    )
    assert (assessment.status, assessment.completed_by) == (AssessmentStatus.COMPLETED, sw)
    assert child.tier == ChildTier.NONE
    assessment = assessment_services.assessment_authorise(
        actor=tm, assessment=assessment, on=date(2025, 2, 3)
    )
    assert (assessment.status, assessment.authorised_by, assessment.authorised_on) == (
        AssessmentStatus.AUTHORISED,
        tm,
        date(2025, 2, 3),
    )
    child.refresh_from_db()
    assert child.tier == ChildTier.SPECIALIST
    change = TierChange.objects.get(child=child)
    assert (change.from_tier, change.to_tier, change.on, change.decided_by) == (
        "none",
        "specialist",
        date(2025, 2, 3),
        tm,
    )
    assert [e.kind for e in assessment.events.order_by("on", "id")] == [
        "started",
        "completed",
        "authorised",
    ]


def test_nobody_authorises_an_assessment_they_completed(world):
    alpha = world["alpha"]
    tm, child = alpha["tm"], alpha["child"]
    assessment = completed_assessment(tm, child)
    with pytest.raises(TransitionNotAllowed) as caught:
        assessment_services.assessment_authorise(
            actor=tm, assessment=assessment, on=date(2025, 2, 12)
        )
    assert "You completed this assessment" in caught.value.reason
    assessment.refresh_from_db()
    child.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert child.tier == ChildTier.NONE
    assessment_services.assessment_authorise(
        actor=alpha["tm2"], assessment=assessment, on=date(2025, 2, 12)
    )


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.COMMISSIONER, Role.AUDITOR, Role.COUNCIL_ADMIN]
)
def test_only_a_team_manager_authorises(world, role):
    alpha = world["alpha"]
    assessment = completed_assessment(alpha["tm2"], alpha["child"])
    with pytest.raises(PermissionDenied):
        assessment_services.assessment_authorise(
            actor=alpha["people"][role], assessment=assessment, on=date(2025, 2, 12)
        )
    with pytest.raises(RecordNotFound):
        assessment_services.assessment_authorise(
            actor=world["bravo"]["tm"], assessment=assessment, on=date(2025, 2, 12)
        )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED


def test_assessment_steps_from_the_wrong_state_are_refused(world):
    alpha = world["alpha"]
    sw, tm, child = alpha["sw"], alpha["tm"], alpha["child"]
    in_progress = assessment_services.assessment_start(
        actor=sw, child=child, started_on=date(2025, 1, 13)
    )
    with pytest.raises(TransitionNotAllowed):
        assessment_services.assessment_authorise(
            actor=tm, assessment=in_progress, on=date(2025, 2, 1)
        )
    with pytest.raises(TransitionNotAllowed):
        assessment_services.assessment_start(actor=sw, child=child, started_on=date(2025, 1, 14))
    with pytest.raises(TransitionNotAllowed):
        assessment_services.assessment_return(
            actor=tm, assessment=in_progress, on=date(2025, 2, 1), reason="?"
        )
    in_progress.delete()
    authorised = authorised_assessment(sw, tm, child)
    for step in (
        lambda: assessment_services.assessment_update(
            actor=sw, assessment=authorised, child_needs="More."
        ),
        lambda: assessment_services.assessment_complete(
            actor=sw, assessment=authorised, on=date(2025, 3, 1)
        ),
        lambda: assessment_services.assessment_authorise(
            actor=alpha["tm2"], assessment=authorised, on=date(2025, 3, 1)
        ),
    ):
        with pytest.raises(TransitionNotAllowed):
            step()


def test_a_referral_not_accepted_for_assessment_cannot_start_one(world):
    alpha = world["alpha"]
    referral = screened_referral(alpha["sw"], alpha["child"], outcome="no_further_action")
    with pytest.raises(TransitionNotAllowed):
        assessment_services.assessment_start(
            actor=alpha["sw"], child=alpha["child"], started_on=date(2025, 2, 1), referral=referral
        )
    other = screened_referral(alpha["sw"], world["alpha"]["child"])
    bravo_child = world["bravo"]["child"]
    with pytest.raises(RecordNotFound):
        assessment_services.assessment_start(
            actor=alpha["sw"], child=bravo_child, started_on=date(2025, 2, 1), referral=other
        )


def test_a_team_manager_returns_a_completed_assessment_for_more_work(world):
    alpha = world["alpha"]
    assessment = completed_assessment(alpha["sw"], alpha["child"])
    with pytest.raises(ValidationError):
        assessment_services.assessment_return(
            actor=alpha["tm"], assessment=assessment, on=date(2025, 2, 11), reason=" "
        )
    assessment_services.assessment_return(
        actor=alpha["tm"], assessment=assessment, on=date(2025, 2, 11), reason="Ask the father."
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.completed_by) == (AssessmentStatus.IN_PROGRESS, None)
    assessment_services.assessment_complete(
        actor=alpha["sw"], assessment=assessment, on=date(2025, 2, 14)
    )


def test_an_outcome_other_than_specialist_leaves_the_tier_and_allows_no_package(world):
    alpha = world["alpha"]
    assessment = authorised_assessment(
        alpha["sw"], alpha["tm"], alpha["child"], outcome=AssessmentOutcome.TARGETED
    )
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.NONE
    with pytest.raises(TransitionNotAllowed):
        package_services.package_propose(
            actor=alpha["sw"],
            child=alpha["child"],
            assessment=assessment,
            start_on=date(2025, 3, 3),
        )


# ----------------------------------------------------------------------------------------------
# Packages and the panel


def test_a_package_through_panel_to_active_with_costs_computed(world):
    alpha = world["alpha"]
    sw, tm, child, offer = alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"]
    overnight = make_service(
        alpha["people"][Role.COMMISSIONER], offer["provider"], title="Overnight stays"
    )
    package = make_package(
        sw,
        tm,
        child,
        offer,
        status="proposed",
        lines=[
            {"hours_per_week": Decimal("8.5"), "ratio": "2:1", "unit_rate": Decimal("56.00")},
            {
                "service": overnight,
                "funding_route": FundingRoute.SPOT_PURCHASE,
                "nights_per_year": 26,
                "unit_rate": Decimal("350.00"),
            },
        ],
    )
    daytime, nights = package.lines.order_by("id")
    assert (daytime.cost_per_week, daytime.cost_per_year) == (
        Decimal("476.00"),
        Decimal("24752.00"),
    )
    assert (nights.cost_per_week, nights.cost_per_year) == (Decimal("175.00"), Decimal("9100.00"))
    for decision in ("deferred", "declined"):
        package_services.panel_decision_record(
            actor=tm,
            package=package,
            decision=decision,
            reasons="More detail on the overnight need.",
            decided_on=date(2025, 2, 20),
            members=["Head of Service"],
        )
        package.refresh_from_db()
        assert package.status == PackageStatus.PROPOSED
    package_services.panel_decision_record(
        actor=tm,
        package=package,
        decision="approved",
        reasons="Need evidenced.",
        decided_on=date(2025, 2, 27),
        members=["Head of Service", " ", "Finance"],
    )
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED
    assert PanelDecision.objects.filter(package=package).latest("id").members == [
        "Head of Service",
        "Finance",
    ]
    with pytest.raises(TransitionNotAllowed):
        package_services.panel_decision_record(
            actor=tm,
            package=package,
            decision="approved",
            reasons="Again.",
            decided_on=date(2025, 2, 28),
            members=["Head of Service"],
        )
    package = package_services.package_activate(actor=sw, package=package, on=date(2025, 3, 3))
    assert package.status == PackageStatus.ACTIVE
    assert package.next_review_due == date(2025, 9, 3)
    assert [e.kind for e in package.events.order_by("on", "id")][-1] == "started"


def test_costs_are_computed_never_taken_from_input(world):
    alpha = world["alpha"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    line = package.lines.get()
    assert line.cost_per_week == Decimal("142.50")  # 5 hours at £28.50
    with pytest.raises(TypeError):
        package_services.package_line_add(
            actor=alpha["sw"],
            package=package,
            cost_per_week=Decimal("1"),
            **line_kwargs(alpha["offer"]),
        )
    assert not any(f.name.startswith("cost") for f in PackageLine._meta.get_fields())


def test_a_package_line_on_another_councils_contract_lot_is_refused(world):
    alpha, bravo = world["alpha"], world["bravo"]
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    package.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        package_services.package_line_add(
            actor=alpha["sw"],
            package=package,
            **line_kwargs(alpha["offer"], lot=bravo["offer"]["lot"]),
        )
    assert caught.value.message_dict["lot"] == [
        "Choose a lot on one of the council's own contracts."
    ]
    # A joint contract led by bravo is bravo's lot, even with alpha taking part.
    bravo_commissioner = bravo["people"][Role.COMMISSIONER]
    joint = make_contract(
        bravo_commissioner, reference="JOINT", participating_councils=[alpha["council"]]
    )
    joint_lot = make_awarded_lot(bravo_commissioner, joint, bravo["offer"]["provider"])
    with pytest.raises(ValidationError):
        package_services.package_line_add(
            actor=alpha["sw"], package=package, **line_kwargs(alpha["offer"], lot=joint_lot)
        )
    assert not package.lines.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"lot": None}, "lot"),
        ({"funding_route": FundingRoute.DIRECT_PAYMENT, "lot": "own"}, "lot"),
        ({"hours_per_week": None}, "hours_per_week"),
        ({"nights_per_year": 20, "hours_per_week": Decimal("5")}, "hours_per_week"),
        ({"ratio": "5:1"}, "ratio"),
        ({"unit_rate": Decimal("-1")}, "unit_rate"),
        ({"funding_route": "cash"}, "funding_route"),
        ({"end_on": date(2025, 1, 1)}, "end_on"),
        ({"provider": "other"}, "service"),
        ({"service": "bravo"}, "service"),
    ],
)
def test_bad_package_lines_are_refused_with_field_messages(world, fields, field):
    alpha = world["alpha"]
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    if fields.get("lot") == "own":
        fields["lot"] = alpha["offer"]["lot"]
    if fields.get("provider") == "other":
        fields["provider"] = make_provider(alpha["people"][Role.COMMISSIONER], name="Other")
        fields["funding_route"] = FundingRoute.SPOT_PURCHASE
    if fields.get("service") == "bravo":
        fields["service"] = world["bravo"]["offer"]["service"]
    with pytest.raises(ValidationError) as caught:
        package_services.package_line_add(
            actor=alpha["sw"], package=package, **line_kwargs(alpha["offer"], **fields)
        )
    assert field in caught.value.message_dict
    assert not package.lines.exists()


def test_a_commissioned_line_needs_a_provider_awarded_the_lot_of_an_active_contract(world):
    alpha = world["alpha"]
    commissioner = alpha["people"][Role.COMMISSIONER]
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    other = make_provider(commissioner, name="Not awarded")
    other_service = make_service(commissioner, other)
    with pytest.raises(ValidationError) as caught:
        package_services.package_line_add(
            actor=alpha["sw"],
            package=package,
            **line_kwargs(alpha["offer"], provider=other, service=other_service),
        )
    assert caught.value.message_dict["lot"] == ["This provider was not awarded this lot."]
    draft = make_contract(commissioner, reference="DRAFT", active=False)
    draft_lot = make_awarded_lot(commissioner, draft, alpha["offer"]["provider"])
    with pytest.raises(ValidationError) as caught:
        package_services.package_line_add(
            actor=alpha["sw"], package=package, **line_kwargs(alpha["offer"], lot=draft_lot)
        )
    assert caught.value.message_dict["lot"] == ["The contract for this lot is not active."]


def test_package_refusals_by_state(world):
    alpha = world["alpha"]
    sw, tm, child, offer = alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"]
    completed = completed_assessment(sw, child)
    with pytest.raises(TransitionNotAllowed):
        package_services.package_propose(
            actor=sw, child=child, assessment=completed, start_on=date(2025, 3, 3)
        )
    completed = assessment_services.assessment_authorise(
        actor=tm, assessment=completed, on=date(2025, 2, 12)
    )
    empty = package_services.package_propose(
        actor=sw, child=child, assessment=completed, start_on=date(2025, 3, 3)
    )
    with pytest.raises(TransitionNotAllowed):
        package_services.panel_decision_record(
            actor=tm,
            package=empty,
            decision="approved",
            reasons="Fine.",
            decided_on=date(2025, 2, 20),
            members=["Head"],
        )
    with pytest.raises(TransitionNotAllowed):
        package_services.package_activate(actor=sw, package=empty, on=date(2025, 3, 3))
    with pytest.raises(ValidationError) as caught:
        package_services.panel_decision_record(
            actor=tm,
            package=empty,
            decision="maybe",
            reasons="",
            decided_on=date(2025, 2, 20),
            members=[],
        )
    assert set(caught.value.message_dict) == {"decision", "reasons", "members"}
    with pytest.raises(PermissionDenied):
        package_services.panel_decision_record(
            actor=sw,
            package=empty,
            decision="declined",
            reasons="Not mine to decide.",
            decided_on=date(2025, 2, 20),
            members=["Head"],
        )
    active = make_package(sw, tm, child, offer, assessment=completed)
    with pytest.raises(TransitionNotAllowed):
        package_services.package_withdraw(
            actor=sw, package=active, on=date(2025, 4, 1), reason="Ends."
        )
    with pytest.raises(TransitionNotAllowed):
        package_services.package_line_add(actor=sw, package=active, **line_kwargs(offer))
    with pytest.raises(TransitionNotAllowed):
        package_services.package_line_end(
            actor=sw, line=active.lines.get(), end_on=date(2025, 5, 1), reason="Less."
        )
    withdrawn = package_services.package_withdraw(
        actor=sw, package=empty, on=date(2025, 3, 1), reason="Family moved away."
    )
    assert withdrawn.status == PackageStatus.CEASED
    with pytest.raises(TransitionNotAllowed):
        package_services.package_line_add(actor=sw, package=withdrawn, **line_kwargs(offer))


# ----------------------------------------------------------------------------------------------
# Delivery against plan


def test_delivery_records_hours_not_delivered_and_why(world):
    alpha = world["alpha"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    line = package.lines.get()
    record = package_services.delivery_record_add(
        actor=alpha["sw"],
        line=line,
        period_start=date(2025, 7, 1),
        period_end=date(2025, 7, 31),
        hours_delivered=Decimal("12"),
        hours_not_delivered=Decimal("10"),
        reason="provider_withdrew",
    )
    assert record.get_reason_display() == "Provider withdrew"
    for fields, field in (
        ({"hours_not_delivered": Decimal("3")}, "reason"),
        ({"hours_not_delivered": Decimal("3"), "reason": "other"}, "notes"),
        ({"hours_delivered": Decimal("-1")}, "hours_delivered"),
        ({"period_end": date(2025, 6, 1)}, "period_end"),
    ):
        kwargs = {
            "period_start": date(2025, 8, 1),
            "period_end": date(2025, 8, 31),
            "hours_delivered": Decimal("20"),
            **fields,
        }
        with pytest.raises(ValidationError) as caught:
            package_services.delivery_record_add(actor=alpha["sw"], line=line, **kwargs)
        assert field in caught.value.message_dict
    assert DeliveryRecord.objects.count() == 1


def test_delivery_is_not_recorded_before_a_package_starts(world):
    alpha = world["alpha"]
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="approved"
    )
    with pytest.raises(TransitionNotAllowed):
        package_services.delivery_record_add(
            actor=alpha["sw"],
            line=package.lines.get(),
            period_start=date(2025, 3, 1),
            period_end=date(2025, 3, 31),
            hours_delivered=Decimal("20"),
        )


# ----------------------------------------------------------------------------------------------
# Reviews


@pytest.fixture
def active(world):
    alpha = world["alpha"]
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    reassessment = authorised_assessment(
        alpha["sw"],
        alpha["tm"],
        alpha["child"],
        started_on=date(2025, 8, 1),
        completed_on=date(2025, 8, 15),
        authorised_on=date(2025, 8, 18),
        outcome=AssessmentOutcome.TARGETED,
    )
    return {**alpha, "package": package, "reassessment": reassessment}


def lawful(active, **fields) -> dict:
    return {
        "actor": active["sw"],
        "package": active["package"],
        "held_on": date(2025, 9, 1),
        "reasons": "Needs now met at school and by the grant.",
        "family_views": "Mother disagrees; wants the weekend hours kept.",
        "family_told_on": date(2025, 9, 2),
        "reassessment": active["reassessment"],
        **fields,
    }


def test_continue_sets_the_next_review_from_the_day_it_was_held(active):
    review = review_services.review_record(
        actor=active["sw"], package=active["package"], held_on=date(2025, 9, 1), outcome="continue"
    )
    assert review.due_on == date(2025, 9, 3)
    active["package"].refresh_from_db()
    assert active["package"].next_review_due == date(2026, 3, 1)


@pytest.mark.parametrize("outcome", ["reduce", "cease"])
@pytest.mark.parametrize("missing", ["reasons", "family_views", "family_told_on", "reassessment"])
def test_reducing_or_ceasing_without_its_grounds_is_refused(active, outcome, missing):
    blank = {"reasons": "", "family_views": "  ", "family_told_on": None, "reassessment": None}
    with pytest.raises(ValidationError) as caught:
        review_services.review_record(
            **lawful(active, outcome=outcome, **{missing: blank[missing]})
        )
    assert list(caught.value.message_dict) == [missing]
    assert not Review.objects.exists()
    active["package"].refresh_from_db()
    assert active["package"].status == PackageStatus.ACTIVE


def test_the_reassessment_must_be_new_authorised_and_of_this_child(active, world):
    package = active["package"]
    unauthorised = completed_assessment(
        active["sw"], active["child"], started_on=date(2025, 8, 20), completed_on=date(2025, 8, 25)
    )
    for reassessment, message in (
        (package.assessment, "newer"),
        (unauthorised, "authorised"),
    ):
        with pytest.raises(ValidationError) as caught:
            review_services.review_record(
                **lawful(active, outcome="reduce", reassessment=reassessment)
            )
        assert message in caught.value.message_dict["reassessment"][0]
    with pytest.raises(ValidationError):
        review_services.review_record(
            **lawful(active, outcome="reduce", family_told_on=date(2025, 8, 1))
        )
    assert not Review.objects.exists()


def test_a_reduction_then_ends_a_line(active):
    line = active["package"].lines.get()
    review_services.review_record(**lawful(active, outcome="reduce"))
    package_services.package_line_end(
        actor=active["sw"], line=line, end_on=date(2025, 10, 1), reason="Weekend hours end."
    )
    line.refresh_from_db()
    assert line.end_on == date(2025, 10, 1)


def test_an_increase_lets_lines_be_added_to_the_active_package(active):
    review_services.review_record(
        actor=active["sw"], package=active["package"], held_on=date(2025, 9, 1), outcome="increase"
    )
    package_services.package_line_add(
        actor=active["sw"],
        package=active["package"],
        **line_kwargs(active["offer"], start_on=date(2025, 9, 8)),
    )
    assert active["package"].lines.count() == 2


def test_cease_ends_the_package_and_moves_the_child_to_the_reassessed_tier(active):
    child = active["child"]
    child.refresh_from_db()
    assert child.tier == ChildTier.SPECIALIST
    review_services.review_record(**lawful(active, outcome="cease"))
    package = active["package"]
    package.refresh_from_db()
    child.refresh_from_db()
    assert (package.status, package.end_on, package.next_review_due) == (
        PackageStatus.CEASED,
        date(2025, 9, 1),
        None,
    )
    assert list(package.lines.values_list("end_on", flat=True)) == [date(2025, 9, 1)]
    assert child.tier == ChildTier.TARGETED
    change = child.tier_changes.latest("id")
    assert (change.from_tier, change.to_tier, change.on) == (
        "specialist",
        "targeted",
        date(2025, 9, 1),
    )


def test_a_review_of_a_ceased_package_is_refused(active):
    review_services.review_record(**lawful(active, outcome="cease"))
    with pytest.raises(TransitionNotAllowed) as caught:
        review_services.review_record(
            actor=active["sw"],
            package=active["package"],
            held_on=date(2026, 3, 1),
            outcome="continue",
        )
    assert "ceased" in caught.value.reason
    assert Review.objects.count() == 1


def test_a_review_of_a_package_not_yet_started_is_refused(world):
    alpha = world["alpha"]
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="approved"
    )
    with pytest.raises(TransitionNotAllowed):
        review_services.review_record(
            actor=alpha["sw"], package=package, held_on=date(2025, 9, 1), outcome="continue"
        )


def test_ceasing_one_package_leaves_the_tier_while_another_runs(active):
    sw, tm, child, offer = active["sw"], active["tm"], active["child"], active["offer"]
    second_basis = active["package"].assessment
    make_package(sw, tm, child, offer, assessment=second_basis, start_on=date(2025, 4, 1))
    review_services.review_record(**lawful(active, outcome="cease"))
    child.refresh_from_db()
    assert child.tier == ChildTier.SPECIALIST


def test_another_council_cannot_review_and_an_auditor_cannot_either(active, world):
    with pytest.raises(RecordNotFound):
        review_services.review_record(
            **lawful(active, outcome="continue", actor=world["bravo"]["sw"])
        )
    with pytest.raises(PermissionDenied):
        review_services.review_record(
            **lawful(active, outcome="continue", actor=active["people"][Role.AUDITOR])
        )
    assert not Review.objects.exists()


@pytest.mark.usefixtures("frozen_today")
def test_delivery_for_a_period_in_the_future_is_refused(world):
    """Today is FROZEN_TODAY (15 June 2026): a period ending tomorrow, or starting then, is
    refused; one ending today is recorded."""
    alpha = world["alpha"]
    line = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"]).lines.get()
    for start, end, field in (
        (date(2026, 6, 8), date(2026, 6, 16), "period_end"),
        (date(2026, 6, 16), date(2026, 6, 22), "period_start"),
    ):
        with pytest.raises(ValidationError) as caught:
            package_services.delivery_record_add(
                actor=alpha["sw"],
                line=line,
                period_start=start,
                period_end=end,
                hours_delivered=Decimal("5"),
            )
        assert "cannot" in caught.value.message_dict[field][0]
        assert "in the future" in caught.value.message_dict[field][0]
    assert not DeliveryRecord.objects.exists()
    package_services.delivery_record_add(
        actor=alpha["sw"],
        line=line,
        period_start=date(2026, 6, 8),
        period_end=date(2026, 6, 15),
        hours_delivered=Decimal("5"),
    )
    assert DeliveryRecord.objects.count() == 1
