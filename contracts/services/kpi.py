"""KPI returns the provider submits itself: asked for, submitted, then accepted or queried.

The council asks a provider awarded a lot of the contract for a period's figures
(`kpi_return_request`); the provider's staff submit them (`kpi_return_submit`); the contract
manager accepts them (`kpi_return_accept`) or queries them with a reason (`kpi_return_query`),
and the provider answers a query by submitting again. Each step is declared on
`MonitoringRecord` (its `kpi_status` transitions) and made through `shortbreaks.states.step`,
which refuses with the declared reason; the step writes a line on the contract's timeline. The
return is a `MonitoringRecord` of kind KPI return, so the contract's
monitoring pages, evidence packs and the overdue count read it as any other.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts import events
from contracts.models import (
    Award,
    Contract,
    KPIReturnStatus,
    MonitoringKind,
    MonitoringRecord,
)
from contracts.portal.selectors import access_provider_kpi_return_by_id
from contracts.services.participation import MANAGE, require_lead
from providers.models import Provider
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm

ACT_FOR_PROVIDER = "providers.act_for_provider"
MAX_SESSIONS = 1_000_000
MAX_TEXT = 10_000


@transaction.atomic
def kpi_return_request(
    *, actor, contract: Contract, provider: Provider, period: str, due_on: date
) -> MonitoringRecord:
    """Ask a provider awarded a lot of the contract for a period's figures, by a date."""
    require_perm(actor, MANAGE)
    require_lead(actor, contract)
    errors = {}
    period = (period or "").strip()
    if not period:
        errors["period"] = "Enter the period the figures are for, like Quarter 2 2025/26."
    elif len(period) > 100:
        errors["period"] = "Enter the period in 100 characters or fewer."
    if not Award.objects.filter(lot__contract=contract, provider=provider).exists():
        errors["provider"] = "Choose a provider awarded a lot of this contract."
    if errors:
        raise ValidationError(errors)
    record = MonitoringRecord.objects.create(
        council=contract.council,
        contract=contract,
        kind=MonitoringKind.KPI_RETURN,
        held_on=timezone.localdate(),
        period=period,
        summary=f"Asked of {provider.name}.",
        provider=provider,
        kpi_status=KPIReturnStatus.DUE,
        due_on=due_on,
        recorded_by=actor,
    )
    events.kpi_return(record, actor=actor, step="requested", provider=provider.name, due_on=due_on)
    return record


@transaction.atomic
def kpi_return_submit(
    *,
    actor,
    record: MonitoringRecord,
    summary: str,
    sessions_delivered: int | None,
    sessions_target: int | None,
    hours_not_delivered: Decimal | None = None,
    reason_not_delivered: str = "",
) -> MonitoringRecord:
    """The provider's staff send the figures asked for, or send them again after a query."""
    require_perm(actor, ACT_FOR_PROVIDER)
    # Only a return of the actor's own provider: any other is not found.
    record = access_provider_kpi_return_by_id(actor=actor, record_id=record.pk)
    record = MonitoringRecord.objects.select_for_update().get(pk=record.pk)
    refused = states.refusal(record, "submit")
    if refused:
        raise TransitionNotAllowed(refused)
    summary = (summary or "").strip()
    reason_not_delivered = (reason_not_delivered or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = "Say how the service went in the period."
    elif len(summary) > MAX_TEXT:
        errors["summary"] = f"Enter {MAX_TEXT:,} characters or fewer."
    for name, value in (
        ("sessions_delivered", sessions_delivered),
        ("sessions_target", sessions_target),
    ):
        if value is None:
            errors[name] = "Enter a number of sessions."
        elif not 0 <= value <= MAX_SESSIONS:
            errors[name] = f"Enter a number from 0 to {MAX_SESSIONS:,}."
    if hours_not_delivered is not None and hours_not_delivered < 0:
        errors["hours_not_delivered"] = "Enter hours of zero or more."
    elif hours_not_delivered and not reason_not_delivered:
        errors["reason_not_delivered"] = "Say why those hours were not delivered."
    if len(reason_not_delivered) > MAX_TEXT:
        errors["reason_not_delivered"] = f"Enter {MAX_TEXT:,} characters or fewer."
    if errors:
        raise ValidationError(errors)
    again = record.kpi_status == KPIReturnStatus.QUERIED
    record.summary = summary
    record.sessions_delivered = sessions_delivered
    record.sessions_target = sessions_target
    record.hours_not_delivered = hours_not_delivered
    record.reason_not_delivered = reason_not_delivered
    record.held_on = timezone.localdate()
    record.submitted_at = timezone.now()
    record.submitted_by = actor
    states.step(record, "submit", actor)
    record.full_clean()
    record.save()
    events.kpi_return(
        record,
        actor=actor,
        step="submitted_again" if again else "submitted",
        provider=record.provider.name,
    )
    return record


@transaction.atomic
def kpi_return_accept(*, actor, record: MonitoringRecord) -> MonitoringRecord:
    """The contract manager accepts the figures as submitted."""
    require_perm(actor, MANAGE)
    require_lead(actor, record.contract)
    record = MonitoringRecord.objects.select_for_update().get(pk=record.pk)
    states.step(record, "accept", actor)
    record.decided_at = timezone.now()
    record.decided_by = actor
    record.save(update_fields=["kpi_status", "decided_at", "decided_by"])
    events.kpi_return(record, actor=actor, step="accepted")
    return record


@transaction.atomic
def kpi_return_query(*, actor, record: MonitoringRecord, reason: str) -> MonitoringRecord:
    """The contract manager sends the figures back with the reason; the provider answers by
    submitting again."""
    require_perm(actor, MANAGE)
    require_lead(actor, record.contract)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what the provider needs to check or explain."})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": f"Enter {MAX_TEXT:,} characters or fewer."})
    record = MonitoringRecord.objects.select_for_update().get(pk=record.pk)
    states.step(record, "query", actor)
    record.query_reason = reason
    record.decided_at = timezone.now()
    record.decided_by = actor
    record.save(update_fields=["kpi_status", "query_reason", "decided_at", "decided_by"])
    events.kpi_return(record, actor=actor, step="queried", reason=reason)
    return record
