"""JSON for targeted grants and allowances: schemes, applications and what each change takes."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from referrals.models import GrantApplication, GrantScheme, GrantStatus, PaymentStatus

TEXT = 10_000
BIGGEST_ID = 2**63 - 1
MONEY = {"max_digits": 9, "decimal_places": 2}


class GrantSchemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = GrantScheme
        fields = ["id", "name", "year", "eligibility_criteria", "max_amount"]
        read_only_fields = fields


class GrantSchemeCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text="The year it starts: 2025 is 2025/26."
    )
    eligibility_criteria = serializers.CharField(max_length=TEXT)
    max_amount = serializers.DecimalField(
        **MONEY, min_value=0, required=False, allow_null=True, default=None
    )


class GrantApplicationSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    scheme = serializers.IntegerField(source="scheme_id", read_only=True)
    scheme_name = serializers.CharField(source="scheme.__str__", read_only=True)
    answers = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="Each question with its answer."
    )
    days_waiting = serializers.SerializerMethodField(
        help_text="Days since it was received, while it waits for a decision; null once decided."
    )

    class Meta:
        model = GrantApplication
        fields = [
            "id",
            "child",
            "child_name",
            "scheme",
            "scheme_name",
            "received_on",
            "answers",
            "status",
            "days_waiting",
            "amount",
            "decline_reason",
            "decided_on",
            "payment_status",
            "review_on",
        ]
        read_only_fields = fields

    def get_days_waiting(self, application: GrantApplication) -> int | None:
        if application.status != GrantStatus.RECEIVED:
            return None
        today = self.context.get("today") or timezone.localdate()
        return (today - application.received_on).days


class GrantApplicationCreateSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=BIGGEST_ID)
    scheme = serializers.IntegerField(min_value=1, max_value=BIGGEST_ID)
    received_on = serializers.DateField()
    answers = serializers.DictField(
        child=serializers.CharField(max_length=TEXT, allow_blank=True),
        required=False,
        default=dict,
        help_text="The family's answers, each under its question.",
    )

    def validate_answers(self, answers: dict) -> dict:
        if len(answers) > 50:
            raise serializers.ValidationError("Give at most 50 answers.")
        for question in answers:
            if not question.strip() or len(question) > 500:
                raise serializers.ValidationError("Each question must be 1 to 500 characters.")
        return answers


class GrantDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[GrantStatus.APPROVED, GrantStatus.DECLINED],
        help_text="approved needs an amount; declined needs a reason.",
    )
    decided_on = serializers.DateField(required=False, help_text="Today when left out.")
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, data: dict) -> dict:
        data.setdefault("decided_on", timezone.localdate())
        return data


class GrantPaymentSerializer(serializers.Serializer):
    payment_status = serializers.ChoiceField(
        choices=[PaymentStatus.AWAITING_PAYMENT, PaymentStatus.PAID, PaymentStatus.STOPPED]
    )


class GrantCapConflictSerializer(serializers.Serializer):
    """A 409 from deciding: the reason, and for an award past the scheme's maximum the totals."""

    detail = serializers.CharField()
    already_awarded = serializers.DecimalField(
        **MONEY,
        required=False,
        help_text="Already awarded to the child on the scheme (awaiting payment or paid).",
    )
    this_award = serializers.DecimalField(**MONEY, required=False)
    total = serializers.DecimalField(**MONEY, required=False)
    maximum = serializers.DecimalField(**MONEY, required=False)
