"""The API's shapes for direct payments. Amounts are strings of pounds and pence."""

from __future__ import annotations

from rest_framework import serializers

from directpayments.models import (
    Agreement,
    AgreementReview,
    Payment,
    PaymentMethod,
    PaymentPeriod,
    Recovery,
    ReviewOutcome,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class AgreementSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    recovered = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "child",
            "recipient_name",
            "recipient_relationship",
            "purpose",
            "period",
            "amount_per_period",
            "start_on",
            "end_on",
            "method",
            "check_interval_months",
            "next_check_due",
            "ended_on",
            "paid",
            "recovered",
            "balance",
        ]
        read_only_fields = fields


class AgreementCreateSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1)
    recipient_name = serializers.CharField(max_length=200)
    recipient_relationship = serializers.CharField(max_length=100)
    purpose = serializers.CharField(max_length=2000)
    period = serializers.ChoiceField(choices=PaymentPeriod.choices)
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    check_interval_months = serializers.IntegerField(min_value=1, max_value=24, default=3)


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "agreement", "paid_on", "amount", "reference"]
        read_only_fields = fields


class PaymentCreateSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY, min_value=0)
    reference = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)


class RecoverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Recovery
        fields = ["id", "agreement", "recovered_on", "amount", "reason"]
        read_only_fields = fields


class RecoveryCreateSerializer(serializers.Serializer):
    recovered_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY, min_value=0)
    reason = serializers.CharField(max_length=2000)


class AgreementReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementReview
        fields = ["id", "agreement", "held_on", "outcome", "notes"]
        read_only_fields = fields


class AgreementReviewCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    notes = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
