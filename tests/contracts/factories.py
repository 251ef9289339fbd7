"""Factories for the register's records, for tests that need one to exist rather than to test
the service that makes it (those call the services, see tests/builders.py). Related objects
always share one council; no event rows are written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from contracts.models import (
    DPS,
    Award,
    Contract,
    ContractKind,
    ContractStatus,
    DPSMembership,
    Extension,
    ExtensionStatus,
    Lot,
    MembershipStatus,
)
from providers.models import Provider
from tests.factories import CouncilFactory, MembershipFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Care Provider {n}")


class ContractFactory(factory.django.DjangoModelFactory):
    """A running block contract of the council's, 2024-2027, extendable to 2029."""

    class Meta:
        model = Contract

    council = factory.SubFactory(CouncilFactory)
    reference = factory.Sequence(lambda n: f"F-{n:04d}")
    title = "Overnight short breaks"
    kind = ContractKind.BLOCK
    status = ContractStatus.ACTIVE
    start_date = date(2024, 4, 1)
    end_date = date(2027, 3, 31)
    max_extent_date = date(2029, 3, 31)
    annual_value = Decimal("250000.00")
    total_value = Decimal("750000.00")


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    council = factory.SubFactory(CouncilFactory)
    contract = factory.SubFactory(ContractFactory, council=factory.SelfAttribute("..council"))
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Lot {o.number}")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    council = factory.SubFactory(CouncilFactory)
    lot = factory.SubFactory(LotFactory, council=factory.SelfAttribute("..council"))
    provider = factory.SubFactory(ProviderFactory, council=factory.SelfAttribute("..council"))
    capacity = "4 overnight beds"
    rates = "£210 a night"


class DPSFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DPS

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"Short breaks DPS {n}")
    start_date = date(2017, 4, 1)


class DPSMembershipFactory(factory.django.DjangoModelFactory):
    """A provider's application to the DPS, its pre-approval checks not done."""

    class Meta:
        model = DPSMembership

    council = factory.SubFactory(CouncilFactory)
    dps = factory.SubFactory(DPSFactory, council=factory.SelfAttribute("..council"))
    provider = factory.SubFactory(ProviderFactory, council=factory.SelfAttribute("..council"))
    status = MembershipStatus.APPLIED
    status_date = date(2025, 1, 1)

    class Params:
        checked = factory.Trait(
            check_registration=True,
            check_insurance=True,
            check_safeguarding_policy=True,
            check_dbs=True,
            check_financial_standing=True,
        )


class ExtensionFactory(factory.django.DjangoModelFactory):
    """A draft extension of a year to the contract's end."""

    class Meta:
        model = Extension

    council = factory.SubFactory(CouncilFactory)
    contract = factory.SubFactory(ContractFactory, council=factory.SelfAttribute("..council"))
    status = ExtensionStatus.DRAFT
    new_end_date = factory.LazyAttribute(
        lambda o: o.contract.end_date.replace(year=o.contract.end_date.year + 1)
    )
    added_value = Decimal("1000.00")
    rationale = "Time to recommission."
    requested_by = factory.LazyAttribute(
        lambda o: MembershipFactory(council=o.council, role="commissioner").user
    )
    legal_basis = "pcr_modification"
