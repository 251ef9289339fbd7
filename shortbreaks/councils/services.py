"""Writes about councils and people. Each takes keyword-only arguments and the actor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import Council, Membership, Organisation, Team, User


def user_switch_council(*, actor: User, council_slug: str, request=None) -> Council:
    """Make one of the actor's own councils their active council.

    A council where they hold no role is refused with the same message as one that does not
    exist, so a slug reveals nothing.
    """
    refusal = ValidationError({"council": "Choose one of your councils."})
    try:
        validate_slug(council_slug)
    except ValidationError:
        raise refusal from None
    council = Council.objects.filter(slug=council_slug, membership__user=actor).first()
    if council is None:
        raise refusal
    with transaction.atomic():
        actor.active_council = council
        actor.save(update_fields=["active_council"])
        actor.__dict__.pop("active_roles", None)
        access_log_record(
            actor=actor, request=request, action="change", obj=council, outcome="allowed"
        )
    return council


def user_ensure_active_council(*, user: User) -> Council | None:
    """Keep the active council one where the person holds a role; pick their first if not."""
    if (
        user.active_council_id
        and Membership.objects.filter(user=user, council_id=user.active_council_id).exists()
    ):
        return user.active_council
    first = Council.objects.filter(membership__user=user).order_by("name").first()
    if first != user.active_council:
        user.active_council = first
        user.save(update_fields=["active_council"])
        user.__dict__.pop("active_roles", None)
    return first


def council_create(*, name: str, slug: str) -> Council:
    council = Council(name=name, slug=slug)
    council.full_clean()
    council.save()
    return council


def organisation_create(*, council: Council, name: str, tiers: list[str]) -> Organisation:
    from shortbreaks.councils.models import Tier

    unknown = set(tiers) - set(Tier.values)
    if unknown:
        raise ValidationError({"tiers": f"Unknown tiers: {', '.join(sorted(unknown))}."})
    organisation, _ = Organisation.objects.update_or_create(
        council=council, name=name, defaults={"tiers": list(tiers)}
    )
    return organisation


def team_create(*, council: Council, name: str, organisation: Organisation | None = None) -> Team:
    if organisation is not None and organisation.council_id != council.pk:
        raise ValidationError({"organisation": "That organisation acts for another council."})
    team, _ = Team.objects.update_or_create(
        council=council, name=name, defaults={"organisation": organisation}
    )
    return team


def membership_grant(
    *,
    user: User,
    council: Council,
    role: str,
    organisation: Organisation | None = None,
    team: Team | None = None,
) -> Membership:
    for thing in (organisation, team):
        if thing is not None and thing.council_id != council.pk:
            raise ValidationError("A membership's organisation and team must be the council's own.")
    membership, _ = Membership.objects.update_or_create(
        user=user,
        council=council,
        role=role,
        defaults={"organisation": organisation, "team": team},
    )
    if user.active_council_id is None:
        user.active_council = council
        user.save(update_fields=["active_council"])
    user.__dict__.pop("active_roles", None)
    return membership
