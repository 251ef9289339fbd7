"""The API's shapes for outcome surveys and their reports (counts only, no child)."""

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
