"""Block places, bookings and the waiting list in JSON, and the input that changes them. Input
serializers check the shape only; the services decide."""

from __future__ import annotations

from rest_framework import serializers

from bookings.models import (
    MAX_DAYS,
    MAX_PLACES,
    BlockPlaces,
    Booking,
    PlaceUnit,
    WaitingListEntry,
)

BIGGEST_ID = 2**63 - 1


def _id_field(help_text: str, **kwargs):
    return serializers.IntegerField(
        min_value=1, max_value=BIGGEST_ID, help_text=help_text, **kwargs
    )


class BlockPlacesSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    contract_reference = serializers.CharField(source="contract.reference", read_only=True)
    lot = serializers.IntegerField(source="lot_id", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    award = serializers.IntegerField(source="award_id", read_only=True)
    provider = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = BlockPlaces
        fields = [
            "id",
            "award",
            "contract",
            "contract_reference",
            "lot",
            "lot_number",
            "provider",
            "unit",
            "places",
            "hours_per_session",
        ]
        read_only_fields = fields


class BlockPlacesSetSerializer(serializers.Serializer):
    award = _id_field("The award of a block contract or agreement whose places these are.")
    unit = serializers.ChoiceField(choices=PlaceUnit.choices)
    places = serializers.IntegerField(min_value=1, max_value=MAX_PLACES)
    hours_per_session = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="For places a session: how long a session lasts.",
    )


class ChildNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class BookingSerializer(serializers.ModelSerializer):
    places = serializers.IntegerField(source="places_id", read_only=True)
    provider = serializers.CharField(source="places.provider.name", read_only=True)
    lot = serializers.IntegerField(source="places.lot_id", read_only=True)
    unit = serializers.CharField(source="places.unit", read_only=True)
    child = ChildNameSerializer(read_only=True)
    line = serializers.IntegerField(source="line_id", read_only=True)
    delivery = serializers.IntegerField(source="delivery_id", read_only=True, allow_null=True)
    days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "places",
            "provider",
            "lot",
            "unit",
            "child",
            "line",
            "first_day",
            "last_day",
            "days",
            "status",
            "booked_at",
            "cancelled_on",
            "cancelled_late",
            "cancel_reason",
            "delivered_on",
            "delivery",
        ]
        read_only_fields = fields


class ProviderBookingSerializer(serializers.ModelSerializer):
    """What provider staff read of a booking at their own places: the child's first name only."""

    places = serializers.IntegerField(source="places_id", read_only=True)
    unit = serializers.CharField(source="places.unit", read_only=True)
    child_first_name = serializers.CharField(source="child.first_name", read_only=True)
    days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "places",
            "unit",
            "child_first_name",
            "first_day",
            "last_day",
            "days",
            "status",
        ]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    places = _id_field("The block places to book.")
    line = _id_field("The child's active package line on the places' lot.")
    first_day = serializers.DateField(help_text="The first night (the date it begins) or session.")
    days = serializers.IntegerField(
        min_value=1, max_value=MAX_DAYS, default=1, help_text="Consecutive nights or sessions."
    )


class BookingFullSerializer(serializers.Serializer):
    detail = serializers.CharField()
    full_days = serializers.ListField(child=serializers.DateField())


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BookingDeliverSerializer(serializers.Serializer):
    acknowledge_threshold = serializers.BooleanField(
        default=False,
        help_text="The person knows the stay passes 17 nights in a row or 75 in 12 months.",
    )


class WaitingListEntrySerializer(serializers.ModelSerializer):
    places = serializers.IntegerField(source="places_id", read_only=True)
    provider = serializers.CharField(source="places.provider.name", read_only=True)
    child = ChildNameSerializer(read_only=True)
    line = serializers.IntegerField(source="line_id", read_only=True)
    booking = serializers.IntegerField(source="booking_id", read_only=True, allow_null=True)
    offered_after = serializers.IntegerField(
        source="offered_after_id", read_only=True, allow_null=True
    )

    class Meta:
        model = WaitingListEntry
        fields = [
            "id",
            "places",
            "provider",
            "child",
            "line",
            "first_day",
            "last_day",
            "status",
            "added_at",
            "offered_at",
            "offered_after",
            "booking",
            "withdrawn_reason",
        ]
        read_only_fields = fields


class WaitingListFilterSerializer(serializers.Serializer):
    places = _id_field("Only the waiting list of these block places.", required=False)


class WaitingWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CalendarQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM; this month if not given."
    )


class CalendarDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    places = serializers.IntegerField()
    taken = serializers.IntegerField()
    free = serializers.IntegerField()


class UtilisationSerializer(serializers.Serializer):
    month = serializers.DateField()
    paid_for = serializers.IntegerField()
    used = serializers.IntegerField()
    booked = serializers.IntegerField()
    cancelled_late = serializers.IntegerField()
    left_empty = serializers.IntegerField()
