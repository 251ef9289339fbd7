"""JSON for reviews and the aggregates: what is read, and what recording a review takes.

The aggregates carry only labels and numbers: no field here can hold a child's name or id.
"""

from __future__ import annotations

from rest_framework import serializers

from referrals.models import ChildTier, FundingRoute, PackageStatus, Review, ReviewOutcome

TEXT = 10_000
MONEY = {"max_digits": 14, "decimal_places": 2}


class ReviewSerializer(serializers.ModelSerializer):
    package = serializers.IntegerField(source="package_id", read_only=True)
    child = serializers.IntegerField(source="package.child_id", read_only=True)
    reassessment = serializers.IntegerField(
        source="reassessment_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "package",
            "child",
            "due_on",
            "held_on",
            "outcome",
            "reasons",
            "family_views",
            "family_told_on",
            "reassessment",
            "at",
        ]
        read_only_fields = fields


class ReviewCreateSerializer(serializers.Serializer):
    """The due date is the package's own (`next_review_due`); it is not sent."""

    package = serializers.IntegerField(min_value=1)
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    reasons = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")
    family_views = serializers.CharField(
        max_length=TEXT, required=False, allow_blank=True, default=""
    )
    family_told_on = serializers.DateField(required=False, allow_null=True, default=None)
    reassessment = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None
    )
    end_lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="For a reduction: the package lines that stop.",
    )
    lines_end_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="When those lines stop."
    )


# ----------------------------------------------------------------------------------------------
# Aggregates


SUPPRESSED_HELP = (
    '"fewer than 5" when the row counts 1 to 4 children: its counts, hours and costs are then '
    "null, withheld because they would describe children who could be recognised; empty otherwise."
)


def _count(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


def _suppressed() -> serializers.CharField:
    return serializers.CharField(allow_blank=True, help_text=SUPPRESSED_HELP)


class TierCountSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=ChildTier.choices)
    label = serializers.CharField()
    children = _count("Null when 1 to 4 (see `suppressed`); 0 is 0.")
    suppressed = _suppressed()


class StatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PackageStatus.choices)
    label = serializers.CharField()
    packages = _count("Null when 1 to 4, each being one child's (see `suppressed`); 0 is 0.")
    suppressed = _suppressed()


class SupportTotalSerializer(serializers.Serializer):
    children = _count("Children with support running; null when 1 to 4 (see `suppressed`).")
    lines = _count("Null when the row counts 1 to 4 children.")
    packages = _count("Null when the row counts 1 to 4 children.")
    hours_per_week = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    nights_per_year = serializers.IntegerField(allow_null=True)
    cost_per_week = serializers.DecimalField(**MONEY, allow_null=True)
    cost_per_year = serializers.DecimalField(**MONEY, allow_null=True)
    suppressed = _suppressed()


class SupportRowSerializer(SupportTotalSerializer):
    label = serializers.CharField()


class FundingRouteRowSerializer(SupportRowSerializer):
    funding_route = serializers.ChoiceField(choices=FundingRoute.choices)


class AggregatesSerializer(serializers.Serializer):
    on = serializers.DateField()
    as_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the figures were worked out (they are worked out again every hour).",
    )
    children_by_tier = TierCountSerializer(many=True)
    packages_by_status = StatusCountSerializer(many=True)
    by_service = SupportRowSerializer(many=True)
    by_lot = SupportRowSerializer(many=True)
    by_funding_route = FundingRouteRowSerializer(many=True)
    totals = SupportTotalSerializer()
    next = serializers.URLField(
        allow_null=True, help_text="The next page of `by_service` and `by_lot`."
    )
    previous = serializers.URLField(
        allow_null=True, help_text="The page of `by_service` and `by_lot` before this one."
    )


class TrendSpendSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Where the spend is counted from.")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Null when for 1 to 4 children."
    )
    suppressed = serializers.CharField()


class TrendMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    children_by_tier = TierCountSerializer(many=True)
    hours_delivered = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    hours_suppressed = serializers.CharField()
    nights = serializers.IntegerField(allow_null=True)
    nights_suppressed = serializers.CharField()
    spend = TrendSpendSerializer(many=True)


class AggregateTrendsSerializer(serializers.Serializer):
    months = TrendMonthSerializer(many=True)
    as_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the figures were worked out (they are worked out again every hour).",
    )
