"""Reads of the documents attached to referrals."""

from __future__ import annotations

from referrals.models import ReferralDocument
from referrals.selectors.common import _readable
from shortbreaks.councils.selectors import get_or_not_found


def access_document_by_id(*, actor, document_id) -> ReferralDocument:
    return get_or_not_found(
        _readable(ReferralDocument.objects.select_related("referral__child"), actor),
        pk=document_id,
    )
