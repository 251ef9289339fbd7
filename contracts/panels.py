"""What the contracts app adds to the home page (listed in settings.HOME_PANELS)."""

from __future__ import annotations

from contracts.selectors import invitation_waiting_count, notices_for

PANEL_TEMPLATE = "contracts/_notices_panel.html"
INVITATIONS_TEMPLATE = "contracts/_invitations_panel.html"


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
