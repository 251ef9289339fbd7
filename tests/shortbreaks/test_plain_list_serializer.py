"""`PlainListSerializer` gives what DRF's own `ListSerializer` gives, row for row, for every kind
of field: the plain ones it reads itself and the rest it hands back to DRF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from referrals.models import Child, ChildTier, Disability
from referrals.serializers.children import ChildDetailSerializer, ChildSerializer
from shortbreaks.councils.models import Role
from shortbreaks.serializers import PlainListSerializer
from tests.referrals.builders import make_child


class Inner(serializers.Serializer):
    name = serializers.CharField()


class Every(serializers.Serializer):
    text = serializers.CharField()
    number = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=8, decimal_places=2)
    on = serializers.DateField()
    at = serializers.DateTimeField()
    tier = serializers.ChoiceField(choices=ChildTier.choices)
    codes = serializers.ListField(child=serializers.ChoiceField(choices=Disability.choices))
    renamed = serializers.CharField(source="other")
    dotted = serializers.CharField(source="inner.name")
    nested = Inner(source="inner")
    whole = serializers.SerializerMethodField()
    called = serializers.CharField(source="shout")
    optional = serializers.CharField(required=False)
    defaulted = serializers.CharField(default="fallback")
    nullable = serializers.CharField(allow_null=True)
    gone = serializers.CharField(source="missing_relation", allow_null=True)
    secret = serializers.CharField(write_only=True)

    class Meta:
        list_serializer_class = PlainListSerializer

    def get_whole(self, row) -> str:
        return f"{row.text}/{row.number}"


class Row(SimpleNamespace):
    def shout(self):
        return (self.text or "").upper()

    @property
    def missing_relation(self):
        raise ObjectDoesNotExist


def _row(n: int, **changes) -> Row:
    values = {
        "text": f"row {n} \u2028 ✓",
        "number": n,
        "amount": Decimal("12.5") * n,
        "on": date(2026, 1, n),
        "at": datetime(2026, 1, n, 9, 30, tzinfo=UTC),
        "tier": ChildTier.SPECIALIST,
        "codes": ["MOB", "HAND"],
        "other": f"other {n}",
        "inner": SimpleNamespace(name=f"inner {n}"),
        "optional": f"optional {n}",
        "defaulted": f"given {n}",
        "nullable": f"nullable {n}",
        "secret": "never shown",
    }
    return Row(**{**values, **changes})


def _both(serializer, rows):
    fast = serializer(rows, many=True)
    assert isinstance(fast, PlainListSerializer)
    drf = serializers.ListSerializer(rows, child=serializer())
    return fast.data, drf.data


def test_every_kind_of_field_reads_as_drf_reads_it():
    rows = [
        _row(1),
        # None stays None; a missing attribute is left out (not required) or defaulted
        _row(2, text=None, amount=None, on=None, at=None, nullable=None, codes=[]),
        _row(3),
    ]
    del rows[2].optional, rows[2].defaulted
    fast, drf = _both(Every, rows)
    assert fast == drf
    assert list(fast[0]) == list(drf[0])  # the keys in the same order
    assert "optional" not in fast[2] and fast[2]["defaulted"] == "fallback"
    assert fast[1]["text"] is None and fast[0]["whole"] == "row 1 \u2028 ✓/1"
    assert fast[0]["called"] == "ROW 1 \u2028 ✓" and fast[0]["gone"] is None
    assert "secret" not in fast[0]


def test_mapping_rows_and_an_own_to_representation_go_through_drf():
    class Own(Every):
        def to_representation(self, instance):
            return {"own": instance.number}

    fast, drf = _both(Own, [_row(1), _row(2)])
    assert fast == drf == [{"own": 1}, {"own": 2}]

    class Mapped(serializers.Serializer):
        text = serializers.CharField()
        number = serializers.IntegerField(source="n")

        class Meta:
            list_serializer_class = PlainListSerializer

    fast, drf = _both(Mapped, [{"text": "a", "n": 1}, {"text": "b", "n": 2}])
    assert fast == drf == [{"text": "a", "number": 1}, {"text": "b", "number": 2}]


def test_an_attribute_that_fails_fails_as_it_does_in_drf():
    broken = _row(1)
    del broken.number  # required, no default: DRF names the field
    with pytest.raises(AttributeError, match="number"):
        serializers.ListSerializer([broken], child=Every()).data  # noqa: B018
    with pytest.raises(AttributeError, match="number"):
        Every([broken], many=True).data  # noqa: B018


@pytest.mark.django_db
def test_a_page_of_childrens_records_is_drfs(two_councils, django_assert_num_queries):
    sw = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    make_child(
        sw,
        first_name="Zoë",
        last_name="O'Brien",
        nhs_number="943 476 5919",
        disabilities=["MOB", "COMM"],
        postcode="SY3 9QX",
    )
    make_child(sw, first_name="Unborn", expected_date_of_birth=date(2027, 1, 1))
    make_child(sw, first_name="Ada")
    children = list(
        Child.objects.for_council(sw.active_council_id).select_related("keyworker").order_by("id")
    )
    assert len(children) == 3
    with django_assert_num_queries(0):
        fast, drf = _both(ChildSerializer, children)
    assert fast == drf
    assert [list(row) for row in fast] == [list(row) for row in drf]
    # The detail's nested carers and tier changes go through DRF: the same as well.
    details = list(
        Child.objects.for_council(sw.active_council_id).prefetch_related(
            "carers", "tier_changes__decided_by"
        )
    )
    fast, drf = _both(ChildDetailSerializer, details)
    assert fast == drf
