"""Documents attached to a referral: forms and letters, checked from their bytes."""

from __future__ import annotations

from django.db import transaction

from referrals.models import Referral, ReferralDocument
from referrals.services.common import MANAGE, _own
from shortbreaks.documents.uploads import check_upload, save_with_file
from shortbreaks.permissions import require_perm


@transaction.atomic
def referral_document_add(
    *, actor, referral: Referral, upload, name: str = "", description: str = ""
) -> ReferralDocument:
    """Attach a form or letter. The type is found from the bytes; the stored name is the
    server's own; the name the file came with is kept only to show."""
    require_perm(actor, MANAGE)
    _own(actor, referral)
    checked = check_upload(upload, name=name)
    document = ReferralDocument(
        council=referral.council,
        referral=referral,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description[:200],
        uploaded_by=actor,
    )
    save_with_file(document, checked)
    return document
