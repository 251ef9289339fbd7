"""What the contracts app adds to the home page (listed in settings.HOME_PANELS)."""

from __future__ import annotations

from contracts.selectors.participation import invitation_waiting_count
from contracts.selectors.register import notices_for, overrunning_contracts_for

PANEL_TEMPLATE = "contracts/_notices_panel.html"
INVITATIONS_TEMPLATE = "contracts/_invitations_panel.html"
OVERRUNNING_TEMPLATE = "contracts/_overrunning_panel.html"
OVERRUNNING_SHOWN = 10


def expiry_notices(request) -> dict | None:
    """The signed-in person's expiry reminders that they have not dismissed.

    One notice a contract, the nearest threshold. A reminder about an end date the contract no
    longer has (an extension moved it) is left out: the new end date arms its own reminders.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    notices, seen = [], set()
    for notice in notices_for(user=user).order_by("contract__end_date", "months_before", "-id"):
        if notice.contract_id in seen or notice.end_date != notice.contract.end_date:
            continue
        seen.add(notice.contract_id)
        notices.append(notice)
    if not notices:
        return None
    return {"template": PANEL_TEMPLATE, "notices": notices}


def joint_contract_invitations(request) -> dict | None:
    """For a commissioner: how many other councils' invitations to joint contracts wait for the
    council's answer, linking to them."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not user.has_perm("contracts.answer_invitation")
    ):
        return None
    waiting = invitation_waiting_count(actor=user)
    if not waiting:
        return None
    return {"template": INVITATIONS_TEMPLATE, "waiting": waiting}


def overrunning_contracts(request) -> dict | None:
    """For a commissioner, the council's overrunning contracts; for a contract manager, those
    they manage: expired, with support still running on them. The first few, linking to all."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    contracts = list(overrunning_contracts_for(actor=user)[: OVERRUNNING_SHOWN + 1])
    if not contracts:
        return None
    return {
        "template": OVERRUNNING_TEMPLATE,
        "contracts": contracts[:OVERRUNNING_SHOWN],
        "more": len(contracts) > OVERRUNNING_SHOWN,
    }
