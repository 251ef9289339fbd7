"""Spend each month against the budget profile, over the last 24 months: what the spend page
charts and the API publishes.

Spend comes from each source that records it by month (`shortbreaks.spend_sources`: package
lines' cost, direct payments), a query each; a month's amount for 1 to 4 children is withheld
(None), as in support in numbers. The budget profile is each financial year's budget, all package
types, spread evenly over its twelve months; a month of a year with no budget set has none.
The spend page reads the amounts from the support summary, worked out every hour
(`monthly_spend_summarised`); the API works them out as it is asked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from contracts.models import SpendLine
from shortbreaks import charts
from shortbreaks.councils.selectors import scoped
from shortbreaks.spend_sources import published_spend_by_month, summarised_spend_by_month

MONTHS = 24


def financial_year_of(month: date) -> int:
    """The financial year (April to March) a month falls in, named by the year it starts."""
    return month.year if month.month >= 4 else month.year - 1


def budget_profile(budgets: dict[int, Decimal | None], months: list[date]) -> list:
    """A twelfth of each month's financial year budget; None where no budget is set."""
    profile = []
    for month in months:
        budget = budgets.get(financial_year_of(month))
        profile.append(None if budget is None else (budget / 12).quantize(Decimal("0.01")))
    return profile


def budgets_by_year(*, actor) -> dict[int, Decimal | None]:
    """Each financial year's budget, all package types (one query); None when none is set."""
    rows = (
        scoped(SpendLine.objects.all(), actor=actor)
        .order_by()
        .values("financial_year")
        .annotate(budget=Sum("budget"))
        .values_list("financial_year", "budget")
    )
    return dict(rows)


def monthly_spend(
    *, actor, today: date | None = None, budgets: dict[int, Decimal | None] | None = None
) -> dict:
    """The last 24 months (first days, oldest first), each source's published amounts in them,
    and the budget profile. `budgets` by financial year, when the caller has them already; else
    one query more."""
    months = charts.last_months(today or timezone.localdate(), MONTHS)
    if budgets is None:
        budgets = budgets_by_year(actor=actor)
    council = actor.active_council if actor.is_authenticated else None
    sources = published_spend_by_month(council=council, months=months) if council else []
    return {"months": months, "sources": sources, "profile": budget_profile(budgets, months)}


def monthly_spend_summarised(*, actor, budgets: dict[int, Decimal | None]) -> dict:
    """`monthly_spend` read from the council's support summary (`shortbreaks.spend_sources`'
    registered summary: two queries, whatever the council holds), with `as_at`, when it was
    worked out. Worked out live, with `as_at` None, when no summary is registered."""
    kept = summarised_spend_by_month(actor=actor) if actor.is_authenticated else None
    if kept is None:
        return {**monthly_spend(actor=actor, budgets=budgets), "as_at": None}
    return {**kept, "profile": budget_profile(budgets, kept["months"])}
