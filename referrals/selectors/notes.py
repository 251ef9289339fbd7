"""Reads of a child's case notes."""

from __future__ import annotations

from django.db.models import QuerySet

from referrals.models import CaseNote, Child
from shortbreaks.councils.selectors import get_or_not_found, scoped


def case_note_list(*, actor, child: Child) -> QuerySet[CaseNote]:
    """The child's case notes, newest first; none for anyone who may not read them."""
    if not actor.is_authenticated or not actor.has_perm("referrals.view_casenote"):
        return CaseNote.objects.none()
    return (
        scoped(CaseNote.objects.filter(child=child), actor=actor)
        .select_related("author", "corrects")
        .order_by("-on", "-id")
    )


def access_case_note_by_id(*, actor, child: Child, note_id) -> CaseNote:
    """One note of one child of the actor's council; another child's is exactly as missing."""
    return get_or_not_found(case_note_list(actor=actor, child=child), pk=note_id)
