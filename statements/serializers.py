"""The statement's API shapes. Writes go through statements.services; these only check shape."""

from __future__ import annotations

from rest_framework import serializers

from statements.models import CarerFeedback, StatementVersion


class PdfJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField()
    error = serializers.SerializerMethodField()

    def get_error(self, job) -> str:
        return "The PDF could not be built." if job.status == "failed" else ""


class StatementSerializer(serializers.ModelSerializer):
    pdf_job = PdfJobSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatementVersion
        fields = [
            "id",
            "number",
            "title",
            "status",
            "lead_officer_name",
            "lead_officer_contact",
            "introduction",
            "universal_eligibility",
            "targeted_eligibility",
            "specialist_eligibility",
            "meeting_needs",
            "how_to_apply",
            "views_and_complaints",
            "changes_since_last",
            "views_summary",
            "category_explanations",
            "consultation_closes_on",
            "review_on",
            "published_on",
            "superseded_on",
            "pdf_job",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StatementUpdateSerializer(serializers.Serializer):
    """The written fields; send only those you change."""

    title = serializers.CharField(max_length=200, required=False)
    lead_officer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    lead_officer_contact = serializers.CharField(max_length=300, required=False, allow_blank=True)
    introduction = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    universal_eligibility = serializers.CharField(
        max_length=20000, required=False, allow_blank=True
    )
    targeted_eligibility = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    specialist_eligibility = serializers.CharField(
        max_length=20000, required=False, allow_blank=True
    )
    meeting_needs = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    how_to_apply = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    views_and_complaints = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    changes_since_last = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    views_summary = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    category_explanations = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True), required=False
    )
    review_on = serializers.DateField(required=False, allow_null=True)


class CheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    reason = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    checks = CheckSerializer(many=True)


class PublishSerializer(serializers.Serializer):
    confirm_open_consultation = serializers.BooleanField(
        default=False,
        help_text="Publish although the version's consultation is still open (carers can still "
        "give their views). Without it, such a version answers 409.",
    )


class PublishRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    confirmation_needed = serializers.BooleanField(
        required=False,
        help_text="True when publishing needs `confirm_open_consultation`: the consultation is "
        "still open.",
    )


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = CarerFeedback
        fields = ["id", "received_at", "name", "email", "relationship", "views", "wants_reply"]
        read_only_fields = fields
