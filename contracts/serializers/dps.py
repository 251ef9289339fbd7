"""JSON for dynamic purchasing systems and their memberships.

Input serializers check the shape only; the services decide what the record's state allows.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.models import DPS, PRE_APPROVAL_CHECKS, DPSMembership, MembershipStatus


class DPSMemberCountsSerializer(serializers.Serializer):
    applied = serializers.IntegerField()
    under_assessment = serializers.IntegerField()
    approved = serializers.IntegerField()
    suspended = serializers.IntegerField()
    exited = serializers.IntegerField()


class DPSSerializer(serializers.ModelSerializer):
    """A DPS as `dps_with_member_counts` returns it, with its members counted by status."""

    categories = serializers.SerializerMethodField()
    member_counts = serializers.SerializerMethodField()

    class Meta:
        model = DPS
        fields = [
            "id",
            "title",
            "categories",
            "start_date",
            "end_date",
            "status",
            "open_to_applications",
            "member_counts",
        ]
        read_only_fields = fields

    def get_categories(self, dps: DPS) -> list[str]:
        return [line.strip() for line in dps.categories.splitlines() if line.strip()]

    @staticmethod
    def _counts(dps: DPS) -> dict[str, int]:
        return {status: getattr(dps, f"count_{status}", 0) for status in MembershipStatus.values}

    @extend_schema_field(DPSMemberCountsSerializer)
    def get_member_counts(self, dps: DPS) -> dict[str, int]:
        return self._counts(dps)


class DPSCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    categories = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    open_to_applications = serializers.BooleanField(required=False, default=True)


class DPSProviderRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DPSMembershipChecksSerializer(serializers.Serializer):
    """The pre-approval checklist; each field optional, so a client sends only what changed."""

    check_registration = serializers.BooleanField(required=False)
    check_insurance = serializers.BooleanField(required=False)
    check_safeguarding_policy = serializers.BooleanField(required=False)
    check_dbs = serializers.BooleanField(required=False)
    check_financial_standing = serializers.BooleanField(required=False)


class DPSMembershipEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    on = serializers.DateField()
    reason = serializers.CharField()
    actor = serializers.SerializerMethodField()

    def get_actor(self, event) -> str | None:
        actor = event.actor
        if actor is None:
            return None
        return actor.get_full_name() or actor.get_username()


class DPSMembershipSerializer(serializers.ModelSerializer):
    provider = DPSProviderRefSerializer()
    checks = serializers.SerializerMethodField()
    checks_complete = serializers.BooleanField()
    history = DPSMembershipEventSerializer(many=True, source="events.all")

    class Meta:
        model = DPSMembership
        fields = [
            "id",
            "dps",
            "provider",
            "status",
            "status_date",
            "checks",
            "checks_complete",
            "history",
        ]
        read_only_fields = fields

    @extend_schema_field(DPSMembershipChecksSerializer)
    def get_checks(self, membership: DPSMembership) -> dict[str, bool]:
        return {name: getattr(membership, name) for name in PRE_APPROVAL_CHECKS}


class DPSMembershipApplySerializer(serializers.Serializer):
    provider = serializers.IntegerField(min_value=1, help_text="The id of one of your providers.")
    on = serializers.DateField(help_text="The date of the application.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DPSMembershipTransitionSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The date of the change.")
    reason = serializers.CharField(help_text="Why the membership changes.")
