"""The API for the waiting list and spend by month over the last 24 months, oldest month first:
the figures the grants page and the spend page chart, as JSON.

The waiting list by month needs `referrals.view_aggregates`, as the support in numbers trends
beside it: for those who read aggregates, not children's records, a month with 1 to 4
applications waiting or decided says "fewer than 5" with the count null. Spend needs
`contracts.view_spend`, as the spend page: a month's amount for 1 to 4 children is null and says
"fewer than 5"."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.spend_trends import monthly_spend
from referrals import trends
from referrals.serializers.trends import SpendTrendsSerializer, WaitingListTrendsSerializer
from shortbreaks.permissions import HasRulePermission
from shortbreaks.small_numbers import FEWER_THAN, is_small

AGGREGATES = "referrals.view_aggregates"
SPEND = "contracts.view_spend"


def _published(count: int) -> tuple[int | None, str]:
    return (None, FEWER_THAN) if is_small(count) else (count, "")


def waiting_list_published(*, actor, today=None) -> list[dict]:
    rows = []
    for row in trends.grants_by_month(actor=actor, today=today):
        waiting, waiting_suppressed = _published(row["waiting"])
        decided, decided_suppressed = _published(row["decided"])
        rows.append(
            {
                "month": row["month"],
                "waiting": waiting,
                "waiting_suppressed": waiting_suppressed,
                "decided": decided,
                "decided_suppressed": decided_suppressed,
            }
        )
    return rows


def spend_published(*, actor, today=None) -> list[dict]:
    spend = monthly_spend(actor=actor, today=today)
    return [
        {
            "month": month,
            "spend": [
                {
                    "label": source["label"],
                    "amount": source["values"][index],
                    "suppressed": FEWER_THAN if source["values"][index] is None else "",
                }
                for source in spend["sources"]
            ],
            "budget_profile": spend["profile"][index],
        }
        for index, month in enumerate(spend["months"])
    ]


class WaitingListTrendsApi(APIView):
    """Grant applications waiting for a decision at the end of each of the last 24 months (this
    month: today) and decided in each month. One query, however many applications."""

    permission_classes = [HasRulePermission]
    required_permission = AGGREGATES

    @extend_schema(responses=WaitingListTrendsSerializer)
    def get(self, request):
        months = waiting_list_published(actor=request.user)
        return Response(WaitingListTrendsSerializer({"months": months}).data)


class SpendTrendsApi(APIView):
    """Spend in each of the last 24 months by where it is counted from (package lines' cost,
    direct payments), against the budget profile: a twelfth of the financial year's budget. A
    query a source and one for the budgets, however much is recorded."""

    permission_classes = [HasRulePermission]
    required_permission = SPEND

    @extend_schema(responses=SpendTrendsSerializer)
    def get(self, request):
        months = spend_published(actor=request.user)
        return Response(SpendTrendsSerializer({"months": months}).data)


urlpatterns = [
    path(
        "aggregates/trends/waiting-list/",
        WaitingListTrendsApi.as_view(),
        name="api-aggregate-trends-waiting-list",
    ),
    path("aggregates/trends/spend/", SpendTrendsApi.as_view(), name="api-aggregate-trends-spend"),
]
