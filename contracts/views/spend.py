"""Spend against budget: the council's budget and outturn by financial year and package type,
as a chart with the table beside it, and the finance officers' forms that set them.

The chart is drawn here as an inline SVG, so it needs no JavaScript; the table beside it carries
the same figures for anyone who cannot see the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from contracts import selectors, services
from contracts.forms.spend import ContractSpendForm, SpendLineForm, financial_year_label
from contracts.models import PackageType, SpendLine
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required


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


def pounds_short(amount: float) -> str:
    """£1.93m, £420k, £950: short enough for an axis."""
    if amount >= 1_000_000:
        return f"£{amount / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"
    if amount >= 1_000:
        return f"£{amount / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    return f"£{amount:.0f}"


def pounds(amount: Decimal | None) -> str:
    """£1,930,000, or £1,930,000.50 when there are pence."""
    if amount is None:
        return "not recorded"
    text = f"£{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


# Chart geometry, in SVG user units; the SVG scales to the width of its column.
WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 40, 40
BUDGET_COLOUR, OUTTURN_COLOUR = "#1d70b8", "#4c2c92"  # both above 3:1 against white


def _nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` gridlines."""
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def spend_chart(years: list[YearSpend]) -> dict | None:
    """Bars of budget and outturn per year, with a y axis in pounds; None when nothing to draw."""
    values = [float(v) for y in years for v in (y.budget, y.outturn) if v is not None]
    if not values or max(values) <= 0:
        return None
    step = _nice_step(max(values))
    top = step * math.ceil(max(values) / step)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(years)
    bar = min(40.0, slot * 0.35)

    def y_of(value: float) -> float:
        return TOP + plot_height - (value / top) * plot_height

    ticks = [
        {"y": round(y_of(step * i), 1), "label": pounds_short(step * i)}
        for i in range(int(round(top / step)) + 1)
    ]
    groups = []
    for index, year in enumerate(years):
        centre = LEFT + slot * index + slot / 2
        bars = []
        for offset, value, colour, what in (
            (-bar, year.budget, BUDGET_COLOUR, "Budget"),
            (0.0, year.outturn, OUTTURN_COLOUR, "Outturn"),
        ):
            if value is None:
                continue
            y = y_of(float(value))
            bars.append(
                {
                    "x": round(centre + offset, 1),
                    "y": round(y, 1),
                    "width": round(bar, 1),
                    "height": round(TOP + plot_height - y, 1),
                    "colour": colour,
                    "title": f"{year.label} {what.lower()}: {pounds(value)}",
                }
            )
        groups.append({"label": year.label, "x": round(centre, 1), "bars": bars})
    description = "; ".join(
        f"{y.label}: budget {pounds(y.budget)}, outturn {pounds(y.outturn)}" for y in years
    )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "label_y": TOP + plot_height + 20,
        "ticks": ticks,
        "groups": groups,
        "budget_colour": BUDGET_COLOUR,
        "outturn_colour": OUTTURN_COLOUR,
        "description": f"Bar chart of budget and outturn by financial year. {description}.",
    }


@require_GET
@permission_required("contracts.view_spend")
def spend_overview(request):
    years = spend_by_year(selectors.spend_lines(actor=request.user))
    return render(
        request,
        "contracts/spend/overview.html",
        {"years": years, "chart": spend_chart(years), "package_types": PackageType.choices},
    )


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
        selectors.spend_lines(actor=request.user)
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
    contract = selectors.access_contract_for_change(actor=request.user, contract_id=contract_id)
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
