"""What every service of referrals shares: the permissions they ask for, the check that a record
is the acting council's own, the row lock and the refusal of missing text."""

from __future__ import annotations

from django.db.models import Model

from shortbreaks.councils.errors import RecordNotFound

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AUTHORISE = "referrals.authorise_assessment"
PANEL = "referrals.record_panel_decision"


def _own(actor, *records: Model) -> None:
    """A record of another council is treated exactly as a missing one."""
    for record in records:
        if record is None:
            continue
        if record.council_id != actor.active_council_id:
            raise RecordNotFound(object_type=record._meta.label_lower, object_id=record.pk)


def _locked(model, record):
    return model.objects.select_for_update().get(pk=record.pk)


def _require_text(errors: dict, **values: str) -> None:
    messages = {
        "reason": "Enter the reason.",
        "reasons": "Enter the reasons.",
        "family_views": "Record the family's views.",
    }
    for name, value in values.items():
        if not (value or "").strip():
            errors[name] = messages.get(name, "Enter this.")
