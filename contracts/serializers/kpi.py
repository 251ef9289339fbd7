"""KPI returns a provider submits, in JSON: as the provider and the council read them, and what
each step's POST carries."""

from __future__ import annotations

from rest_framework import serializers

from contracts.forms.monitoring import MAX_SESSIONS
from contracts.models import Award, Contract, KPIReturnStatus, Lot, MonitoringRecord


class KPIReturnSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    contract_reference = serializers.CharField(source="contract.reference", read_only=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    status = serializers.ChoiceField(
        source="kpi_status", choices=KPIReturnStatus.choices, read_only=True
    )

    class Meta:
        model = MonitoringRecord
        fields = [
            "id",
            "contract",
            "contract_reference",
            "provider",
            "period",
            "due_on",
            "status",
            "summary",
            "sessions_delivered",
            "sessions_target",
            "hours_not_delivered",
            "reason_not_delivered",
            "submitted_at",
            "query_reason",
            "decided_at",
        ]
        read_only_fields = fields


class KPIReturnSubmitSerializer(serializers.Serializer):
    sessions_delivered = serializers.IntegerField(min_value=0, max_value=MAX_SESSIONS)
    sessions_target = serializers.IntegerField(min_value=0, max_value=MAX_SESSIONS)
    hours_not_delivered = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    reason_not_delivered = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(max_length=10_000, help_text="How the service went.")


class KPIReturnQuerySerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=10_000, help_text="What the provider needs to check or explain."
    )


class KPIReturnRequestSerializer(serializers.Serializer):
    provider = serializers.IntegerField(help_text="A provider awarded a lot of this contract.")
    period = serializers.CharField(max_length=100, help_text="Quarter 2 2025/26")
    due_on = serializers.DateField()


class ProviderAwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["rates", "capacity", "awarded_on"]
        read_only_fields = fields


class ProviderLotSerializer(serializers.ModelSerializer):
    awards = ProviderAwardSerializer(source="provider_awards", many=True, read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "number", "name", "description", "awards"]
        read_only_fields = fields


class ProviderContractSerializer(serializers.ModelSerializer):
    """A contract as the provider awarded it reads it: its terms and only its own lots."""

    status = serializers.CharField(source="current_status", read_only=True)
    lots = ProviderLotSerializer(source="provider_lots", many=True, read_only=True)

    class Meta:
        model = Contract
        fields = ["id", "reference", "title", "kind", "status", "start_date", "end_date", "lots"]
        read_only_fields = fields
