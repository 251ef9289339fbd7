"""Factories for children's records, for tests that need a record to exist rather than to test
the service that makes it (those call the services, see tests/referrals/builders.py). Related
objects always share one council; no event or history rows are written, and a child's tier is
only what the factory is given."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from providers.models import Service
from referrals.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    Carer,
    Child,
    FundingRoute,
    Package,
    PackageLine,
    PackageStatus,
    PrimaryNeed,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from tests.contracts.factories import ProviderFactory
from tests.factories import CouncilFactory, fake


class ChildFactory(factory.django.DjangoModelFactory):
    """A child of the council at no tier, with no keyworker unless one is given."""

    class Meta:
        model = Child

    council = factory.SubFactory(CouncilFactory)
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    date_of_birth = date(2014, 5, 1)
    council_child_id = factory.Sequence(lambda n: f"F-{n:05d}")


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer

    council = factory.SubFactory(CouncilFactory)
    child = factory.SubFactory(ChildFactory, council=factory.SelfAttribute("..council"))
    name = factory.LazyFunction(fake.name)
    relationship = "mother"


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral received from a school, not yet screened."""

    class Meta:
        model = Referral

    council = factory.SubFactory(CouncilFactory)
    child = factory.SubFactory(ChildFactory, council=factory.SelfAttribute("..council"))
    received_on = date(2025, 1, 6)
    source = ReferralSource.SCHOOLS
    primary_need = PrimaryNeed.N2
    request = "Short breaks so the family can rest."
    referrer = "Head teacher, Meole Brace School"
    status = ReferralStatus.RECEIVED
    status_date = factory.SelfAttribute("received_on")


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment in progress, its sections empty; `completed=True` fills and completes it,
    `authorised=True` authorises it too (give `authorised_by`)."""

    class Meta:
        model = Assessment

    council = factory.SubFactory(CouncilFactory)
    child = factory.SubFactory(ChildFactory, council=factory.SelfAttribute("..council"))
    started_on = date(2025, 1, 13)

    class Params:
        completed = factory.Trait(
            status=AssessmentStatus.COMPLETED,
            child_needs="Needs 1:1 support to go out safely.",
            carer_needs="Mother cares alone, day and night.",
            carer_could_continue_without_breaks=False,
            breaks_enable_work=True,
            breaks_enable_study=False,
            breaks_enable_other_children=True,
            breaks_enable_household=True,
            outcome=AssessmentOutcome.SPECIALIST,
            recommended_support="Community buddying, 5 hours a week.",
            completed_on=date(2025, 2, 10),
        )
        authorised = factory.Trait(
            completed=True,
            status=AssessmentStatus.AUTHORISED,
            authorised_on=date(2025, 2, 12),
        )


class ServiceFactory(factory.django.DjangoModelFactory):
    """A provider's community service, for package lines."""

    class Meta:
        model = Service

    council = factory.SubFactory(CouncilFactory)
    provider = factory.SubFactory(ProviderFactory, council=factory.SelfAttribute("..council"))
    title = factory.Sequence(lambda n: f"Community buddying {n}")
    tier = "specialist"
    categories = factory.LazyFunction(lambda: ["daytime_care"])
    setting = "community"
    ratios = factory.LazyFunction(lambda: ["1:1"])


class PackageFactory(factory.django.DjangoModelFactory):
    """A proposed package for the child, on a completed assessment of the same child."""

    class Meta:
        model = Package

    council = factory.SubFactory(CouncilFactory)
    child = factory.SubFactory(ChildFactory, council=factory.SelfAttribute("..council"))
    assessment = factory.SubFactory(
        AssessmentFactory,
        council=factory.SelfAttribute("..council"),
        child=factory.SelfAttribute("..child"),
        completed=True,
    )
    status = PackageStatus.PROPOSED
    start_on = date(2025, 3, 3)


class PackageLineFactory(factory.django.DjangoModelFactory):
    """Five spot-purchased hours a week at £28.50 an hour, 1:1."""

    class Meta:
        model = PackageLine

    council = factory.SubFactory(CouncilFactory)
    package = factory.SubFactory(PackageFactory, council=factory.SelfAttribute("..council"))
    service = factory.SubFactory(ServiceFactory, council=factory.SelfAttribute("..council"))
    provider = factory.SelfAttribute("service.provider")
    funding_route = FundingRoute.SPOT_PURCHASE
    ratio = "1:1"
    hours_per_week = Decimal("5")
    unit_rate = Decimal("28.50")
    start_on = factory.SelfAttribute("package.start_on")
