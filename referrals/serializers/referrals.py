"""JSON for referrals, their history and documents: what is read, and what each change takes."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from referrals.census_codes import ClosureReason
from referrals.models import (
    Child,
    PrimaryNeed,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralEventKind,
    ReferralSource,
    ReferralStatus,
)

TEXT = 10_000


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class ReferralEventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=ReferralEventKind.choices,
        read_only=True,
        help_text="What happened: received, a step of screening by its name, or the children "
        "in need episode closed (which leaves the status as it was).",
    )
    from_status = serializers.CharField(read_only=True, help_text="Blank for the first event.")
    to_status = serializers.CharField(read_only=True)
    actor = serializers.SerializerMethodField(help_text="Who made the change.")

    class Meta:
        model = ReferralEvent
        fields = ["id", "kind", "from_status", "to_status", "on", "reason", "actor", "at"]
        read_only_fields = fields

    def get_actor(self, event: ReferralEvent) -> str:
        return _person(event.actor)


class ReferralDocumentSerializer(serializers.ModelSerializer):
    referral = serializers.IntegerField(source="referral_id", read_only=True)
    uploaded_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(
        help_text="Where the file is served, as an attachment."
    )

    class Meta:
        model = ReferralDocument
        fields = [
            "id",
            "referral",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, document: ReferralDocument) -> str:
        return _person(document.uploaded_by)

    def get_download_url(self, document: ReferralDocument) -> str:
        return reverse("api-referral-document", args=[document.referral_id, document.pk])


class ReferralSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    child_name = serializers.CharField(source="child.full_name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "child",
            "child_name",
            "received_on",
            "source",
            "referrer",
            "request",
            "primary_need",
            "status",
            "status_date",
            "closed_on",
            "closure_reason",
            "created_at",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    """A referral with its dated history and its documents."""

    events = ReferralEventSerializer(many=True, read_only=True)
    documents = ReferralDocumentSerializer(many=True, read_only=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "events", "documents"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ChildField(serializers.PrimaryKeyRelatedField):
    """A child's id, looked up among the children the caller's council holds."""


class ReferralCreateSerializer(serializers.Serializer):
    child = ChildField(queryset=Child.objects.none(), help_text="A child of your council.")
    received_on = serializers.DateField()
    source = serializers.ChoiceField(choices=ReferralSource.choices)
    primary_need = serializers.ChoiceField(choices=PrimaryNeed.choices)
    request = serializers.CharField(max_length=TEXT)
    referrer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Another council's child is refused exactly as a missing one.
        self.fields["child"].queryset = children


class ReferralTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ReferralStatus.choices,
        help_text="received -> screening -> one outcome; any other step answers 409.",
    )
    reason = serializers.CharField(
        max_length=TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed for every outcome after screening.",
    )
    on = serializers.DateField(
        required=False, help_text="The date of the change; today if not given."
    )


class ReferralDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A PDF, Word document (DOCX), PNG or JPEG, up to 10 MB; the type is found from "
        "the content."
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class ReferralCloseSerializer(serializers.Serializer):
    """Closing the children in need episode the referral began."""

    closed_on = serializers.DateField(help_text="The CIN closure date.")
    reason = serializers.ChoiceField(
        choices=ClosureReason.choices, help_text="The DfE reason for closure, RC1 to RC9."
    )
