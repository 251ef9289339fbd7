"""JSON for the waiting list and spend by month: labels and numbers only, never a child."""

from __future__ import annotations

from rest_framework import serializers


class WaitingListMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    waiting = serializers.IntegerField(
        allow_null=True,
        help_text="Grant applications waiting for a decision at the month's end (this month: "
        "today). Null when 1 to 4.",
    )
    waiting_suppressed = serializers.CharField(help_text='"fewer than 5" when `waiting` is null.')
    decided = serializers.IntegerField(
        allow_null=True, help_text="Applications decided in the month. Null when 1 to 4."
    )
    decided_suppressed = serializers.CharField(help_text='"fewer than 5" when `decided` is null.')


class WaitingListTrendsSerializer(serializers.Serializer):
    months = WaitingListMonthSerializer(many=True)


class SpendSourceMonthSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Where the spend is counted from.")
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Null when the month's amount was for 1 to 4 children.",
    )
    suppressed = serializers.CharField(help_text='"fewer than 5" when `amount` is null.')


class SpendMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    spend = SpendSourceMonthSerializer(many=True)
    budget_profile = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="A twelfth of the financial year's budget; null when no budget is set.",
    )


class SpendTrendsSerializer(serializers.Serializer):
    months = SpendMonthSerializer(many=True)
