"""Factories for audit reports, recommendations and their evidence, for tests that need one to
exist rather than to test the service that makes it (those call the services, see
tests/audits/builders.py). Related objects always share one council; no event rows are written."""

from __future__ import annotations

from datetime import date

import factory

from audits.models import (
    AssuranceRating,
    AuditReport,
    EvidenceKind,
    EvidenceLink,
    Priority,
    Recommendation,
    RecommendationStatus,
)
from tests.contracts.factories import ContractFactory
from tests.factories import CouncilFactory, MembershipFactory


class AuditReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditReport

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"Short breaks audit {n}")
    period_start = date(2024, 2, 1)
    period_end = date(2024, 8, 31)
    auditor = "Internal Audit"
    report_date = date(2024, 9, 30)
    rating = AssuranceRating.UNSATISFACTORY
    created_by = factory.LazyAttribute(
        lambda o: MembershipFactory(council=o.council, role="auditor").user
    )


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    council = factory.SubFactory(CouncilFactory)
    report = factory.SubFactory(AuditReportFactory, council=factory.SelfAttribute("..council"))
    reference = factory.Sequence(lambda n: str(n + 1))
    text = "Recommission the short breaks contracts within the rules."
    priority = Priority.FUNDAMENTAL
    management_action = "Weekly project meetings under the JCDG."
    owner_name = "Commissioning Manager Start Well"
    review_date = date(2025, 6, 9)
    status = RecommendationStatus.OPEN
    status_date = date(2024, 9, 30)


class ContractEvidenceFactory(factory.django.DjangoModelFactory):
    """A contract of the recommendation's council linked as its evidence."""

    class Meta:
        model = EvidenceLink

    council = factory.SubFactory(CouncilFactory)
    recommendation = factory.SubFactory(
        RecommendationFactory, council=factory.SelfAttribute("..council")
    )
    kind = EvidenceKind.CONTRACT
    contract = factory.SubFactory(ContractFactory, council=factory.SelfAttribute("..council"))
    note = "The recommissioned contract."
    added_by = factory.LazyAttribute(
        lambda o: MembershipFactory(council=o.council, role="auditor").user
    )
