"""Serializers every app's API shares."""

from rest_framework import serializers


class ConflictSerializer(serializers.Serializer):
    """The body of a 409: the reason the record's state forbids the step."""

    detail = serializers.CharField()
