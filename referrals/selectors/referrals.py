"""Reads of referrals: one referral, the list and the search."""

from __future__ import annotations

from django.db.models import QuerySet

from referrals.models import Referral
from referrals.selectors.children import child_list
from referrals.selectors.common import _readable
from shortbreaks.councils.selectors import get_or_not_found
from shortbreaks.search import clean


def access_referral_by_id(*, actor, referral_id) -> Referral:
    return get_or_not_found(
        _readable(Referral.objects.select_related("child"), actor), pk=referral_id
    )


def referral_list(*, actor, status: str = "") -> QuerySet[Referral]:
    referrals = _readable(Referral.objects.select_related("child"), actor)
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by("-received_on", "-id")


def referral_search(*, actor, search: str) -> QuerySet[Referral]:
    """The referrals of the children a search finds (by name, child id, NHS number, postcode or
    UPN, as `child_list`), newest first. A blank search finds none."""
    if not clean(search):
        return Referral.objects.none()
    children = child_list(actor=actor, search=search).order_by().values("pk")
    return (
        _readable(Referral.objects.select_related("child"), actor)
        .filter(child__in=children)
        .order_by("-received_on", "-id")
    )
