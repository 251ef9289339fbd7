from rest_framework import serializers


class MembershipSerializer(serializers.Serializer):
    council = serializers.CharField(source="council.slug")
    council_name = serializers.CharField(source="council.name")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    council = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, source="memberships_list")

    def get_council(self, user) -> str | None:
        return user.active_council.slug if user.active_council else None

    def get_roles(self, user) -> list[str]:
        return sorted(user.active_roles)


class SwitchCouncilSerializer(serializers.Serializer):
    council = serializers.SlugField(help_text="The slug of one of your councils.")


class TokenRequestSerializer(serializers.Serializer):
    # No account's email address or username is longer (and the lockout's records hold 255).
    username = serializers.CharField(max_length=254)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=4096
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`. Shown once: only its digest is kept."
    )
    expiry = serializers.DateTimeField(
        help_text="When the token ends if it is not used; each use moves this on by the idle "
        "timeout (30 minutes), never past absolute_expiry."
    )
    absolute_expiry = serializers.DateTimeField(
        help_text="When the token ends however busy it is (10 hours after it was issued)."
    )


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    tiers = serializers.ListField(
        child=serializers.CharField(), source="organisation.tiers", default=list
    )


class CouncilSettingsSerializer(serializers.Serializer):
    """The council's own settings, kept by its council administrator."""

    council = serializers.CharField(source="slug", read_only=True)
    name = serializers.CharField(read_only=True)
    accessibility_email = serializers.EmailField(
        allow_null=True,
        help_text="Where people ask for another format or report an accessibility problem "
        "(null when the council has not given one).",
    )
    accessibility_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    accessibility_response_days = serializers.IntegerField(
        min_value=1,
        max_value=60,
        help_text="Working days within which the accessibility statement promises an answer.",
    )

    def validate_accessibility_email(self, value):
        return value or ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["accessibility_email"] = data["accessibility_email"] or None
        return data
