"""Dates as a browser posts them from the GOV.UK date input: three boxes, day, month and year."""

from __future__ import annotations

from datetime import date


def date_boxes(name: str, value: date | str | None) -> dict[str, str]:
    """The day, month and year boxes of the date input `name` (`on`, `approve-on`), filled with
    `value`: a date, "31/3/2027" as a person reads it, or None for three empty boxes."""
    if value is None or value == "":
        day = month = year = ""
    elif isinstance(value, date):
        day, month, year = str(value.day), str(value.month), str(value.year)
    else:
        day, month, year = value.split("/")
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def with_date_boxes(data: dict, *names: str) -> dict:
    """`data` with each of `names` (a date or "31/3/2027") put into its three boxes."""
    out = {key: value for key, value in data.items() if key not in names}
    for name in names:
        if name in data:
            out.update(date_boxes(name, data[name]))
    return out


def fill_date(scope, legend: str, value: date | str | None) -> None:
    """In a browser test, type `value` into the date input whose legend is `legend`."""
    group = scope.get_by_role("group", name=legend, exact=True)
    boxes = date_boxes("date", value)
    group.get_by_label("Day", exact=True).fill(boxes["date_0"])
    group.get_by_label("Month", exact=True).fill(boxes["date_1"])
    group.get_by_label("Year", exact=True).fill(boxes["date_2"])
