"""Budget and outturn by financial year and package type, and each contract's yearly spend."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import (
    Contract,
    ContractSpend,
    PackageType,
    SpendLine,
)
from contracts.services.participation import require_lead
from shortbreaks.permissions import require_perm


@transaction.atomic
def spend_line_set(
    *,
    actor,
    financial_year: int,
    package_type: str,
    budget: Decimal | None,
    outturn: Decimal | None,
) -> SpendLine:
    require_perm(actor, "contracts.edit_spend")
    errors = {}
    if package_type not in PackageType.values:
        errors["package_type"] = "Choose the package type."
    if not 2000 <= financial_year <= 2100:
        errors["financial_year"] = "Enter the year the financial year starts, like 2024."
    for name, value in (("budget", budget), ("outturn", outturn)):
        if value is not None and value < 0:
            errors[name] = "Enter an amount of zero or more."
    if errors:
        raise ValidationError(errors)
    line, _ = SpendLine.objects.update_or_create(
        council=actor.active_council,
        financial_year=financial_year,
        package_type=package_type,
        defaults={"budget": budget, "outturn": outturn},
    )
    return line


@transaction.atomic
def contract_spend_set(
    *, actor, contract: Contract, financial_year: int, amount: Decimal
) -> ContractSpend:
    require_perm(actor, "contracts.edit_spend")
    require_lead(actor, contract)
    if amount < 0:
        raise ValidationError({"amount": "Enter an amount of zero or more."})
    spend, _ = ContractSpend.objects.update_or_create(
        council=contract.council,
        contract=contract,
        financial_year=financial_year,
        defaults={"amount": amount},
    )
    return spend
