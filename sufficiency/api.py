"""The API for sufficiency: places against demand by contract lot and by area, the same figures
and the same withholding as the page, for commissioners and contract managers
(`contracts.view_sufficiency`). Only labels and numbers: a count of 1 to 4 children is null with
`suppressed` naming it "fewer than 5", and the demand it is part of is null and "not shown"."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shortbreaks.permissions import HasRulePermission
from shortbreaks.small_numbers import FEWER_THAN, NOT_SHOWN
from sufficiency.selectors import (
    DEMAND,
    VIEW,
    sufficiency_area_rows,
    sufficiency_rows,
)

AREA_BASIS = (
    "Postcode district (outward code): a child where their home postcode is; block places where "
    "their provider is (its first location by name, else its own address); vacancies where the "
    "service runs (its first location by name, else where its provider is). No postcode: "
    '"Not known".'
)


class _Figures(serializers.Serializer):
    block_places = serializers.IntegerField()
    vacancies = serializers.IntegerField(help_text="Vacancies providers report.")
    places = serializers.IntegerField(help_text="Block places and vacancies.")
    children_supported = serializers.IntegerField(allow_null=True)
    waiting = serializers.IntegerField(allow_null=True, help_text="Children waiting or offered.")
    brokerage_open = serializers.IntegerField(allow_null=True)
    demand = serializers.IntegerField(allow_null=True, help_text="Null when any part is.")
    suppressed = serializers.ListField(
        child=serializers.CharField(),
        help_text='The fields that say "fewer than 5" (1 to 4 children), so are null.',
    )
    demand_suppressed = serializers.CharField(help_text='"not shown" when demand is null.')


class SufficiencyLotSerializer(_Figures):
    lot = serializers.CharField(source="short", help_text="Contract reference and lot number.")
    label = serializers.CharField()
    contract = serializers.CharField(help_text="The contract's title.")


class SufficiencyAreaSerializer(_Figures):
    area = serializers.CharField(help_text='A postcode district, or "Not known".')


class SufficiencySerializer(serializers.Serializer):
    by_lot = SufficiencyLotSerializer(many=True)
    by_area = SufficiencyAreaSerializer(many=True)
    area_basis = serializers.CharField()
    fewer_than = serializers.CharField()


def _with_suppressed(rows: list[dict]) -> list[dict]:
    return [
        {
            **row,
            "suppressed": [name for name in DEMAND if row[name] is None],
            "demand_suppressed": NOT_SHOWN if row["demand"] is None else "",
        }
        for row in rows
    ]


class SufficiencyApi(APIView):
    """Places against demand on each lot of a running contract and in each postcode district,
    today. Six queries, however many lots and areas."""

    permission_classes = [HasRulePermission]
    required_permission = VIEW

    @extend_schema(responses=SufficiencySerializer)
    def get(self, request):
        data = {
            "by_lot": _with_suppressed(sufficiency_rows(actor=request.user)),
            "by_area": _with_suppressed(sufficiency_area_rows(actor=request.user)),
            "area_basis": AREA_BASIS,
            "fewer_than": FEWER_THAN,
        }
        return Response(SufficiencySerializer(data).data)


urlpatterns = [
    path("aggregates/sufficiency/", SufficiencyApi.as_view(), name="api-aggregate-sufficiency"),
]
