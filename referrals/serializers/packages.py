"""JSON shapes of packages of support, their lines and costs, delivery against plan and overnight
stays, and the input that changes them. Input serializers only check the shape; services decide.
Costs are always computed from hours or nights and the unit rate, never taken as input."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from rest_framework import serializers

from providers.models import Ratio
from referrals.models import (
    FundingRoute,
    NotDeliveredReason,
    PackageLine,
    PackageStatus,
    PanelOutcome,
)

BIGGEST_ID = 2**63 - 1
MONEY = {"max_digits": 12, "decimal_places": 2}

# What a package's JSON reads, in one query each whatever the number of packages.
PACKAGE_PREFETCH = (
    Prefetch(
        "lines",
        queryset=PackageLine.objects.select_related("lot__contract")
        .prefetch_related("service", "provider")
        .order_by("start_on", "id"),
    ),
)


def _id_field(help_text: str, **kwargs):
    return serializers.IntegerField(
        min_value=1, max_value=BIGGEST_ID, help_text=help_text, **kwargs
    )


class ChildRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class ServiceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ProviderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LotRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    contract_reference = serializers.CharField(source="contract.reference")


class PackageLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = ServiceRefSerializer()
    provider = ProviderRefSerializer()
    lot = LotRefSerializer(allow_null=True)
    funding_route = serializers.ChoiceField(choices=FundingRoute.choices)
    ratio = serializers.ChoiceField(choices=Ratio.choices)
    hours_per_week = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    nights_per_year = serializers.IntegerField(allow_null=True)
    unit_rate = serializers.DecimalField(max_digits=8, decimal_places=2)
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True)
    cost_per_week = serializers.DecimalField(**MONEY, help_text="Computed, in pounds.")
    cost_per_year = serializers.DecimalField(**MONEY, help_text="Computed, in pounds.")


class PanelDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=PanelOutcome.choices)
    reasons = serializers.CharField()
    decided_on = serializers.DateField()
    members = serializers.ListField(child=serializers.CharField())


class PackageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    child = ChildRefSerializer()
    assessment = serializers.IntegerField(source="assessment_id")
    status = serializers.ChoiceField(choices=PackageStatus.choices)
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True)
    review_interval_months = serializers.IntegerField()
    next_review_due = serializers.DateField(allow_null=True)
    lines = PackageLineSerializer(many=True, read_only=True)
    cost_per_week = serializers.SerializerMethodField(help_text="All lines, computed.")
    cost_per_year = serializers.SerializerMethodField(help_text="All lines, computed.")

    def get_cost_per_week(self, package) -> Decimal:
        total = sum((line.cost_per_week for line in package.lines.all()), Decimal(0))
        return serializers.DecimalField(**MONEY).to_representation(total)

    def get_cost_per_year(self, package) -> Decimal:
        total = sum((line.cost_per_year for line in package.lines.all()), Decimal(0))
        return serializers.DecimalField(**MONEY).to_representation(total)


class PackageDetailSerializer(PackageSerializer):
    panel_decisions = PanelDecisionSerializer(many=True, read_only=True)


class PackageFilterSerializer(serializers.Serializer):
    child = _id_field("Only this child's packages.", required=False)
    status = serializers.ChoiceField(choices=PackageStatus.choices, required=False)


class PackageProposeSerializer(serializers.Serializer):
    child = _id_field("The id of one of the council's children.")
    assessment = _id_field("The id of the child's authorised assessment it rests on.")
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True)
    review_interval_months = serializers.IntegerField(
        min_value=1, max_value=24, required=False, default=6
    )


class PackageLineCreateSerializer(serializers.Serializer):
    service = _id_field("The id of one of the council's services.")
    provider = _id_field("The id of one of the council's providers.")
    lot = _id_field(
        "The id of a lot of the council's contract; commissioned lines only.",
        required=False,
        allow_null=True,
    )
    funding_route = serializers.ChoiceField(choices=FundingRoute.choices)
    ratio = serializers.ChoiceField(choices=Ratio.choices)
    hours_per_week = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text="Hours a week, or give nights_per_year instead.",
    )
    nights_per_year = serializers.IntegerField(
        min_value=1, max_value=366, required=False, allow_null=True
    )
    unit_rate = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal(0),
        help_text="Pounds for one hour or one night at this ratio.",
    )
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True)


class PackageActivateSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The date support starts.")


class DeliveryRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    line = serializers.IntegerField(source="line_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    hours_delivered = serializers.DecimalField(max_digits=7, decimal_places=2)
    hours_not_delivered = serializers.DecimalField(max_digits=7, decimal_places=2)
    reason = serializers.ChoiceField(
        choices=[("", "None"), *NotDeliveredReason.choices], allow_blank=True
    )
    notes = serializers.CharField(allow_blank=True)


class DeliveryCreateSerializer(serializers.Serializer):
    line = _id_field("The id of one of the package's lines.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    hours_delivered = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal(0))
    hours_not_delivered = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(0)
    )
    reason = serializers.ChoiceField(
        choices=NotDeliveredReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why hours were not delivered; needed when any were not.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class OvernightWarningSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["consecutive", "twelve_months"])
    nights = serializers.IntegerField()
    message = serializers.CharField()


class StaySerializer(serializers.Serializer):
    first_night = serializers.DateField()
    last_night = serializers.DateField()
    nights = serializers.IntegerField()


class OvernightSummarySerializer(serializers.Serializer):
    child = serializers.IntegerField()
    nights_in_12_months = serializers.IntegerField()
    longest_stay_in_12_months = serializers.IntegerField()
    past_threshold = serializers.BooleanField()
    max_consecutive_nights = serializers.IntegerField()
    max_nights_in_12_months = serializers.IntegerField()
    warnings = OvernightWarningSerializer(
        many=True, help_text="What the stay asked about (first_night, nights) would pass."
    )
    stays = StaySerializer(many=True, help_text="Nights recorded, as stays, newest first.")


class OvernightQuerySerializer(serializers.Serializer):
    first_night = serializers.DateField(
        required=False, help_text="A proposed stay's first night, to see its warnings."
    )
    nights = serializers.IntegerField(min_value=1, max_value=366, required=False, default=1)


class OvernightCreateSerializer(serializers.Serializer):
    first_night = serializers.DateField()
    nights = serializers.IntegerField(min_value=1, max_value=366, required=False, default=1)
    line = _id_field("The id of a line of the child's package.", required=False, allow_null=True)
    acknowledge_threshold = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True to record a stay that passes 17 consecutive nights or 75 in 12 months.",
    )
