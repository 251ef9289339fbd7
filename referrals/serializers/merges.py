"""JSON for possible duplicate records and merging one into another."""

from __future__ import annotations

from rest_framework import serializers

BIGGEST_ID = 2**63 - 1


class ChildMergeSerializer(serializers.Serializer):
    merge = serializers.IntegerField(
        min_value=1,
        max_value=BIGGEST_ID,
        help_text="The id of the duplicate record to merge into this one.",
    )


class PossibleMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="child.pk")
    council_child_id = serializers.CharField(source="child.council_child_id")
    first_name = serializers.CharField(source="child.first_name")
    last_name = serializers.CharField(source="child.last_name")
    date_of_birth = serializers.DateField(source="child.date_of_birth")
    postcode = serializers.CharField(source="child.postcode")
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why the record may be the same child."
    )


class PossibleMatchesSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    results = PossibleMatchSerializer(many=True)
