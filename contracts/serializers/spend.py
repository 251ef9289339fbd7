"""Budget and outturn lines in JSON. A financial year is written "2024/25", as people write it."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.models import PackageType, SpendLine
from shortbreaks.forms import financial_year_label, parse_financial_year

FINANCIAL_YEAR_PATTERN = r"^\d{4}/\d{2}$"


@extend_schema_field({"type": "string", "pattern": FINANCIAL_YEAR_PATTERN, "example": "2024/25"})
class FinancialYearField(serializers.CharField):
    """ "2024/25" in and out; the year it starts (2024) inside."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "April to March, written like 2024/25.")
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> int:
        # Parsed here rather than with validators, which would see the year as a number.
        text = super().to_internal_value(data)
        if len(text) > 9:
            raise serializers.ValidationError("Enter the financial year like 2024/25")
        try:
            return parse_financial_year(text)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value: int) -> str:
        return financial_year_label(value)


class SpendLineSerializer(serializers.ModelSerializer):
    financial_year = FinancialYearField(read_only=True)

    class Meta:
        model = SpendLine
        fields = ["id", "financial_year", "package_type", "budget", "outturn"]
        read_only_fields = fields


class SpendLineSetSerializer(serializers.Serializer):
    financial_year = FinancialYearField()
    package_type = serializers.ChoiceField(choices=PackageType.choices)
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    outturn = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
