"""Evidence packs in the API: what is asked for, and where a pack got to."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from audits.models import EvidencePack, EvidencePackGrant, PackKind
from shortbreaks.documents.models import JobStatus


class EvidencePackCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=PackKind.choices,
        error_messages={"invalid_choice": "Choose one of: " + ", ".join(PackKind.values) + "."},
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    as_at = serializers.DateField(help_text="The records as they stood at the end of this day.")
    include_names = serializers.BooleanField(
        default=False,
        help_text="Children's names in a referral records pack; only for a person granted them.",
    )


class EvidencePackSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(source="job.status", choices=JobStatus.choices, read_only=True)
    progress = serializers.IntegerField(source="job.progress", read_only=True)
    progress_note = serializers.CharField(source="job.progress_note", read_only=True)
    sha256 = serializers.SerializerMethodField(help_text="The PDF's SHA-256, once it is ready.")
    size = serializers.SerializerMethodField(help_text="The PDF's size in bytes, once ready.")
    download_url = serializers.SerializerMethodField()
    requested_by = serializers.SerializerMethodField()

    class Meta:
        model = EvidencePack
        fields = [
            "id",
            "kind",
            "period_start",
            "period_end",
            "as_at",
            "include_names",
            "requested_at",
            "requested_by",
            "status",
            "progress",
            "progress_note",
            "sha256",
            "size",
            "download_url",
        ]
        read_only_fields = fields

    def _done(self, pack) -> bool:
        return pack.job.status == JobStatus.DONE

    def get_sha256(self, pack) -> str | None:
        return pack.job.sha256 if self._done(pack) else None

    def get_size(self, pack) -> int | None:
        return pack.job.size if self._done(pack) else None

    def get_download_url(self, pack) -> str | None:
        if not self._done(pack):
            return None
        url = reverse("api-evidence-pack-download", args=[pack.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_requested_by(self, pack) -> str:
        person = pack.requested_by
        return person.get_full_name() or person.get_username()


class DownloadConfirmSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=4096,
        style={"input_type": "password"},
        help_text="Your password: confirms who you are when your token is over 15 minutes old.",
    )


class EvidencePackGrantCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(
        max_length=254,
        help_text="An external auditor this council invited, who has set their password.",
    )
    expires_on = serializers.DateField(
        help_text="The last day they may see the pack: today or later, within a year."
    )


class EvidencePackGrantSerializer(serializers.ModelSerializer):
    """One person outside the council who may see the pack, until the end of `expires_on`."""

    email = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    granted_by = serializers.SerializerMethodField()

    class Meta:
        model = EvidencePackGrant
        fields = ["id", "pack", "email", "name", "organisation", "expires_on", "granted_by"]
        read_only_fields = fields

    def get_email(self, grant) -> str:
        return grant.user.email or grant.user.get_username()

    def get_name(self, grant) -> str:
        return grant.user.get_full_name()

    def get_organisation(self, grant) -> str:
        auditor = getattr(grant.user, "external_auditor", None)
        return auditor.organisation if auditor is not None else ""

    def get_granted_by(self, grant) -> str:
        person = grant.granted_by
        return person.get_full_name() or person.get_username()
