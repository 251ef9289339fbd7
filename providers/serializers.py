"""JSON for providers and services. Serializers check the shape of input; services decide."""

from __future__ import annotations

from rest_framework import serializers

from providers.models import (
    Need,
    PriceUnit,
    ProviderStatus,
    Ratio,
    Regulation4Category,
    Regulator,
    Setting,
    Weekday,
    When,
)
from shortbreaks.councils.models import Tier

MAX_AGE = 25
MAX_CAPACITY = 100_000


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    regulator = serializers.ChoiceField(choices=Regulator.choices)
    number = serializers.CharField(max_length=40)
    service_type = serializers.CharField(max_length=200)
    latest_rating = serializers.CharField(max_length=60)
    rating_date = serializers.DateField(allow_null=True)


class ProviderSerializer(serializers.Serializer):
    """A provider as this council records it. Status changes through its own endpoint."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    companies_house_number = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )
    charity_number = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    contact_email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, default=""
    )
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    website = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=ProviderStatus.choices, read_only=True)
    status_date = serializers.DateField(read_only=True, allow_null=True)
    status_reason = serializers.CharField(read_only=True)
    service_count = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ProviderDetailSerializer(ProviderSerializer):
    registrations = RegistrationSerializer(many=True, read_only=True)


class ProviderStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProviderStatus.choices)
    on = serializers.DateField(help_text="The date the status takes effect.")
    reason = serializers.CharField(max_length=2000)


def _choices(choices, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), **kwargs)


class LocationSerializer(serializers.Serializer):
    """A place a provider runs services from, with its address in parts."""

    id = serializers.IntegerField(read_only=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    name = serializers.CharField(max_length=200)
    address_1 = serializers.CharField(max_length=200)
    address_2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    town = serializers.CharField(max_length=100)
    county = serializers.CharField(max_length=100)
    postcode = serializers.CharField(max_length=8)
    latitude = serializers.DecimalField(
        max_digits=8,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
        default=None,
    )
    accessibility = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    transport = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    updated_at = serializers.DateTimeField(read_only=True)


class ScheduleSerializer(serializers.Serializer):
    """The days each week a service runs and its hours on those days."""

    id = serializers.IntegerField(read_only=True)
    days = _choices(
        Weekday.choices,
        allow_empty=False,
        max_length=len(Weekday.choices),
        help_text="iCalendar day codes, MO to SU.",
    )
    opens_at = serializers.TimeField(format="%H:%M")
    closes_at = serializers.TimeField(format="%H:%M")
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LocationIdsField(serializers.ListField):
    child = serializers.IntegerField(min_value=1)

    def get_attribute(self, instance):
        return [location.pk for location in instance.locations.all()]


class ServiceSerializer(serializers.Serializer):
    """A service: the offer the short breaks services statement publishes."""

    id = serializers.IntegerField(read_only=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    tier = serializers.ChoiceField(choices=Tier.choices)
    categories = _choices(
        Regulation4Category.choices,
        allow_empty=False,
        max_length=len(Regulation4Category.choices),
        help_text="Regulation 4 categories: at least one.",
    )
    setting = serializers.ChoiceField(choices=Setting.choices)
    ratios = _choices(Ratio.choices, required=False, default=list, max_length=len(Ratio.choices))
    age_from = serializers.IntegerField(min_value=0, max_value=MAX_AGE, required=False, default=0)
    age_to = serializers.IntegerField(min_value=0, max_value=MAX_AGE, required=False, default=18)
    areas = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    when = _choices(When.choices, required=False, default=list, max_length=len(When.choices))
    price_unit = serializers.ChoiceField(
        choices=PriceUnit.choices, required=False, allow_blank=True, default=""
    )
    price = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
    )
    capacity_available = serializers.IntegerField(
        min_value=0, max_value=MAX_CAPACITY, required=False, allow_null=True, default=None
    )
    capacity_maximum = serializers.IntegerField(
        min_value=0, max_value=MAX_CAPACITY, required=False, allow_null=True, default=None
    )
    capacity_unit = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    capacity_updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    accessibility = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    how_to_access = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    url = serializers.URLField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The service's web page; blank for the provider's website.",
    )
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank for the provider's contact email address.",
    )
    phone = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank for the provider's contact telephone number.",
    )
    needs = _choices(
        Need.choices,
        required=False,
        default=list,
        max_length=len(Need.choices),
        help_text="The areas of need it is set up for.",
    )
    locations = LocationIdsField(
        required=False,
        max_length=100,
        help_text="Ids of the provider's locations where it runs.",
    )
    schedules = ScheduleSerializer(many=True, read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        # The same value may be ticked twice in JSON; the record holds each once, in order.
        for name in ("categories", "ratios", "when", "needs"):
            if name in attrs:
                attrs[name] = list(dict.fromkeys(attrs[name]))
        return attrs
