"""JSON for children, their timeline and the caseload. Serializers check the shape of input;
the services decide (a unique NHS number, a keyworker of the council, a date in the past). The
tier is read only: only services move it."""

from __future__ import annotations

from rest_framework import serializers

from referrals.census_codes import Ethnicity, Sex, UPNUnknown
from referrals.models import ChildTier, Disability
from referrals.nhs import is_valid_nhs_number
from shortbreaks.pagination import NumberedPagePagination
from shortbreaks.serializers import PlainListSerializer

NHS_MESSAGE = "Enter a valid NHS number: 10 digits, like 943 476 5919."
TIER_MESSAGE = "A child's tier cannot be set: it changes only with a grant, assessment or review."


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


SEARCH_HELP = (
    "Words of a name (close spellings match too), part of a child id or NHS number (spaces "
    "ignored), or a whole UPN or postcode."
)
SEARCH_IN_ADDRESS = (
    "Search terms are not taken in the address, where names and NHS numbers would be kept in "
    "logs and histories: POST them to /api/v1/children/search/."
)


class ChildSearchSerializer(serializers.Serializer):
    """A search, in the body of a POST: never in an address."""

    search = serializers.CharField(max_length=100, help_text=SEARCH_HELP)
    tier = serializers.ChoiceField(choices=ChildTier.choices, required=False)
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=200, default=50, help_text="Rows a page."
    )
    format = serializers.ChoiceField(
        choices=["csv", "xlsx"],
        required=False,
        help_text="csv or xlsx: every child the search finds, as a download (not a page); "
        "`?format=` in the address does the same.",
    )


class CarerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    relationship = serializers.CharField(read_only=True)
    contact = serializers.CharField(read_only=True)
    own_needs = serializers.CharField(read_only=True)


class TierChangeSerializer(serializers.Serializer):
    on = serializers.DateField(read_only=True)
    from_tier = serializers.ChoiceField(choices=ChildTier.choices, read_only=True)
    to_tier = serializers.ChoiceField(choices=ChildTier.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    decided_by = serializers.SerializerMethodField()

    def get_decided_by(self, change) -> str:
        return str(change.decided_by) if change.decided_by_id else ""


class ChildSerializer(serializers.Serializer):
    """A child's record. `keyworker` is the id of one of the council's social workers or team
    managers; left out when adding a child, it is the person adding them."""

    id = serializers.IntegerField(read_only=True)
    council_child_id = _text(
        40, help_text="The council's own case number; one is made when none is given."
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    nhs_number = _text(14, help_text="10 digits with a modulus 11 check digit; spaces allowed.")
    upn = _text(13, help_text="Unique pupil number.")
    address = _text(1000)
    postcode = _text(10)
    disabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Disability.choices),
        required=False,
        default=list,
        max_length=len(Disability.values),
        help_text="DfE children in need disability codes.",
    )
    communication_needs = _text(5000)
    school = _text(200)
    # The children in need census items (referrals/census.py)
    former_upn = _text(13, help_text="A unique pupil number the child had before.")
    upn_unknown_reason = serializers.ChoiceField(
        choices=UPNUnknown.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why there is no UPN (DfE codes UN1 to UN7).",
    )
    sex = serializers.ChoiceField(
        choices=Sex.choices, required=False, allow_blank=True, default="", help_text="M, F or U."
    )
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="DfE ethnicity code.",
    )
    expected_date_of_birth = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="For a child referred unborn."
    )
    date_of_death = serializers.DateField(required=False, allow_null=True, default=None)
    keyworker = serializers.IntegerField(
        source="keyworker_id", required=False, allow_null=True, min_value=1
    )
    keyworker_name = serializers.SerializerMethodField()
    tier = serializers.ChoiceField(
        choices=ChildTier.choices, read_only=True, help_text="Changed only by services."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        # A page of children (the list and the search) is read without DRF's work for each
        # field of each row: the same JSON (tests/shortbreaks/test_plain_list_serializer.py).
        list_serializer_class = PlainListSerializer

    def get_keyworker_name(self, child) -> str:
        named = getattr(child, "keyworker_name", None)  # children.with_keyworker_name's
        if named is not None:
            return named
        return str(child.keyworker) if child.keyworker_id else ""

    def validate_nhs_number(self, value: str) -> str:
        if value and not is_valid_nhs_number(value):
            raise serializers.ValidationError(NHS_MESSAGE)
        return value

    def validate(self, attrs: dict) -> dict:
        if "tier" in getattr(self, "initial_data", {}):
            raise serializers.ValidationError({"tier": [TIER_MESSAGE]})
        return attrs


class ChildDetailSerializer(ChildSerializer):
    carers = CarerSerializer(many=True, read_only=True)
    tier_changes = TierChangeSerializer(many=True, read_only=True)
    merged_into = serializers.IntegerField(
        source="merged_into_id",
        read_only=True,
        allow_null=True,
        help_text="A duplicate merged into another record: that record's id, where everything "
        "recorded about the child now is; null for a record in use.",
    )


class ChildSearchResultSerializer(serializers.Serializer):
    """One page of a search, closest names first. The next page is asked for with `page` in the
    next POST: a link would have to carry the terms."""

    page = serializers.IntegerField()
    next_page = serializers.IntegerField(allow_null=True)
    results = ChildSerializer(many=True)


class TimelineEntrySerializer(serializers.Serializer):
    on = serializers.DateField()
    at = serializers.DateTimeField(allow_null=True)
    kind = serializers.ChoiceField(
        choices=[
            "referral",
            "document",
            "tier",
            "assessment",
            "panel",
            "review",
            "package",
            "grant",
            "record",
            "note",
            "carer",
        ]
    )
    summary = serializers.CharField()
    actor = serializers.CharField(help_text="Who did it; empty when not recorded.")


class TimelineSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    results = TimelineEntrySerializer(many=True)


class CaseloadQuerySerializer(serializers.Serializer):
    worker = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A team manager may ask for a worker in their team; others get their own.",
    )
    page = serializers.IntegerField(
        required=False, min_value=1, max_value=NumberedPagePagination.max_page, default=1
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        default=NumberedPagePagination.page_size,
        help_text=f"Items a page; more than {NumberedPagePagination.max_page_size} is "
        f"{NumberedPagePagination.max_page_size}.",
    )


class CaseloadItemSerializer(serializers.Serializer):
    child = serializers.IntegerField(source="child.pk")
    child_name = serializers.CharField(source="child.full_name")
    kind = serializers.ChoiceField(
        choices=["referral", "assessment", "authorisation", "package", "review", "grant"]
    )
    what = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    record = serializers.IntegerField(source="record_id", help_text="The id of the record due.")


class CaseloadSerializer(serializers.Serializer):
    worker = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="How many items are overdue, on every page.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.URLField(allow_null=True, help_text="The page before, or null.")
    results = CaseloadItemSerializer(many=True)
