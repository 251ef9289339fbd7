"""JSON for case notes: a note, and what adding or correcting one takes."""

from __future__ import annotations

from rest_framework import serializers

from referrals.models import CaseNote, CaseNoteKind

TEXT = 20_000


class CaseNoteSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    corrects = serializers.IntegerField(
        source="corrects_id", read_only=True, allow_null=True, help_text="The note it corrects."
    )
    author = serializers.SerializerMethodField()
    attachment_name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = CaseNote
        fields = [
            "id",
            "child",
            "on",
            "kind",
            "kind_label",
            "text",
            "corrects",
            "author",
            "created_at",
            "corrected_at",
            "attachment_name",
            "content_type",
            "size",
        ]
        read_only_fields = fields

    def get_author(self, note) -> str:
        user = note.author
        return (user.get_full_name() or user.get_username()) if user is not None else ""


class CaseNoteCreateSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.ChoiceField(choices=CaseNoteKind.choices)
    text = serializers.CharField(max_length=TEXT)
    file = serializers.FileField(
        required=False, help_text="A PDF, DOCX, PNG or JPEG, up to 10 MB (multipart only)."
    )


class CaseNoteCorrectSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.ChoiceField(choices=CaseNoteKind.choices)
    text = serializers.CharField(max_length=TEXT)
