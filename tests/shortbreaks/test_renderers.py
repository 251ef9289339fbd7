"""The API's JSON renderer writes the bytes DRF's own JSON renderer writes."""

from __future__ import annotations

import json
import math
import uuid
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.db.models import TextChoices
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from shortbreaks.councils.models import Role
from shortbreaks.renderers import FastJSONRenderer


class Colour(TextChoices):
    RED = "red", "Red"


VALUES = {
    "plain": {"a": 1, "b": [True, False, None], "c": "text", "d": 0.5, "e": -3},
    "text": 'Zoë «quoted» "and" \\ / \n\t\x00\x1f\x7f 😀 <script>&',
    "line separators": "before\u2028between\u2029after",
    "dates and times": [
        datetime(2026, 12, 7, 10, 30, 5, 123456, tzinfo=UTC),
        datetime(2026, 12, 7, 10, 30, tzinfo=timezone(timedelta(hours=1))),
        datetime(2026, 12, 7, 10, 30),  # noqa: DTZ001 (a naive one, as DRF meets it)
        date(2026, 4, 1),
        time(9, 15, 30),
    ],
    "what DRF's encoder converts": [
        Decimal("12.50"),
        Decimal("0"),
        timedelta(days=1, seconds=5),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        gettext_lazy("Lazy words"),
        b"bytes",
        (1, 2),
    ],
    "subclasses": [
        mark_safe("<b>safe</b>"),  # noqa: S308 (a constant)
        Colour.RED,
        ReturnDict({"x": ReturnList([1], serializer=None)}, serializer=None),
        OrderedDict([("z", 1), ("a", 2)]),
    ],
    "numbers": [0, -1, 2**63 - 1, -(2**63), 1.5, 0.1, 100.25, 123456.789],
    "empty": [{}, [], ""],
}


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_it_writes_what_drfs_renderer_writes(value):
    assert FastJSONRenderer().render(value) == JSONRenderer().render(value)


# What orjson refuses is written by DRF's renderer: keys that are not strings, integers past
# 64 bits, and nesting past orjson's 254 levels.
DEEP: list = []
for _ in range(300):
    DEEP = [DEEP]
REFUSED_BY_ORJSON = {
    "int keys": {1: "one", None: "none"},
    "huge integer": [2**70],
    "deep": DEEP,
}


@pytest.mark.parametrize("value", REFUSED_BY_ORJSON.values(), ids=REFUSED_BY_ORJSON.keys())
def test_what_orjson_refuses_is_written_by_drf(value):
    assert FastJSONRenderer().render(value) == JSONRenderer().render(value)


def test_the_two_differences_are_the_same_number_and_null_for_what_drf_refuses():
    small = [1e-05, 1.5e-07]
    assert FastJSONRenderer().render(small) == b"[0.00001,1.5e-7]"
    assert json.loads(FastJSONRenderer().render(small)) == json.loads(JSONRenderer().render(small))
    for value in (math.nan, math.inf):
        with pytest.raises(ValueError, match="Out of range float values"):
            JSONRenderer().render([value])
        assert FastJSONRenderer().render([value]) == b"[null]"


def test_an_indented_answer_and_no_data_are_drfs():
    value = {"a": [1, {"b": 2}]}
    for accepted in ("application/json; indent=4", "application/json; indent=2"):
        assert FastJSONRenderer().render(value, accepted) == JSONRenderer().render(value, accepted)
    assert FastJSONRenderer().render(None) == b""


def test_what_nothing_can_write_is_refused_as_drf_refuses_it():
    with pytest.raises(TypeError):
        JSONRenderer().render({"x": object()})
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"x": object()})


@pytest.mark.django_db
def test_the_api_answers_with_it(two_councils, client_for):
    response = client_for(two_councils["alpha"]["people"][Role.COMMISSIONER]).get(
        reverse("api-contracts")
    )
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, FastJSONRenderer)
    assert response.content == JSONRenderer().render(response.data)
