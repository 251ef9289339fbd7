"""Spend against budget: the council's budget and outturn by financial year and package type,
as a chart with the table beside it, and the finance officers' forms that set them.

The chart is drawn here as an inline SVG, so it needs no JavaScript; the table beside it carries
the same figures for anyone who cannot see the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from contracts.forms.spend import ContractSpendForm, SpendLineForm
from contracts.models import PackageType, SpendLine
from contracts.selectors import monitoring as monitoring_selectors
from contracts.selectors import register as register_selectors
from contracts.services import spend as services
from contracts.spend_trends import monthly_spend_summarised
from shortbreaks import charts
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error, financial_year_label
from shortbreaks.permissions import permission_required
from shortbreaks.small_numbers import FEWER_THAN
from shortbreaks.spend_sources import recorded_spend


@dataclass
class YearSpend:
    """One financial year: its lines by package type and their totals."""

    year: int
    lines: list[SpendLine] = field(default_factory=list)
    budget: Decimal | None = None
    outturn: Decimal | None = None

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def difference(self) -> Decimal | None:
        """Outturn less budget: above zero is an overspend."""
        if self.budget is None or self.outturn is None:
            return None
        return self.outturn - self.budget

    @property
    def difference_text(self) -> str:
        difference = self.difference
        if difference is None:
            return "–"
        if difference == 0:
            return "On budget"
        return f"{pounds(abs(difference))} {'over' if difference > 0 else 'under'}"

    def add(self, line: SpendLine) -> None:
        self.lines.append(line)
        if line.budget is not None:
            self.budget = (self.budget or Decimal(0)) + line.budget
        if line.outturn is not None:
            self.outturn = (self.outturn or Decimal(0)) + line.outturn


def spend_by_year(lines) -> list[YearSpend]:
    years: dict[int, YearSpend] = {}
    for line in lines:
        years.setdefault(line.financial_year, YearSpend(line.financial_year)).add(line)
    return [years[year] for year in sorted(years)]


def pounds(amount: Decimal | None) -> str:
    """£1,930,000, or £1,930,000.50 when there are pence."""
    if amount is None:
        return "not recorded"
    text = f"£{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def spend_chart(years: list[YearSpend]) -> charts.Chart | None:
    """Bars of budget and outturn per year, with a y axis in pounds (`shortbreaks.charts`); None
    when nothing to draw."""
    values = [v for y in years for v in (y.budget, y.outturn) if v is not None]
    if not values or max(values) <= 0:
        return None
    description = "; ".join(
        f"{y.label}: budget {pounds(y.budget)}, outturn {pounds(y.outturn)}" for y in years
    )
    return charts.bar_chart(
        id="spend-chart",
        title="Budget and outturn by financial year",
        summary="The budget for each financial year beside its outturn, all package types.",
        description=f"Bar chart of budget and outturn by financial year. {description}.",
        categories=[y.label for y in years],
        series=[
            charts.Series("Budget", [y.budget for y in years], withheld="not recorded"),
            charts.Series("Outturn", [y.outturn for y in years], withheld="not recorded"),
        ],
        x_label="Financial year",
        y_label="Pounds",
        formatter=charts.pounds,
    )


def spend_by_month(actor, years: list[YearSpend]) -> dict:
    """Spend in each of the last 24 months, from each source that records it by month (package
    lines' cost, direct payments), against the budget profile, with `as_at`, when the amounts
    were worked out (`contracts.spend_trends`). Read from the council's support summary: two
    queries, whatever the council holds."""
    return monthly_spend_summarised(actor=actor, budgets={year.year: year.budget for year in years})


def monthly_chart(spend: dict) -> charts.Chart:
    """`spend_by_month` as a chart. A month's amount for 1 to 4 children is withheld, as in
    support in numbers."""
    months, sources, profile = spend["months"], spend["sources"], spend["profile"]
    return charts.line_chart(
        id="spend-by-month",
        title="Spend each month against the budget profile",
        summary=(
            "Spend in each of the last 24 months, by where it is counted from, against a "
            "twelfth of the financial year's budget. A month's spend for 1 to 4 children is "
            "not shown; a month of a year with no budget set has no profile."
        ),
        categories=[charts.month_label(month) for month in months],
        series=[
            *(
                charts.Series(source["label"], source["values"], withheld=FEWER_THAN)
                for source in sources
            ),
            charts.Series("Budget profile", profile, withheld="no budget set"),
        ],
        x_label="Month",
        y_label="Pounds",
        formatter=charts.pounds,
    )


@require_GET
@permission_required("contracts.view_spend")
def spend_overview(request):
    years = spend_by_year(monitoring_selectors.spend_lines(actor=request.user))
    # `?outturn_missing=on`: the table by package type keeps only the budget lines of ended
    # financial years with no outturn, as the finance officer's work tray counts them.
    outturn_missing = request.GET.get("outturn_missing") == "on"
    by_type = years
    if outturn_missing:
        by_type = spend_by_year(monitoring_selectors.outturn_missing_lines(actor=request.user))
    by_month = spend_by_month(request.user, years)
    return render(
        request,
        "contracts/spend/overview.html",
        {
            "years": years,
            "by_type": by_type,
            "outturn_missing": outturn_missing,
            "chart": spend_chart(years),
            "package_types": PackageType.choices,
            "recorded": recorded_spend_rows(request.user, years),
            "by_month": monthly_chart(by_month),
            "by_month_as_at": by_month["as_at"],
        },
    )


def recorded_spend_rows(actor, years: list[YearSpend]) -> list[dict]:
    """Spend that other areas record payment by payment (direct payments), by financial year,
    beside the outturn set here for the same package type."""
    outturns = {
        (line.financial_year, line.package_type): line.outturn for y in years for line in y.lines
    }
    sources = []
    for source, totals in recorded_spend(council=actor.active_council):
        if not totals:
            continue
        rows = [
            {
                "label": financial_year_label(year),
                "amount": totals[year],
                "outturn": outturns.get((year, source.package_type)),
            }
            for year in sorted(totals)
        ]
        sources.append({"label": source.label, "rows": rows})
    return sources


def _initial_line(request) -> dict:
    """Prefill from ?year=2024&type=commissioned, with the figures already recorded."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return {}
    package_type = request.GET.get("type", "")
    if package_type not in PackageType.values:
        return {"financial_year": year}
    line = (
        monitoring_selectors.spend_lines(actor=request.user)
        .filter(financial_year=year, package_type=package_type)
        .first()
    )
    return {
        "financial_year": year,
        "package_type": package_type,
        "budget": line.budget if line else None,
        "outturn": line.outturn if line else None,
    }


@require_http_methods(["GET", "POST"])
@permission_required("contracts.edit_spend")
def spend_edit(request):
    form = SpendLineForm(
        request.POST if request.method == "POST" else None, initial=_initial_line(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = services.spend_line_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{line.get_package_type_display()} spend for "
                f"{financial_year_label(line.financial_year)} saved",
            )
            return redirect("contracts:spend")
    return render(request, "contracts/spend/edit.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("contracts.edit_spend")
def contract_spend_edit(request, contract_id: int):
    """A contract's spend in each financial year: the figures so far and a form to set one."""
    contract = register_selectors.access_contract_for_change(
        actor=request.user, contract_id=contract_id
    )
    form = ContractSpendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            spend = services.contract_spend_set(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, error.reason)
        else:
            messages.success(
                request, f"Spend for {financial_year_label(spend.financial_year)} saved"
            )
            return redirect("contracts:contract-spend-edit", contract.pk)
    return render(
        request,
        "contracts/spend/contract_edit.html",
        {
            "contract": contract,
            "form": form,
            "spend": list(contract.spend.order_by("financial_year")),
        },
    )


urlpatterns = [
    path("spend/", spend_overview, name="spend"),
    path("spend/edit/", spend_edit, name="spend-edit"),
    path("<int:contract_id>/spend/", contract_spend_edit, name="contract-spend-edit"),
]
