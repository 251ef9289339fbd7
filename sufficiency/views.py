"""Sufficiency: the page of places against demand, by contract lot and by area, each a chart
with its table, for commissioners and contract managers. The figures and what is withheld of them
are worked out in `sufficiency.selectors`, which the API reads too.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from shortbreaks import charts
from shortbreaks.permissions import permission_required
from shortbreaks.small_numbers import FEWER_THAN
from sufficiency.selectors import (
    VIEW,
    sufficiency_area_rows,
    sufficiency_rows,
)

__all__ = ["sufficiency_area_rows", "sufficiency_rows"]


def sufficiency_area_chart(rows: list[dict]) -> charts.Chart:
    return charts.bar_chart(
        id="sufficiency-area-chart",
        title="Places against demand by area",
        summary=(
            "For each postcode district, the places available there (block places and the "
            "vacancies providers report) beside the demand from children living there "
            "(supported, waiting and asked for through brokerage). An area whose demand counts "
            "1 to 4 children somewhere has no demand bar."
        ),
        categories=[row["area"] for row in rows],
        series=[
            charts.Series("Places available", [row["places"] for row in rows]),
            charts.Series("Demand", [row["demand"] for row in rows], withheld=FEWER_THAN),
        ],
        x_label="Postcode district",
        y_label="Places or children",
    )


def sufficiency_chart(rows: list[dict]) -> charts.Chart:
    return charts.bar_chart(
        id="sufficiency-chart",
        title="Places against demand by contract lot",
        summary=(
            "For each lot of a running contract, the places available (block places and the "
            "vacancies providers report) beside the demand (children supported, waiting and "
            "asked for through brokerage). A lot whose demand counts 1 to 4 children somewhere "
            "has no demand bar."
        ),
        categories=[row["short"] for row in rows],
        series=[
            charts.Series("Places available", [row["places"] for row in rows]),
            charts.Series("Demand", [row["demand"] for row in rows], withheld=FEWER_THAN),
        ],
        x_label="Contract lot",
        y_label="Places or children",
    )


@require_GET
@permission_required(VIEW)
def sufficiency(request):
    rows = sufficiency_rows(actor=request.user)
    areas = sufficiency_area_rows(actor=request.user)
    return render(
        request,
        "sufficiency.html",
        {
            "rows": rows,
            "chart": sufficiency_chart(rows) if rows else None,
            "areas": areas,
            "area_chart": sufficiency_area_chart(areas) if areas else None,
        },
    )


urlpatterns = [path("sufficiency/", sufficiency, name="sufficiency")]
