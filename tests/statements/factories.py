"""Factories for statement versions and carers' feedback, for tests that need one to exist
rather than to test the service that makes it (those call the services, see
tests/statements/statement_builders.py). Related objects always share one council; no event rows
or snapshots are written."""

from __future__ import annotations

import factory

from statements.models import CarerFeedback, StatementStatus, StatementVersion
from tests.factories import CouncilFactory, MembershipFactory
from tests.statements.statement_builders import COMPLETE_TEXT


class StatementVersionFactory(factory.django.DjangoModelFactory):
    """A complete draft by a commissioner of the council."""

    class Meta:
        model = StatementVersion

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = StatementStatus.DRAFT
    author = factory.LazyAttribute(
        lambda o: MembershipFactory(council=o.council, role="commissioner").user
    )
    introduction = COMPLETE_TEXT["introduction"]
    universal_eligibility = COMPLETE_TEXT["universal_eligibility"]
    targeted_eligibility = COMPLETE_TEXT["targeted_eligibility"]
    specialist_eligibility = COMPLETE_TEXT["specialist_eligibility"]
    meeting_needs = COMPLETE_TEXT["meeting_needs"]
    how_to_apply = COMPLETE_TEXT["how_to_apply"]
    views_and_complaints = COMPLETE_TEXT["views_and_complaints"]
    views_summary = COMPLETE_TEXT["views_summary"]
    lead_officer_name = COMPLETE_TEXT["lead_officer_name"]
    lead_officer_contact = COMPLETE_TEXT["lead_officer_contact"]


class CarerFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerFeedback

    council = factory.SubFactory(CouncilFactory)
    version = factory.SubFactory(
        StatementVersionFactory, council=factory.SelfAttribute("..council")
    )
    name = "Robin Parent"
    relationship = "parent"
    views = "More holiday clubs, please."
