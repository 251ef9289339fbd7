"""The API's shapes for outcome surveys and their reports (counts only, no child), and one
survey's answers (for those who may read children's records)."""

from __future__ import annotations

from rest_framework import serializers

from outcomes.models import Survey


class SurveySerializer(serializers.ModelSerializer):
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "closes_on",
            "status",
            "invited",
            "answered",
        ]
        read_only_fields = fields


class SatisfactionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    responses = serializers.IntegerField(
        allow_null=True, help_text="Null when 1 to 4 answered (see `suppressed`)."
    )
    satisfied = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    suppressed = serializers.CharField(help_text='"fewer than 5", or empty.')


class GroupingSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["service", "provider", "lot"])
    label = serializers.CharField()
    rows = SatisfactionRowSerializer(many=True)


class TimeUseRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    responses = serializers.IntegerField(allow_null=True)
    suppressed = serializers.CharField()


class SurveyReportSerializer(serializers.Serializer):
    survey = SurveySerializer()
    parents = serializers.IntegerField()
    children = serializers.IntegerField()
    by = GroupingSerializer(many=True)
    time_use = TimeUseRowSerializer(many=True)


class SurveyCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    closes_on = serializers.DateField()


class SurveySentSerializer(serializers.Serializer):
    invitations = serializers.IntegerField(help_text="Invitations made by this sending.")
    links_emailed = serializers.IntegerField(help_text="Families whose links were emailed.")


class StaffResponseCreateSerializer(serializers.Serializer):
    invitation = serializers.IntegerField(min_value=1, help_text="The invitation answered.")
    answers = serializers.DictField(
        help_text="Each question's id and its answer: a rating 1-5 by service id for "
        "satisfaction, a list of choices for Regulation 3, 1-5 for a scale, text for text."
    )


class StaffResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    survey = serializers.IntegerField(source="survey_id")
    invitation = serializers.IntegerField(source="invitation_id")
    respondent = serializers.CharField()
    channel = serializers.CharField()


class SurveyAnswerSerializer(serializers.Serializer):
    """One answer, with the response it belongs to and the child it is about."""

    id = serializers.IntegerField()
    response = serializers.IntegerField(source="response_id")
    submitted_at = serializers.DateTimeField(source="response.submitted_at")
    respondent = serializers.CharField(source="response.respondent")
    channel = serializers.CharField(source="response.channel")
    child = serializers.IntegerField(source="response.child_id")
    question = serializers.IntegerField(source="question_id")
    question_text = serializers.CharField(source="question.text")
    service = serializers.IntegerField(source="service_id", allow_null=True)
    provider = serializers.IntegerField(source="provider_id", allow_null=True)
    lot = serializers.IntegerField(source="lot_id", allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()
