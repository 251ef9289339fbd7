"""Charts drawn on the server as inline SVG, following the Government Analysis Function's guidance
on charts: each has a title, a sentence saying what it shows, labelled axes, its series labelled
directly (at the end of each line, or on each bar) rather than by colour alone, line series told
apart by their dash and marker as well as colour, and the table of the same figures below it.
The SVG scales to its column, so it stays readable at 200% zoom, and it needs no JavaScript.

`bar_chart` and `line_chart` return a `Chart`; `templates/_chart.html` draws it:

    {% include "_chart.html" with chart=chart %}

A value of None is a cell not shown (a small number suppressed, or nothing recorded): the line has
a gap there, the bar is absent, and the table says why (`Series.withheld`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The Analysis Function's categorical palette, in its order; each is above 3:1 against white.
COLOURS = ("#12436d", "#28a197", "#801650", "#f46a25", "#3d3d3d")
DASHES = ("", "8 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle")

WIDTH, HEIGHT = 640, 320
LEFT, TOP, BOTTOM = 72, 24, 56
LABEL_SPACE = 132  # to the right of the plot, for line labels
LINE_GAP = 14  # the least vertical distance between two line labels


Number = int | float | Decimal | None


def number(value: Number) -> str:
    """12, 1,250 or 12.5."""
    if value is None:
        return ""
    if float(value) == int(value):
        return f"{int(value):,}"
    return f"{float(value):,.1f}"


def pounds(value: Number) -> str:
    """£1,250 (whole pounds: a chart's table is for trends, not pennies)."""
    return "" if value is None else f"£{float(value):,.0f}"


def short(value: float, formatter: Callable[[Number], str]) -> str:
    """An axis label: 1.2m, 420k or 950, with a pound sign when the values are pounds."""
    sign = "£" if formatter is pounds else ""
    if value >= 1_000_000:
        return f"{sign}{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"
    if value >= 10_000:
        return f"{sign}{value / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    return sign + number(value)


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten, and at least 1) giving about `ticks`
    gridlines."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple == 2.5 and power < 10:
            continue  # whole numbers on an axis of counts: 2 or 5, never 2.5
        if raw <= multiple * power:
            return max(1, multiple * power)
    return 10 * power  # pragma: no cover - the loop always returns


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def last_months(today: date, count: int = 24) -> list[date]:
    """The first day of each of the `count` months up to and including today's, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass
class Series:
    """One series: its name and a value for each category (None where not shown), and what the
    table says for a value not shown."""

    label: str
    values: Sequence[Number]
    withheld: str = "not shown"


@dataclass
class Chart:
    kind: str
    id: str
    title: str
    summary: str
    x_label: str
    y_label: str
    categories: list[str]
    series: list[Series]
    formatter: Callable[[Number], str]
    width: int = WIDTH
    height: int = HEIGHT
    plot: dict = field(default_factory=dict)
    ticks: list[dict] = field(default_factory=list)
    x_ticks: list[dict] = field(default_factory=list)
    bars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    keys: list[dict] = field(default_factory=list)
    description: str = ""

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values if v is not None)

    @property
    def table(self) -> dict:
        """The same figures, one row a category and one column a series."""
        return {
            "headers": [s.label for s in self.series],
            "rows": [
                {
                    "label": category,
                    "cells": [
                        self.formatter(s.values[i]) if s.values[i] is not None else s.withheld
                        for s in self.series
                    ],
                }
                for i, category in enumerate(self.categories)
            ],
        }


def _keys(chart: Chart) -> int:
    """The key above a bar chart of several series, wrapped onto as many rows as the width needs;
    gives the top of the plot below it."""
    x, y = LEFT, 4
    for index, series in enumerate(chart.series):
        needed = 18 + 7 * len(series.label) + 16
        if x > LEFT and x + needed > chart.width - 8:
            x, y = LEFT, y + 18
        chart.keys.append(
            {
                "x": x,
                "y": y,
                "text_x": x + 18,
                "text_y": y + 11,
                "label": series.label,
                "colour": COLOURS[index % len(COLOURS)],
            }
        )
        x += needed
    return y + 28


def _frame(chart: Chart, right: int, plot_top: int = TOP) -> tuple[Callable[[float], float], float]:
    values = [float(v) for s in chart.series for v in s.values if v is not None]
    top_value = max(values, default=0)
    step = nice_step(top_value)
    top = step * max(1, math.ceil(top_value / step))
    plot_left, plot_right = LEFT, chart.width - right
    plot_bottom = chart.height - BOTTOM
    height = plot_bottom - plot_top

    def y_of(value: float) -> float:
        return round(plot_bottom - (value / top) * height, 1)

    chart.plot = {
        "left": plot_left,
        "right": plot_right,
        "top": plot_top,
        "bottom": plot_bottom,
        "middle_x": round((plot_left + plot_right) / 2, 1),
        "middle_y": round((plot_top + plot_bottom) / 2, 1),
        "x_label_y": chart.height - 8,
        "tick_label_y": plot_bottom + 18,
    }
    chart.ticks = [
        {"y": y_of(step * i), "label": short(step * i, chart.formatter)}
        for i in range(int(round(top / step)) + 1)
    ]
    return y_of, (plot_right - plot_left) / max(1, len(chart.categories))


def _x_ticks(chart: Chart, slot: float) -> None:
    """A label under every category, or under every few when they would not fit (24 months:
    every sixth, ending on the latest), so the labels never overlap at any zoom."""
    longest = max((len(category) for category in chart.categories), default=1)
    every = max(1, math.ceil((longest * 8 + 12) / slot))
    chart.x_ticks = [
        {"x": round(LEFT + slot * i + slot / 2, 1), "label": category}
        for i, category in enumerate(chart.categories)
        if i % every == (len(chart.categories) - 1) % every
    ]


def _marker(shape: str, x: float, y: float, r: float = 4) -> str:
    """The SVG path of a marker centred on (x, y)."""
    if shape == "square":
        return f"M{x - r},{y - r}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape == "diamond":
        return f"M{x},{y - r - 1}L{x + r + 1},{y}L{x},{y + r + 1}L{x - r - 1},{y}Z"
    if shape == "triangle":
        return f"M{x},{y - r - 1}L{x + r + 1},{y + r}L{x - r - 1},{y + r}Z"
    return f"M{x - r},{y}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0"


def bar_chart(
    *,
    id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    formatter: Callable[[Number], str] = number,
    description: str = "",
) -> Chart:
    """Vertical bars, grouped by category when there are several series. A single series'
    bars are labelled with their value when there are few enough to fit; with several series,
    each series keeps its place in every group, in the order of the key above the chart, so
    position as well as colour tells them apart (and each bar names itself on hover). A long
    `description` (every figure in words) goes in the SVG's own description."""
    chart = Chart(
        "bar", id, title, summary, x_label, y_label, list(categories), list(series), formatter
    )
    chart.description = description
    top = _keys(chart) if len(chart.series) > 1 else TOP
    y_of, slot = _frame(chart, right=40, plot_top=top)
    _x_ticks(chart, slot)
    count = len(chart.series)
    width = min(48.0, slot * 0.8 / count)
    label_values = count == 1 and len(chart.categories) <= 12
    for s_index, s in enumerate(chart.series):
        for index, value in enumerate(s.values):
            if value is None:
                continue
            centre = LEFT + slot * index + slot / 2
            x = centre - width * count / 2 + width * s_index
            y = y_of(float(value))
            chart.bars.append(
                {
                    "x": round(x, 1),
                    "y": y,
                    "width": round(width, 1),
                    "height": round(chart.plot["bottom"] - y, 1),
                    "colour": COLOURS[s_index % len(COLOURS)],
                    "title": f"{chart.categories[index]}, {s.label}: {formatter(value)}",
                    "value": formatter(value) if label_values else "",
                    "value_x": round(x + width / 2, 1),
                    "value_y": round(y - 4, 1),
                }
            )
    return chart


def line_chart(
    *,
    id: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    formatter: Callable[[Number], str] = number,
) -> Chart:
    """A line per series, broken where a value is not shown, each with its own dash and marker
    and its name written at its last point."""
    chart = Chart(
        "line", id, title, summary, x_label, y_label, list(categories), list(series), formatter
    )
    y_of, slot = _frame(chart, right=LABEL_SPACE)
    _x_ticks(chart, slot)
    for s_index, s in enumerate(chart.series):
        runs: list[list[tuple[float, float]]] = [[]]
        markers = []
        for index, value in enumerate(s.values):
            if value is None:
                if runs[-1]:
                    runs.append([])
                continue
            point = (round(LEFT + slot * index + slot / 2, 1), y_of(float(value)))
            runs[-1].append(point)
            markers.append(
                {
                    "x": point[0],
                    "y": point[1],
                    "d": _marker(MARKERS[s_index % len(MARKERS)], *point),
                    "title": f"{chart.categories[index]}, {s.label}: {formatter(value)}",
                }
            )
        last = markers[-1] if markers else None
        chart.lines.append(
            {
                "label": s.label,
                "colour": COLOURS[s_index % len(COLOURS)],
                "dash": DASHES[s_index % len(DASHES)],
                "marker": MARKERS[s_index % len(MARKERS)],
                "paths": [" ".join(f"{x},{y}" for x, y in run) for run in runs if run],
                "markers": markers,
                "label_x": chart.plot["right"] + 8,
                "label_y": last["y"] if last else chart.plot["bottom"],
            }
        )
    # Move labels apart so that none overlaps another.
    placed = sorted(chart.lines, key=lambda line: line["label_y"])
    for before, after in zip(placed, placed[1:], strict=False):
        if after["label_y"] - before["label_y"] < LINE_GAP:
            after["label_y"] = round(before["label_y"] + LINE_GAP, 1)
    return chart
