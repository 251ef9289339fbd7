"""Reads of reviews of packages."""

from __future__ import annotations

from django.db.models import QuerySet

from referrals.models import Review
from referrals.selectors.common import _readable
from shortbreaks.councils.selectors import get_or_not_found


def access_review_by_id(*, actor, review_id) -> Review:
    return get_or_not_found(
        _readable(Review.objects.select_related("package__child", "reassessment"), actor),
        pk=review_id,
    )


def review_list(*, actor, package_id: int | None = None) -> QuerySet[Review]:
    """Reviews of the actor's council, newest first, with what a list shows in one query."""
    reviews = _readable(Review.objects.select_related("package", "reassessment"), actor)
    if package_id is not None:
        reviews = reviews.filter(package_id=package_id)
    return reviews.order_by("-held_on", "-id")
