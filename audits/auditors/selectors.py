"""Reads about external auditors. The council's auditors and administrators see whom it invited
and where each invitation got to; the invited person reaches their invitation only through the
token in the emailed link (stored as its SHA-256), never by id."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from audits.auditors.services import VIEW_AUDITORS, token_hash
from audits.models import ExternalAuditor, ExternalAuditorInvitation
from shortbreaks import rls
from shortbreaks.councils.selectors import scoped


def external_auditor_list(*, actor) -> QuerySet[ExternalAuditor]:
    """The council's external auditors, by name, each with its invitations newest first."""
    if not actor.has_perm(VIEW_AUDITORS):
        return ExternalAuditor.objects.none()
    invitations = ExternalAuditorInvitation.objects.select_related("invited_by").order_by(
        "-created_at", "-id"
    )
    return (
        scoped(ExternalAuditor.objects.select_related("user"), actor=actor)
        .prefetch_related(Prefetch("invitations", queryset=invitations))
        .order_by("user__last_name", "user__first_name", "id")
    )


def invitation_list(*, actor) -> QuerySet[ExternalAuditorInvitation]:
    """The council's invitations to external auditors, newest first."""
    if not actor.has_perm(VIEW_AUDITORS):
        return ExternalAuditorInvitation.objects.none()
    return scoped(
        ExternalAuditorInvitation.objects.select_related("auditor__user", "invited_by"),
        actor=actor,
    ).order_by("-created_at", "-id")


def invitation_by_hash(*, hashed: str, pk=None) -> ExternalAuditorInvitation | None:
    """The invitation whose link's token hashes to `hashed`, in whichever council made it: the
    link is all its follower has (no sign-in, no council in the address). Only that row is read;
    the view then works in its council (shortbreaks.rls)."""
    if not hashed:
        return None
    queryset = ExternalAuditorInvitation.objects.select_related("auditor__user", "council")
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    with rls.all_councils():
        return queryset.filter(token_hash=hashed).first()


def invitation_by_token(*, token: str) -> ExternalAuditorInvitation | None:
    """The invitation this link's token opens, whatever its state; None for an unknown one."""
    if not token or len(token) > 100:
        return None
    return invitation_by_hash(hashed=token_hash(token))
