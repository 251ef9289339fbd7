"""The chart helper: bars and lines drawn as SVG on the server, each with its title, summary,
axis labels, direct labels and the table of the same figures; a value not shown is a gap in the
chart and says why in the table."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from shortbreaks.charts import (
    LINE_GAP,
    Series,
    bar_chart,
    last_months,
    line_chart,
    month_label,
    nice_step,
    pounds,
)


def _line(values_a, values_b=None):
    series = [Series("Targeted", values_a, withheld="fewer than 5")]
    if values_b is not None:
        series.append(Series("Specialist", values_b, withheld="fewer than 5"))
    return line_chart(
        id="children",
        title="Children by tier",
        summary="Children supported each month.",
        categories=[f"M{i}" for i in range(len(values_a))],
        series=series,
        x_label="Month",
        y_label="Children",
    )


def test_the_last_24_months_end_with_this_one_and_cross_the_year():
    months = last_months(date(2026, 6, 15))
    assert len(months) == 24
    assert months[0] == date(2024, 7, 1)
    assert months[-1] == date(2026, 6, 1)
    assert date(2025, 12, 1) in months and date(2026, 1, 1) in months


def test_axis_steps_are_round_numbers():
    assert nice_step(100) == 20
    assert nice_step(7) == 2
    assert nice_step(0) == 1
    assert nice_step(12) == 5  # never 2.5 on an axis of counts
    assert nice_step(1_200_000) == 250_000


def test_a_bar_chart_draws_a_bar_for_each_value_shown_and_tables_every_value():
    chart = bar_chart(
        id="spend",
        title="Spend by month",
        summary="What was spent.",
        categories=["Apr 2026", "May 2026", "Jun 2026"],
        series=[Series("Spend", [1200, None, 0])],
        x_label="Month",
        y_label="Pounds",
        formatter=pounds,
    )
    assert len(chart.bars) == 2  # none for the value not shown
    assert [bar["value"] for bar in chart.bars] == ["£1,200", "£0"]  # labelled directly
    assert chart.table["rows"][1] == {"label": "May 2026", "cells": ["not shown"]}
    assert chart.ticks[0]["label"] == "£0"
    assert not chart.empty


def test_a_line_breaks_where_a_value_is_withheld_and_is_labelled_at_its_end():
    chart = _line([5, 6, None, 7, 8], [5, 5, 5, 5, 5])
    targeted, specialist = chart.lines
    assert len(targeted["paths"]) == 2  # a gap where the month is withheld
    assert len(targeted["markers"]) == 4
    # Told apart by dash and marker as well as colour.
    assert targeted["dash"] != specialist["dash"]
    assert targeted["marker"] != specialist["marker"]
    assert targeted["colour"] != specialist["colour"]
    assert chart.table["rows"][2]["cells"] == ["fewer than 5", "5"]


def test_line_labels_never_overlap():
    chart = _line([10, 10], [10, 10])
    first, second = sorted(line["label_y"] for line in chart.lines)
    assert second - first >= LINE_GAP


def test_24_months_label_every_few_months_ending_on_the_latest_without_overlapping():
    chart = line_chart(
        id="months",
        title="Months",
        summary="Months.",
        categories=[month_label(m) for m in last_months(date(2026, 6, 15))],
        series=[Series("Children", list(range(24)))],
        x_label="Month",
        y_label="Children",
    )
    ticks = chart.x_ticks
    assert ticks[-1]["label"] == "Jun 2026"
    assert 3 <= len(ticks) <= 8
    gaps = [after["x"] - before["x"] for before, after in zip(ticks, ticks[1:], strict=False)]
    assert min(gaps) >= len("Sep 2025") * 8  # about 8 units a character at 13px


def test_the_template_gives_the_chart_its_name_summary_and_table():
    html = render_to_string("_chart.html", {"chart": _line([5, None, 7])})
    assert 'role="img"' in html
    assert 'aria-labelledby="children-title children-summary"' in html
    assert '<h2 class="govuk-heading-m" id="children-title">Children by tier</h2>' in html
    assert "<title>Children by tier</title>" in html
    assert ">Month</text>" in html and ">Children</text>" in html  # both axes labelled
    assert '<th scope="col" class="govuk-table__header">Month</th>' in html
    assert "Fewer than 5" in html


def test_a_chart_of_nothing_but_zeros_says_so_and_still_tables_them():
    html = render_to_string("_chart.html", {"chart": _line([0, 0]), "level": 3})
    assert "<svg" not in html
    assert "There is nothing above zero to chart yet." in html
    assert "<h3" in html
    assert html.count('govuk-table__cell--numeric">0<') == 2
