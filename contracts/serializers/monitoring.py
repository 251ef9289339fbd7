"""Monitoring records in JSON: what is read back, and what a POST may carry."""

from __future__ import annotations

from rest_framework import serializers

from contracts.forms.monitoring import MAX_SESSIONS
from contracts.models import MonitoringKind, MonitoringRecord


class MonitoringRecordSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringRecord
        fields = [
            "id",
            "contract",
            "kind",
            "held_on",
            "period",
            "summary",
            "sessions_delivered",
            "sessions_target",
            "hours_not_delivered",
            "reason_not_delivered",
            "provider_response",
            "sanction_considered",
            "sanction_outcome",
            "recorded_by",
        ]
        read_only_fields = fields

    def get_recorded_by(self, record: MonitoringRecord) -> str | None:
        person = record.recorded_by
        return (person.get_full_name() or person.get_username()) if person else None


def _count(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SESSIONS, help_text=help_text
    )


def _text(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=10_000, default="", help_text=help_text
    )


class MonitoringRecordCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MonitoringKind.choices)
    held_on = serializers.DateField(help_text="The day it took place.")
    summary = serializers.CharField(max_length=10_000)
    period = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="", help_text="Quarter 2 2024/25"
    )
    sessions_delivered = _count("Sessions delivered in the period, as ROCC's 829.")
    sessions_target = _count("The target for the period, as ROCC's 455.")
    hours_not_delivered = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    reason_not_delivered = _text("Why those hours were not delivered.")
    provider_response = _text()
    sanction_considered = _text("For example, withholding payment.")
    sanction_outcome = _text("For example, considered and set aside.")
