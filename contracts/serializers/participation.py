"""JSON shapes of joint contracts by consent: a council's part in a contract, as the contract
shows it, and an invitation, as the invited council sees it (what the lead council sent, never
the contract itself until the council accepts)."""

from __future__ import annotations

from rest_framework import serializers

from contracts.models import ParticipationStatus
from shortbreaks import states


class ParticipationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id the lead council withdraws it by.")
    council = serializers.CharField(source="council.slug", help_text="The invited council.")
    council_name = serializers.CharField(source="council.name")
    status = serializers.ChoiceField(choices=ParticipationStatus.choices)
    invited_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(
        allow_null=True, help_text="When the council accepted or declined."
    )
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class InvitationContractSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="contract_id")
    reference = serializers.CharField(source="contract_reference")
    title = serializers.CharField(source="contract_title")


class CouncilRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ContractInvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ParticipationStatus.choices)
    contract = InvitationContractSerializer(
        source="*",
        help_text="The contract the invitation is for. Its page and JSON answer 404 until the "
        "council accepts.",
    )
    lead_council = CouncilRefSerializer()
    invited_by = serializers.SerializerMethodField()
    invited_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(
        allow_null=True, help_text="When the council accepted or declined."
    )
    withdrawn_at = serializers.DateTimeField(
        allow_null=True, help_text="When the lead council withdrew it."
    )
    closed = serializers.SerializerMethodField(
        help_text="Why the invitation can no longer be answered (null while it waits), as an "
        "answer would be refused."
    )

    def get_closed(self, invitation) -> str | None:
        return states.refusal(invitation, "accept")

    def get_invited_by(self, invitation) -> str | None:
        person = invitation.invited_by
        return (person.get_full_name() or person.username) if person else None


class InvitationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ParticipationStatus.choices,
        required=False,
        help_text="Only the invitations in this status (invited: waiting for an answer).",
    )
