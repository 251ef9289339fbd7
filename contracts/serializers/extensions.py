"""JSON for extensions by variation: what is read, and what each change takes."""

from __future__ import annotations

from rest_framework import serializers

from contracts.models import ApprovalRole, Decision, Extension, ExtensionApproval, LegalBasis
from contracts.services.extensions import extension_blockers

TEXT = 10_000


class ExtensionApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionApproval
        fields = ["id", "role", "name", "decision", "decided_on", "comment", "recorded_at"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    contract_reference = serializers.CharField(source="contract.reference", read_only=True)
    approvals = ExtensionApprovalSerializer(many=True, read_only=True)
    decision = serializers.ChoiceField(
        choices=Decision.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank until the decision is recorded.",
    )
    blockers = serializers.SerializerMethodField(
        help_text="Why the decision maker cannot yet approve; empty when nothing blocks it."
    )

    class Meta:
        model = Extension
        fields = [
            "id",
            "contract",
            "contract_reference",
            "status",
            "new_end_date",
            "added_value",
            "rationale",
            "alternatives_considered",
            "risks",
            "legal_basis",
            "created_at",
            "submitted_at",
            "approvals",
            "blockers",
            "decision",
            "decision_maker",
            "decided_on",
            "key_decision",
            "decided_despite_refusal",
            "decision_note",
            "previous_end_date",
            "previous_total_value",
        ]
        read_only_fields = fields

    def get_blockers(self, extension: Extension) -> list[str]:
        return extension_blockers(extension)


class ExtensionCreateSerializer(serializers.Serializer):
    new_end_date = serializers.DateField()
    added_value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    rationale = serializers.CharField(max_length=TEXT)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    alternatives_considered = serializers.CharField(
        max_length=TEXT, required=False, allow_blank=True, default=""
    )
    risks = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")


class ExtensionApprovalCreateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ApprovalRole.choices)
    name = serializers.CharField(max_length=200)
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_on = serializers.DateField()
    comment = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")


class ExtensionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    decision_maker = serializers.CharField(max_length=200)
    decided_on = serializers.DateField()
    key_decision = serializers.BooleanField(default=False)
    decided_despite_refusal = serializers.BooleanField(
        default=False,
        help_text="The decision maker approves despite a refused CPR exemption that was "
        "escalated to them; needs a note.",
    )
    note = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")
