"""The satisfaction chart: a horizontal bar per row, its length the percentage satisfied, drawn
as inline SVG on the server (no JavaScript). A suppressed row has no bar and says "fewer than 5".
The table beside the chart carries the same figures."""

from __future__ import annotations

WIDTH = 480
LEFT, RIGHT, TOP = 8, 56, 28
ROW, BAR = 44, 18
COLOUR = "#1d70b8"  # above 3:1 against white


def satisfaction_chart(rows: list[dict], *, what: str) -> dict | None:
    if not rows:
        return None
    plot = WIDTH - LEFT - RIGHT
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        percent = row["percent"]
        bars.append(
            {
                "label": row["name"],
                "label_y": y + 12,
                "y": y + 18,
                "width": round(plot * (percent or 0) / 100, 1),
                "value_x": round(LEFT + plot * (percent or 0) / 100 + 6, 1),
                "value_y": y + 32,
                "value": row["suppressed"] or f"{percent}%",
                "shown": not row["suppressed"],
            }
        )
    description = "; ".join(
        f"{row['name']}: {row['suppressed'] or str(row['percent']) + '% satisfied'}" for row in rows
    )
    return {
        "width": WIDTH,
        "height": TOP + len(rows) * ROW + 8,
        "left": LEFT,
        "bar_height": BAR,
        "colour": COLOUR,
        "bars": bars,
        "title": f"Percentage satisfied by {what}",
        "description": f"Bar chart of the percentage satisfied by {what}. {description}.",
    }
