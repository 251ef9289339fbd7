"""The API's shapes for brokerage requests and answers.

Provider staff get the same shape with what is the council's own left empty: the line and
package (`null`), what was removed, whom else it went to and the other answers.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brokerage.models import AgeBand, BrokerageRequest, BrokerageResponse
from providers.models import Ratio
from shortbreaks import states


class BrokerageInvitationSerializer(serializers.Serializer):
    provider = serializers.IntegerField(source="provider_id")
    provider_name = serializers.CharField(source="provider.name")
    sent_on = serializers.DateField()
    round = serializers.IntegerField()
    answered = serializers.SerializerMethodField()

    def get_answered(self, invitation) -> bool:
        return hasattr(invitation, "response")


class BrokerageRequestSerializer(serializers.ModelSerializer):
    line = serializers.SerializerMethodField()
    package = serializers.SerializerMethodField()
    dps_title = serializers.CharField(source="dps.title", read_only=True)
    lot_name = serializers.CharField(source="lot.name", read_only=True)
    unit = serializers.CharField(read_only=True)
    removed = serializers.SerializerMethodField()
    invitations = serializers.SerializerMethodField()
    contract_reference = serializers.SerializerMethodField()

    class Meta:
        model = BrokerageRequest
        fields = [
            "id",
            "status",
            "line",
            "package",
            "dps",
            "dps_title",
            "lot",
            "lot_name",
            "age_band",
            "needs_summary",
            "ratio",
            "hours_per_week",
            "nights_per_year",
            "unit",
            "area",
            "start_date",
            "outcomes",
            "removed",
            "deadline",
            "sent_at",
            "closed_on",
            "close_reason",
            "contract",
            "contract_reference",
            "invitations",
            "created_at",
        ]
        read_only_fields = fields

    def _provider_view(self) -> bool:
        return bool(self.context.get("provider_view"))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_line(self, request) -> int | None:
        return None if self._provider_view() else request.line_id

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_package(self, request) -> int | None:
        return None if self._provider_view() else request.line.package_id

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_removed(self, request) -> list[str]:
        return [] if self._provider_view() else list(request.removed)

    @extend_schema_field(BrokerageInvitationSerializer(many=True))
    def get_invitations(self, request) -> list[dict]:
        rows = list(request.invitations.all())
        if self._provider_view():
            provider = self.context.get("provider")
            rows = [row for row in rows if row.provider_id == getattr(provider, "pk", None)]
        return BrokerageInvitationSerializer(rows, many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contract_reference(self, request) -> str | None:
        return request.contract.reference if request.contract_id else None


class BrokerageRequestCreateSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="A line of a package the panel approved.")
    lot = serializers.IntegerField(
        required=False, help_text="The DPS lot; by default the one that fits the line."
    )
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False)
    needs_summary = serializers.CharField(required=False, max_length=5000)
    ratio = serializers.ChoiceField(choices=Ratio.choices, required=False)
    area = serializers.CharField(required=False, max_length=8)
    start_date = serializers.DateField(required=False)
    outcomes = serializers.CharField(required=False, max_length=5000)


class BrokerageRequestUpdateSerializer(serializers.Serializer):
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False)
    needs_summary = serializers.CharField(required=False, max_length=5000)
    ratio = serializers.ChoiceField(choices=Ratio.choices, required=False)
    area = serializers.CharField(required=False, max_length=8)
    start_date = serializers.DateField(required=False)
    outcomes = serializers.CharField(required=False, max_length=5000)


class SendSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    providers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Approved DPS members to send to; by default the lot's members.",
        max_length=200,
    )


class ResponseSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    rank = serializers.SerializerMethodField()
    price_score = serializers.SerializerMethodField()
    quality_score = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    total_score = serializers.SerializerMethodField()
    can_award = serializers.SerializerMethodField(
        help_text="Whether the caller may award the request to this answer now."
    )

    class Meta:
        model = BrokerageResponse
        fields = [
            "id",
            "provider",
            "provider_name",
            "can_meet",
            "price_per_unit",
            "start_date",
            "comments",
            "on_behalf",
            "received_at",
            "outcome",
            "outcome_on",
            "rank",
            "rating",
            "price_score",
            "quality_score",
            "total_score",
            "can_award",
        ]
        read_only_fields = fields

    def _ranked(self, response):
        return self.context.get("ranked", {}).get(response.pk)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rank(self, response) -> int | None:
        row = self._ranked(response)
        return row.rank if row else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rating(self, response) -> str | None:
        row = self._ranked(response)
        return row.rating if row else None

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True))
    def get_price_score(self, response) -> Decimal | None:
        row = self._ranked(response)
        return str(row.price_score) if row and row.price_score is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_quality_score(self, response) -> int | None:
        row = self._ranked(response)
        return row.quality_score if row else None

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True))
    def get_total_score(self, response) -> Decimal | None:
        row = self._ranked(response)
        return str(row.total) if row and row.total is not None else None

    def get_can_award(self, response) -> bool:
        """As the request and the answer declare the award (`states.may`)."""
        actor, request = self.context.get("actor"), self.context.get("brokerage_request")
        return bool(
            actor is not None
            and request is not None
            and states.may(request, "award", actor)
            and states.may(response, "award", actor)
        )


class ResponseCreateSerializer(serializers.Serializer):
    provider = serializers.IntegerField(
        required=False, help_text="Council staff answering on a provider's behalf name it."
    )
    can_meet = serializers.BooleanField()
    price_per_unit = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="In pounds, e.g. 27.50."
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AwardSerializer(serializers.Serializer):
    response = serializers.IntegerField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class SpotPurchaseSerializer(serializers.Serializer):
    provider = serializers.IntegerField()
    unit_rate = serializers.CharField(max_length=20, help_text="In pounds, e.g. 31.00.")
    reason = serializers.CharField(max_length=5000)
