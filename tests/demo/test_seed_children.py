"""The demo children and families: loaded through the services, in proportion to the council
reports, and the same rows when the seed runs again.

Seeding takes a while, so the module reads the seed the folder loads once (tests/demo/conftest.py)
and seeds once more on top of it, to check it is stable, in a savepoint rolled back when the
module's tests are done.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from referrals.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Carer,
    Child,
    ChildTier,
    DeliveryRecord,
    FundingRoute,
    GrantApplication,
    GrantScheme,
    GrantStatus,
    OvernightStay,
    Package,
    PackageEvent,
    PackageLine,
    PackageStatus,
    PanelDecision,
    PanelOutcome,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralStatus,
    Review,
    ReviewOutcome,
    TierChange,
)
from referrals.overnights import MAX_CONSECUTIVE_NIGHTS, longest_run_through, overnight_warnings
from shortbreaks.councils.models import Role
from tests.clock import frozen_today_module  # noqa: F401

# The seed writes children's ages, referrals and grant waits counted back from today, and the
# tests read them against today: the module, its seed included, runs on FROZEN_TODAY.
pytestmark = pytest.mark.usefixtures("frozen_today_module")

COUNTED = (
    Child,
    Carer,
    TierChange,
    Referral,
    ReferralEvent,
    ReferralDocument,
    GrantScheme,
    GrantApplication,
    Assessment,
    AssessmentEvent,
    Package,
    PackageEvent,
    PackageLine,
    PanelDecision,
    DeliveryRecord,
    OvernightStay,
    Review,
)

COUNCILS = ("herefordshire", "warwickshire", "medway", "shropshire", "birmingham")


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(demo_seeded, django_db_blocker):
    """Seed a second time on top of the folder's seed; give the row counts after each run; roll
    the second back."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                first = _counts()
                call_command("seed_demo", stdout=StringIO())
                yield {"first": first, "second": _counts()}
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def children(seeded, db):
    return Child.objects.all()


def test_seeding_twice_gives_the_same_rows(seeded, db):
    assert all(seeded["first"].values()), seeded["first"]
    assert seeded["second"] == seeded["first"]


def test_every_council_has_children_and_ids_it_set(children):
    for slug in COUNCILS:
        ids = list(children.filter(council__slug=slug).values_list("council_child_id", flat=True))
        assert ids, slug
        assert all("-" in child_id for child_id in ids)
    assert children.filter(council__slug="warwickshire").count() >= 40


def test_every_tier_status_decision_and_outcome_appears(children, db):
    assert set(children.values_list("tier", flat=True)) == set(ChildTier.values)
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(GrantApplication.objects.values_list("status", flat=True)) == set(GrantStatus.values)
    assert set(Review.objects.values_list("outcome", flat=True)) == set(ReviewOutcome.values)
    assert set(PanelDecision.objects.values_list("decision", flat=True)) == set(PanelOutcome.values)
    assert set(Package.objects.values_list("status", flat=True)) == set(PackageStatus.values)
    assert set(Assessment.objects.values_list("status", flat=True)) == set(AssessmentStatus.values)
    assert set(PackageLine.objects.values_list("funding_route", flat=True)) == set(
        FundingRoute.values
    )


def test_reductions_and_endings_are_reasoned_heard_and_told(db, seeded):
    for outcome in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE):
        review = Review.objects.get(outcome=outcome)
        assert review.reasons.strip() and review.family_views.strip()
        assert review.family_told_on >= review.held_on
        assert review.reassessment.status == AssessmentStatus.AUTHORISED
        assert review.reassessment_id != review.package.assessment_id
    ceased = Review.objects.get(outcome=ReviewOutcome.CEASE).package
    assert ceased.status == PackageStatus.CEASED
    assert ceased.child.tier == ChildTier.TARGETED
    reduced = Review.objects.get(outcome=ReviewOutcome.REDUCE).package
    assert reduced.lines.filter(end_on__isnull=False).count() == 1


def test_assessments_are_completed_by_a_social_worker_and_authorised_by_a_manager(db, seeded):
    authorised = Assessment.objects.filter(status=AssessmentStatus.AUTHORISED)
    assert authorised.exists()
    for assessment in authorised.select_related("completed_by", "authorised_by", "council"):
        assert assessment.completed_by_id != assessment.authorised_by_id
        assert assessment.completed_by.memberships.filter(
            council=assessment.council, role=Role.SOCIAL_WORKER
        ).exists()
        assert assessment.authorised_by.memberships.filter(
            council=assessment.council, role=Role.TEAM_MANAGER
        ).exists()


def test_herefordshire_packages_follow_the_tier_3_report(children, db):
    herefordshire = children.filter(council__slug="herefordshire")
    assert 25 <= herefordshire.count() <= 30
    assert set(herefordshire.values_list("tier", flat=True)) == {ChildTier.SPECIALIST}
    today = timezone.localdate()
    for child in herefordshire:
        age = relativedelta(today, child.date_of_birth).years
        assert 8 <= age <= 17, (child.council_child_id, age)
    hours = PackageLine.objects.filter(council__slug="herefordshire", hours_per_week__isnull=False)
    one_to_one = hours.filter(ratio="1:1").aggregate(avg=Avg("hours_per_week"))["avg"]
    assert abs(Decimal(one_to_one) - 5) <= Decimal("0.5")
    assert hours.filter(ratio="2:1", hours_per_week=168).count() == 1
    two_to_one = hours.filter(ratio="2:1").exclude(hours_per_week=168)
    assert abs(
        Decimal(two_to_one.aggregate(avg=Avg("hours_per_week"))["avg"]) - Decimal("8.5")
    ) <= (Decimal("0.5"))
    commissioned = hours.filter(funding_route=FundingRoute.COMMISSIONED)
    assert commissioned.count() == hours.count()
    assert not commissioned.filter(lot__isnull=True).exists()


def test_warwickshire_packages_cover_every_funding_route(db, seeded):
    routes = set(
        PackageLine.objects.filter(council__slug="warwickshire").values_list(
            "funding_route", flat=True
        )
    )
    assert routes == set(FundingRoute.values)


def test_medway_has_a_grant_backlog_of_four_to_twelve_months(db, seeded):
    today = timezone.localdate()
    applications = GrantApplication.objects.filter(council__slug="medway")
    waiting = applications.filter(status=GrantStatus.RECEIVED)
    assert waiting.count() >= 5
    assert not waiting.filter(received_on__gt=today - relativedelta(months=4)).exists()
    assert not applications.filter(received_on__lt=today - timedelta(days=366)).exists()
    decided = applications.exclude(status=GrantStatus.RECEIVED)
    assert decided.exists()
    for application in decided:
        assert application.decided_on - application.received_on >= timedelta(days=120)


def test_shropshire_has_six_children_in_overnight_breaks(children, db):
    shropshire = children.filter(council__slug="shropshire")
    with_stays = shropshire.filter(overnight_stays__isnull=False).distinct()
    assert with_stays.count() == 6
    longest = []
    for child in with_stays:
        nights = sorted(child.overnight_stays.values_list("night", flat=True))
        assert overnight_warnings([], nights) == []
        longest.append(longest_run_through(nights, set(nights)))
        assert child.referrals.filter(documents__isnull=False).exists()
    assert max(longest) == MAX_CONSECUTIVE_NIGHTS - 1
    overnight_lines = PackageLine.objects.filter(
        council__slug="shropshire", nights_per_year__isnull=False
    )
    assert overnight_lines.filter(funding_route=FundingRoute.COMMISSIONED).count() == 6


def test_birmingham_splits_children_between_the_trust_and_the_council(children, db):
    birmingham = children.filter(council__slug="birmingham")
    trust = birmingham.filter(council_child_id__startswith="BCT-")
    council = birmingham.filter(council_child_id__startswith="BCC-")
    assert trust.exists() and council.exists()
    assert trust.count() + council.count() == birmingham.count()
    assert set(council.values_list("tier", flat=True)) == {ChildTier.UNIVERSAL, ChildTier.TARGETED}
    assert not council.filter(packages__isnull=False).exists()
    assert trust.filter(packages__status=PackageStatus.ACTIVE).exists()


def test_nobody_seeded_is_a_real_person(children, db):
    numbers = [n for n in children.values_list("nhs_number", flat=True) if n]
    assert numbers and all(n.startswith("999") for n in numbers)
    contacts = Carer.objects.values_list("contact", flat=True)
    # Ofcom's drama numbers, or a parent carer's demo login at a reserved .example domain.
    assert contacts and all(c.startswith("07700 900") or c.endswith(".example") for c in contacts)
