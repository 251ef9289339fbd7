"""The demo shows the trends and sufficiency: support in numbers charts children, hours and nights
over months, the waiting list has months with applications, and the lots have places and demand."""

from __future__ import annotations

import pytest

from referrals import trends
from shortbreaks.councils.models import Council, User
from sufficiency.selectors import sufficiency_rows
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def _commissioner(slug: str) -> User:
    council = Council.objects.get(slug=slug)
    user = User.objects.get(email=f"commissioner@{slug}.example")
    user.active_council = council
    return user


def test_the_demo_charts_support_over_the_months(seeded):
    shown = []
    for council in Council.objects.filter(slug__in=["shropshire", "warwickshire", "medway"]):
        rows = trends.support_trends(actor=_commissioner(council.slug))["months"]
        shown.append(
            {
                "children": any(v for row in rows for v in row["children_by_tier"].values() if v),
                "hours": any(row["hours_delivered"] for row in rows),
            }
        )
    assert any(s["children"] for s in shown)
    assert any(s["hours"] for s in shown)


def test_the_demo_lots_have_places_and_demand(seeded):
    rows = []
    for slug in ("shropshire", "warwickshire", "medway", "herefordshire", "birmingham"):
        rows.extend(sufficiency_rows(actor=_commissioner(slug)))
    assert any(row["places"] for row in rows)
    assert any(row["children_supported"] for row in rows)
