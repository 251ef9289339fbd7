"""JSON for assessments and the panel's decisions: what is read, and what each step takes."""

from __future__ import annotations

from rest_framework import serializers

from referrals.census_codes import AssessmentFactor
from referrals.models import (
    REGULATION_3_QUESTIONS,
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    PanelDecision,
    PanelOutcome,
)

TEXT = 10_000


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class AssessmentSectionsSerializer(serializers.Serializer):
    """Whether each section of the task list is done."""

    child_needs = serializers.BooleanField()
    carer_needs = serializers.BooleanField()
    regulation_3 = serializers.BooleanField()
    outcome = serializers.BooleanField()


class AssessmentSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    outcome = serializers.ChoiceField(
        choices=AssessmentOutcome.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank until recorded.",
    )
    sections = AssessmentSectionsSerializer(read_only=True)
    started_by = serializers.SerializerMethodField()
    completed_by = serializers.SerializerMethodField()
    authorised_by = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "child",
            "child_name",
            "referral",
            "status",
            "child_needs",
            "carer_needs",
            *REGULATION_3_QUESTIONS,
            "outcome",
            "recommended_support",
            "factors",
            "sections",
            "started_on",
            "started_by",
            "completed_on",
            "completed_by",
            "authorised_on",
            "authorised_by",
        ]
        read_only_fields = fields

    def get_started_by(self, assessment: Assessment) -> str:
        return _person(assessment.started_by)

    def get_completed_by(self, assessment: Assessment) -> str:
        return _person(assessment.completed_by)

    def get_authorised_by(self, assessment: Assessment) -> str:
        return _person(assessment.authorised_by)


class AssessmentStartSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    started_on = serializers.DateField(required=False, help_text="Today when not given.")
    referral = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        help_text="A referral of the child accepted for assessment.",
    )


class AssessmentUpdateSerializer(serializers.Serializer):
    """Sections of an assessment in progress; only the fields given change."""

    child_needs = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    carer_needs = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    carer_could_continue_without_breaks = serializers.BooleanField(required=False, allow_null=True)
    breaks_enable_work = serializers.BooleanField(required=False, allow_null=True)
    breaks_enable_study = serializers.BooleanField(required=False, allow_null=True)
    breaks_enable_other_children = serializers.BooleanField(required=False, allow_null=True)
    breaks_enable_household = serializers.BooleanField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(
        choices=AssessmentOutcome.choices, required=False, allow_blank=True
    )
    recommended_support = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    factors = serializers.ListField(
        child=serializers.ChoiceField(choices=AssessmentFactor.choices),
        required=False,
        max_length=len(AssessmentFactor.values),
        help_text="The DfE children in need assessment factor codes identified (21: none).",
    )


class AssessmentStepSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Today when not given.")


class AssessmentReturnSerializer(AssessmentStepSerializer):
    reason = serializers.CharField(max_length=TEXT, help_text="What needs to change.")


class AssessmentListQuerySerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, required=False)
    to_authorise = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only completed assessments the actor may authorise: not their own.",
    )


class ResourcePanelDecisionSerializer(serializers.ModelSerializer):
    package = serializers.IntegerField(source="package_id", read_only=True)
    child = serializers.IntegerField(source="package.child_id", read_only=True)
    outcome = serializers.ChoiceField(
        source="decision", choices=PanelOutcome.choices, read_only=True
    )
    members = serializers.ListField(child=serializers.CharField(), read_only=True)
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = PanelDecision
        fields = ["id", "package", "child", "outcome", "reasons", "decided_on", "members"]
        fields += ["recorded_by", "at"]
        read_only_fields = fields

    def get_recorded_by(self, decision: PanelDecision) -> str:
        return _person(decision.recorded_by)


class PanelDecisionCreateSerializer(serializers.Serializer):
    package = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    outcome = serializers.ChoiceField(choices=PanelOutcome.choices)
    reasons = serializers.CharField(max_length=TEXT)
    decided_on = serializers.DateField()
    members = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=1, max_length=50
    )


class PanelDecisionListQuerySerializer(serializers.Serializer):
    package = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


__all__ = [
    "AssessmentListQuerySerializer",
    "AssessmentReturnSerializer",
    "AssessmentSerializer",
    "AssessmentStartSerializer",
    "AssessmentStepSerializer",
    "AssessmentUpdateSerializer",
    "PanelDecisionCreateSerializer",
    "PanelDecisionListQuerySerializer",
    "ResourcePanelDecisionSerializer",
]
