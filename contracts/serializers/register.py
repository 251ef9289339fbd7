"""JSON shapes of the contracts register: contracts with their lots and awards, and the input
that creates or changes them. Input serializers only check the shape; services decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.models import (
    NAMED_STATUSES,
    ContractKind,
    ContractStatus,
    ProcurementMethod,
)
from contracts.serializers.participation import ParticipationSerializer
from shortbreaks.councils.models import Council

MONEY = {"max_digits": 12, "decimal_places": 2}
BIGGEST_ID = 2**63 - 1


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class AwardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = NamedRefSerializer()
    rates = serializers.CharField()
    capacity = serializers.CharField()
    value = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Over the contract's whole term, before extensions."
    )
    awarded_on = serializers.DateField(allow_null=True, help_text="The date of the award.")

    def to_representation(self, award) -> dict:
        # The same JSON as the declared fields give, built directly: a page of the register holds
        # hundreds of awards in a big council, and DRF's field-by-field machinery cost more per
        # award than reading them.
        provider, value, awarded_on = award.provider, award.value, award.awarded_on
        return {
            "id": award.id,
            "provider": {"id": provider.id, "name": str(provider.name)},
            "rates": str(award.rates),
            "capacity": str(award.capacity),
            "value": None if value is None else self.fields["value"].to_representation(value),
            "awarded_on": None if awarded_on is None else awarded_on.isoformat(),
        }


class LotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    services = serializers.SerializerMethodField(help_text="Ids of the services in this lot.")
    awards = AwardSerializer(many=True, read_only=True, source="award_list")

    def get_services(self, lot) -> list[int]:
        # Read for the whole page by contracts.selectors.register.attach_lot_services.
        return [service.pk for service in lot.service_list]

    def to_representation(self, lot) -> dict:
        # As AwardSerializer's: the declared fields' JSON, built directly for a page's lots.
        award = self.fields["awards"].child
        return {
            "id": lot.id,
            "number": lot.number,
            "name": str(lot.name),
            "description": str(lot.description),
            "services": self.get_services(lot),
            "awards": [award.to_representation(each) for each in lot.award_list],
        }


class ContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    status = serializers.ChoiceField(
        choices=ContractStatus.choices,
        source="current_status",
        help_text="The state today: past its end date with no approved extension, `expired`.",
    )
    procurement_route = serializers.CharField()
    procurement_method = serializers.ChoiceField(
        choices=ProcurementMethod.choices,
        allow_blank=True,
        help_text="How the provider was chosen (the OCDS method codelist); empty if not known.",
    )
    date_signed = serializers.DateField(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    max_extent_date = serializers.DateField(allow_null=True)
    annual_value = serializers.DecimalField(**MONEY, allow_null=True)
    total_value = serializers.DecimalField(**MONEY, allow_null=True)
    recommissioning_started_on = serializers.DateField(allow_null=True)
    lead_council = serializers.CharField(source="council.slug", help_text="The lead council.")
    participating_councils = serializers.SerializerMethodField(
        help_text="The other councils of a joint commission, who read it only. The lead council "
        "sees every council it named, invited or taking part; a participant, those taking part."
    )
    participants = serializers.SerializerMethodField(
        help_text="Each council's part with its status. The lead council sees every council it "
        "invited (invited, accepted, declined, withdrawn); a participant, those that accepted."
    )
    overrunning_lines = serializers.IntegerField(
        read_only=True,
        help_text="Overrunning: how many package lines still run on the lots of this expired "
        "contract; 0 when it runs, or when nothing runs on past its end.",
    )
    lots = LotSerializer(many=True, read_only=True, source="lot_list")
    contract_manager = PersonRefSerializer(allow_null=True, read_only=True)

    def get_participating_councils(self, contract) -> list[str]:
        return [p.council.slug for p in contract.participation_list if p.status in NAMED_STATUSES]

    @extend_schema_field(ParticipationSerializer(many=True))
    def get_participants(self, contract) -> list[dict]:
        if not contract.participation_list:
            # Most contracts are the council's own: no serializer to build for nothing.
            return []
        return ParticipationSerializer(contract.participation_list, many=True).data

    # What the register's reads give each contract (`attach_contract_lots`, the participations'
    # prefetch and `with_overrun`).
    _PREFETCHED = ("lot_list", "participation_list", "overrunning_lines")

    def to_representation(self, contract) -> dict:
        # The declared fields' JSON, built directly (see AwardSerializer): a page of 50
        # contracts with their lots and awards. A contract read without the register's prefetch
        # and overrun count takes DRF's own way.
        if not all(hasattr(contract, name) for name in self._PREFETCHED):
            return super().to_representation(contract)
        fields = self.fields

        def day(value):
            return None if value is None else value.isoformat()

        def money(name):
            value = getattr(contract, name)
            return None if value is None else fields[name].to_representation(value)

        manager = contract.contract_manager
        lot = fields["lots"].child
        return {
            "id": contract.id,
            "reference": str(contract.reference),
            "title": str(contract.title),
            "kind": fields["kind"].to_representation(contract.kind),
            "status": fields["status"].to_representation(contract.current_status),
            "procurement_route": str(contract.procurement_route),
            "procurement_method": fields["procurement_method"].to_representation(
                contract.procurement_method
            ),
            "date_signed": day(contract.date_signed),
            "start_date": day(contract.start_date),
            "end_date": day(contract.end_date),
            "max_extent_date": day(contract.max_extent_date),
            "annual_value": money("annual_value"),
            "total_value": money("total_value"),
            "recommissioning_started_on": day(contract.recommissioning_started_on),
            "lead_council": str(contract.council.slug),
            "participating_councils": self.get_participating_councils(contract),
            "participants": self.get_participants(contract),
            "overrunning_lines": int(contract.overrunning_lines),
            "lots": [lot.to_representation(each) for each in contract.lot_list],
            "contract_manager": None
            if manager is None
            else fields["contract_manager"].to_representation(manager),
        }


class ContractWriteSerializer(serializers.Serializer):
    """A contract as POST records it and PATCH changes it. Once a contract is active, the end
    date and total value change only through an approved extension (409 otherwise)."""

    reference = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    procurement_route = serializers.CharField(max_length=200, allow_blank=True, required=False)
    procurement_method = serializers.ChoiceField(
        choices=ProcurementMethod.choices,
        allow_blank=True,
        required=False,
        help_text="How the provider was chosen (the OCDS method codelist); empty if not known.",
    )
    date_signed = serializers.DateField(allow_null=True, required=False)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    max_extent_date = serializers.DateField(allow_null=True, required=False)
    annual_value = serializers.DecimalField(**MONEY, min_value=0, allow_null=True, required=False)
    total_value = serializers.DecimalField(**MONEY, min_value=0, allow_null=True, required=False)
    recommissioning_started_on = serializers.DateField(allow_null=True, required=False)
    participating_councils = serializers.SlugRelatedField(
        many=True,
        slug_field="slug",
        queryset=Council.objects.all(),
        required=False,
        help_text="Slugs of the other councils in a joint commission. Each new one is invited "
        "and reads the contract once its commissioner accepts; one left out has its invitation "
        "or its part withdrawn.",
    )


class LotCreateSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=999)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    services = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGGEST_ID),
        required=False,
        default=list,
        help_text="Ids of the council's services in this lot.",
    )


class AwardCreateSerializer(serializers.Serializer):
    lot = serializers.IntegerField(
        min_value=1, max_value=BIGGEST_ID, help_text="The id of one of the contract's lots."
    )
    provider = serializers.IntegerField(
        min_value=1, max_value=BIGGEST_ID, help_text="The id of one of the council's providers."
    )
    rates = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    capacity = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    value = serializers.DecimalField(
        **MONEY,
        min_value=0,
        allow_null=True,
        required=False,
        help_text="Over the contract's whole term, before any extension: the awards of a "
        "contract add up to no more than its total value.",
    )
    awarded_on = serializers.DateField(
        allow_null=True, required=False, help_text="The date of the award."
    )
