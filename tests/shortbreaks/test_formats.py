"""Money as £1,019.38 and dates as "5 December 2026" on every page."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from shortbreaks.templatetags.formats import money

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1019.38"), "£1,019.38"),
        (Decimal("1019.375"), "£1,019.38"),
        (1019, "£1,019.00"),
        (0, "£0.00"),
        (Decimal("1234567.5"), "£1,234,567.50"),
        (12.3, "£12.30"),
        ("250000", "£250,000.00"),
        (Decimal("-5"), "-£5.00"),
        (None, ""),
        ("", ""),
        ("not money", "not money"),
    ],
)
def test_money(value, shown):
    assert money(value) == shown


def test_money_in_a_template():
    html = Template("{% load formats %}{{ amount|money }}").render(
        Context({"amount": Decimal("1019.38")})
    )
    assert html == "£1,019.38"


def _pages():
    # A sortable table's data-sort-value="2026-12-05" and a <time datetime="2026-12-05"> are for
    # machines, not for reading.
    for path in TEMPLATES.rglob("*.html"):
        text = re.sub(r'(data-sort-value|datetime)="[^"]*"', "", path.read_text())
        yield path.relative_to(TEMPLATES), text


def test_no_page_writes_pounds_by_hand():
    assert [str(name) for name, text in _pages() if "£{{" in text] == []


def test_no_page_writes_a_date_in_another_form():
    # PDFs (templates/*/pdf/) keep their compact table dates; pages write "5 December 2026".
    other = re.compile(r'\|date:"(j M Y|d/m/Y|Y-m-d|j b Y|d M Y)"')
    found = [
        str(name) for name, text in _pages() if "/pdf/" not in f"/{name}" and other.search(text)
    ]
    assert found == []
