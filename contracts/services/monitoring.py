"""Monitoring records the contract manager writes up: visits, meetings and KPI returns."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts import events
from contracts.models import (
    Contract,
    MonitoringKind,
    MonitoringRecord,
)
from contracts.services.participation import MANAGE, require_lead
from shortbreaks.permissions import require_perm

# ----------------------------------------------------------------------------------------------
# Monitoring

MONITORING_FIELDS = (
    "period",
    "sessions_delivered",
    "sessions_target",
    "hours_not_delivered",
    "reason_not_delivered",
    "provider_response",
    "sanction_considered",
    "sanction_outcome",
)


@transaction.atomic
def monitoring_record_create(
    *, actor, contract: Contract, kind: str, held_on: date, summary: str, **fields
) -> MonitoringRecord:
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    unknown = set(fields) - set(MONITORING_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    if kind not in MonitoringKind.values:
        raise ValidationError({"kind": "Choose a visit, a meeting or a KPI return."})
    record = MonitoringRecord(
        council=contract.council,
        contract=contract,
        kind=kind,
        held_on=held_on,
        summary=summary,
        recorded_by=actor,
        **fields,
    )
    record.full_clean()
    record.save()
    events.monitoring_recorded(record, actor=actor)
    return record
