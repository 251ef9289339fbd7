"""Documents kept with a contract: the signed contract, variation notices, decision records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts import events
from contracts.models import (
    Contract,
    ContractDocument,
)
from contracts.services.participation import MANAGE, require_lead
from shortbreaks.documents.uploads import check_upload, save_with_file
from shortbreaks.permissions import require_perm


@transaction.atomic
def contract_document_add(
    *, actor, contract: Contract, upload, title: str, name: str = ""
) -> ContractDocument:
    """Keep a document with the contract (lead council only). The type is found from the
    bytes; the stored name is the server's own; the name the file came with is only shown."""
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    if not title.strip():
        raise ValidationError(
            {"title": "Enter what the document is, for example the signed contract."}
        )
    checked = check_upload(upload, name=name)
    document = ContractDocument(
        council=contract.council,
        contract=contract,
        title=title.strip()[:200],
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    save_with_file(document, checked)
    events.document_added(document, actor=actor)
    return document
