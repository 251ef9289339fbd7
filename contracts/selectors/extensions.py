"""Reads of contract extensions."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from contracts.models import (
    Contract,
    Extension,
    ExtensionApproval,
    ExtensionStatus,
)
from contracts.selectors.visibility import readable_contracts
from shortbreaks.councils.selectors import access_by_id, get_or_not_found


def extensions_waiting() -> QuerySet[Extension]:
    """Extensions submitted and waiting for their approvals or the decision."""
    return Extension.objects.filter(status=ExtensionStatus.SUBMITTED)


def access_extension_by_id(*, actor, extension_id) -> Extension:
    readable = Extension.objects.filter(contract__in=readable_contracts(actor).values("pk"))
    return get_or_not_found(readable.select_related("contract"), pk=extension_id)


def access_extension_for_change(*, actor, extension_id) -> Extension:
    return access_by_id(Extension.objects.select_related("contract"), actor=actor, pk=extension_id)


# ----------------------------------------------------------------------------------------------
# Extensions by variation


def extension_list(*, actor, contract: Contract) -> QuerySet[Extension]:
    """A contract's extensions, oldest first, with their approvals (by date).

    `contract` is already one the actor may read (from `access_contract_by_id`)."""
    return (
        Extension.objects.filter(contract=contract)
        .select_related("contract")
        .prefetch_related("approvals")
        .order_by("created_at", "id")
    )


def extension_approval_list(*, extension: Extension) -> QuerySet[ExtensionApproval]:
    return ExtensionApproval.objects.filter(extension=extension)
