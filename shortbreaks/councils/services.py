"""Writes about councils and people. Each takes keyword-only arguments and the actor."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

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
        actor.forget_roles()
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
        user.forget_roles()
    return first


def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A fresh API token for one sign-in, and the token itself (shown once, never stored).

    The row keeps only the token's digest. It ends after settings.API_TOKEN_IDLE_TIMEOUT unused
    and API_TOKEN_ABSOLUTE_TIMEOUT in all (shortbreaks.councils.authentication). The person's
    tokens that have already ended are deleted here.
    """
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user, expiry=settings.API_TOKEN_IDLE_TIMEOUT)


def api_token_revoke(*, actor: User, token: AuthToken) -> None:
    """End one of the actor's own tokens (the one they sign out of the API with)."""
    if token.user_id != actor.pk:
        raise ValidationError("That token is not yours.")
    AuthToken.objects.filter(pk=token.pk).delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """End every API token of one person: at sign-out, at lockout, at a password change."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def api_tokens_revoke_for_username(*, username: str | None) -> int:
    """End every API token of the account signed in to with `username` (the lockout's key)."""
    if not username:
        return 0
    deleted, _ = AuthToken.objects.filter(**{f"user__{User.USERNAME_FIELD}": username}).delete()
    return deleted


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
    user.forget_roles()
    return membership


MAX_RESPONSE_DAYS = 60


@transaction.atomic
def council_accessibility_update(
    *, actor: User, email: str, phone: str = "", response_days: int
) -> Council:
    """Whom people contact about the accessibility of the council's pages and documents, and
    within how many working days they get an answer. The accessibility statement shows them."""
    from shortbreaks.permissions import require_perm

    require_perm(actor, "councils.manage_settings")
    errors = {}
    if not email.strip():
        errors["email"] = "Enter the email address people write to about accessibility."
    if not 1 <= response_days <= MAX_RESPONSE_DAYS:
        errors["response_days"] = f"Enter a number of working days from 1 to {MAX_RESPONSE_DAYS}."
    if errors:
        raise ValidationError(errors)
    council = actor.active_council
    council.accessibility_email = email.strip()
    council.accessibility_phone = phone.strip()
    council.accessibility_response_days = response_days
    council.full_clean()
    council.save(
        update_fields=[
            "accessibility_email",
            "accessibility_phone",
            "accessibility_response_days",
        ]
    )
    return council
