"""JSON for audit reports, recommendations, their history and evidence links."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audits.models import (
    AssuranceRating,
    AuditReport,
    EventKind,
    EvidenceKind,
    EvidenceLink,
    Priority,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)
from audits.services import evidence_label

TEXT = 10_000

# Ids in request bodies stay within what the database can hold (a bigger one is a 400).
BIGGEST_ID = 2**63 - 1


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class RecommendationSerializer(serializers.ModelSerializer):
    report_title = serializers.CharField(source="report.title", read_only=True)
    owner_display = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(
        read_only=True, help_text="The review date has passed and it is not complete."
    )
    evidence_count = serializers.IntegerField(read_only=True)
    priority = serializers.ChoiceField(choices=Priority.choices, read_only=True)
    status = serializers.ChoiceField(choices=RecommendationStatus.choices, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "report",
            "report_title",
            "reference",
            "text",
            "priority",
            "management_action",
            "owner_name",
            "owner",
            "owner_display",
            "review_date",
            "review_note",
            "status",
            "status_date",
            "overdue",
            "evidence_count",
        ]
        read_only_fields = fields


class RecommendationEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)

    class Meta:
        model = RecommendationEvent
        fields = ["id", "kind", "from_status", "to_status", "on", "note", "actor", "at"]
        read_only_fields = fields

    def get_actor(self, event: RecommendationEvent) -> str:
        return _person(event.actor)


class EvidenceLinkSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, read_only=True)
    record = serializers.IntegerField(source="record_id", read_only=True)
    label = serializers.SerializerMethodField()
    added_by = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceLink
        fields = ["id", "kind", "record", "label", "note", "added_by", "added_at"]
        read_only_fields = fields

    def get_label(self, link: EvidenceLink) -> str:
        return evidence_label(link.kind, link.record)

    def get_added_by(self, link: EvidenceLink) -> str:
        return _person(link.added_by)


class RecommendationDetailSerializer(RecommendationSerializer):
    evidence = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "evidence", "history"]
        read_only_fields = fields

    @extend_schema_field(EvidenceLinkSerializer(many=True))
    def get_evidence(self, recommendation) -> list[dict]:
        links = self.context.get("links", [])
        return EvidenceLinkSerializer(links, many=True).data

    @extend_schema_field(RecommendationEventSerializer(many=True))
    def get_history(self, recommendation) -> list[dict]:
        events = self.context.get("events", [])
        return RecommendationEventSerializer(events, many=True).data


class AuditReportSerializer(serializers.ModelSerializer):
    rating = serializers.ChoiceField(choices=AssuranceRating.choices, read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)
    outstanding_count = serializers.IntegerField(
        read_only=True, help_text="Recommendations not yet complete."
    )
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AuditReport
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "auditor",
            "report_date",
            "rating",
            "follow_up_of",
            "summary",
            "recommendation_count",
            "outstanding_count",
            "overdue_count",
            "created_at",
        ]
        read_only_fields = fields


class AuditReportDetailSerializer(serializers.ModelSerializer):
    rating = serializers.ChoiceField(choices=AssuranceRating.choices, read_only=True)
    recommendations = serializers.SerializerMethodField()

    class Meta:
        model = AuditReport
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "auditor",
            "report_date",
            "rating",
            "follow_up_of",
            "summary",
            "created_at",
            "recommendations",
        ]
        read_only_fields = fields

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_recommendations(self, report) -> list[dict]:
        return RecommendationSerializer(self.context.get("recommendations", []), many=True).data


class AuditReportCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    auditor = serializers.CharField(max_length=200, help_text="The audit body or person.")
    report_date = serializers.DateField()
    rating = serializers.ChoiceField(choices=AssuranceRating.choices)
    follow_up_of = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=BIGGEST_ID,
        help_text="The id of the earlier report this one follows up.",
    )
    summary = serializers.CharField(max_length=TEXT, required=False, allow_blank=True, default="")


class RecommendationCreateSerializer(serializers.Serializer):
    report = serializers.IntegerField(min_value=1, max_value=BIGGEST_ID)
    reference = serializers.CharField(max_length=20)
    text = serializers.CharField(max_length=TEXT)
    priority = serializers.ChoiceField(choices=Priority.choices)
    management_action = serializers.CharField(
        max_length=TEXT, required=False, allow_blank=True, default=""
    )
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=BIGGEST_ID
    )
    review_date = serializers.DateField(required=False, allow_null=True, default=None)
    review_note = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class RecommendationPatchSerializer(serializers.Serializer):
    """Any of: a status change (with `note`, and `on` or today), the management action and its
    owner, and (auditors only) the review date."""

    status = serializers.ChoiceField(choices=RecommendationStatus.choices, required=False)
    on = serializers.DateField(required=False, help_text="The date of the status change.")
    note = serializers.CharField(
        max_length=TEXT,
        required=False,
        allow_blank=True,
        help_text="What was done or found; needed with a status change.",
    )
    management_action = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    owner = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=BIGGEST_ID
    )
    review_date = serializers.DateField(required=False, allow_null=True)
    review_note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    ACTION_FIELDS = ("management_action", "owner_name", "owner", "review_date", "review_note")

    def validate(self, attrs):
        if "on" in attrs and "status" not in attrs:
            raise serializers.ValidationError({"on": "Give the date only with a new status."})
        if "status" not in attrs and not any(f in attrs for f in self.ACTION_FIELDS):
            raise serializers.ValidationError(
                {"detail": "Give a new status or a change to the management action."}
            )
        return attrs


class EvidenceLinkCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    record = serializers.IntegerField(
        min_value=1, max_value=BIGGEST_ID, help_text="The id of the council's record."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RecommendationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RecommendationStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    report = serializers.IntegerField(required=False, min_value=1, max_value=BIGGEST_ID)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)

    def filters(self) -> dict:
        data = self.validated_data
        return {
            "status": data.get("status", ""),
            "priority": data.get("priority", ""),
            "report_id": data.get("report"),
            "overdue": data.get("overdue"),
        }
