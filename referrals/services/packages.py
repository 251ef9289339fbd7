"""Packages of support and the panel: proposing a package, its lines (services), commissioning,
the panel's decision, activation, withdrawal and the record of what was delivered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import Contract, ContractStatus, Lot
from providers.models import Provider, Ratio, Service
from referrals import events, notify
from referrals.models import (
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    Child,
    DeliveryRecord,
    FundingRoute,
    NotDeliveredReason,
    Package,
    PackageLine,
    PackageStatus,
    PanelDecision,
    PanelOutcome,
    Review,
    ReviewOutcome,
)
from referrals.services.common import MANAGE, PANEL, _locked, _own, _require_text
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm


def _latest_review(package: Package) -> Review | None:
    return package.reviews.order_by("-held_on", "-id").first()


@transaction.atomic
def package_propose(
    *,
    actor,
    child: Child,
    assessment: Assessment,
    start_on: date,
    end_on: date | None = None,
    review_interval_months: int = 6,
) -> Package:
    """A package for the panel, resting on the child's authorised assessment."""
    require_perm(actor, MANAGE)
    _own(actor, child, assessment)
    if assessment.child_id != child.pk:
        raise ValidationError({"assessment": "Choose one of this child's assessments."})
    if assessment.status != AssessmentStatus.AUTHORISED:
        raise TransitionNotAllowed("A package is proposed on an authorised assessment.")
    if assessment.outcome != AssessmentOutcome.SPECIALIST:
        raise TransitionNotAllowed(
            "The assessment did not find a need for specialist short breaks."
        )
    errors = {}
    if end_on is not None and end_on < start_on:
        errors["end_on"] = "The end date must be after the start date."
    if not isinstance(review_interval_months, int) or not 1 <= review_interval_months <= 24:
        errors["review_interval_months"] = "Enter a review interval from 1 to 24 months."
    if errors:
        raise ValidationError(errors)
    package = Package.objects.create(
        council=child.council,
        child=child,
        assessment=assessment,
        start_on=start_on,
        end_on=end_on,
        review_interval_months=review_interval_months,
        created_by=actor,
    )
    events.package_proposed(package, actor=actor, on=assessment.authorised_on)
    return package


def _contract_refusal(contract: Contract, line: PackageLine, *, agreed_on: date) -> str:
    """Why the lot's contract cannot carry the line, or "". A contract expired on the day the
    line is agreed (recorded or not) carries only a line that ends by its end date: an approved
    extension has moved the end date, so it covers the dates up to its new end."""
    status = contract.status_on(agreed_on)
    if status == ContractStatus.EXPIRED:
        if line.end_on is not None and line.end_on <= contract.end_date:
            return ""
        return (
            f"The contract for this lot ended on {contract.end_date:%d/%m/%Y} and no approved "
            "extension covers these dates."
        )
    if status not in (ContractStatus.ACTIVE, ContractStatus.EXTENDED):
        return "The contract for this lot is not active."
    return ""


def _check_line(package: Package, line: PackageLine, *, agreed_on: date | None = None) -> None:
    """Everything a line points at is the council's own; a commissioned line is on a lot of an
    active contract that the provider was awarded."""
    errors = {}
    council_id = package.council_id
    if line.service.council_id != council_id:
        errors["service"] = "Choose one of the council's services."
    elif line.service.provider_id != line.provider.pk:
        errors["service"] = "Choose a service this provider offers."
    if line.provider.council_id != council_id:
        errors["provider"] = "Choose one of the council's providers."
    if line.funding_route not in FundingRoute.values:
        errors["funding_route"] = "Choose commissioned, spot purchase or direct payment."
    if line.ratio not in Ratio.values:
        errors["ratio"] = "Choose the staff to child ratio."
    if (line.hours_per_week is None) == (line.nights_per_year is None):
        errors["hours_per_week"] = "Enter either hours a week or nights a year."
    if line.unit_rate is None or line.unit_rate < 0:
        errors["unit_rate"] = "Enter the unit rate, in pounds."
    if line.end_on is not None and line.end_on < line.start_on:
        errors["end_on"] = "The end date must be after the start date."
    lot = line.lot
    if line.funding_route == FundingRoute.COMMISSIONED:
        if lot is None:
            errors["lot"] = "Choose the contract lot this service is commissioned under."
        elif lot.council_id != council_id:
            errors["lot"] = "Choose a lot on one of the council's own contracts."
        elif refusal := _contract_refusal(
            lot.contract, line, agreed_on=agreed_on or timezone.localdate()
        ):
            errors["lot"] = refusal
        elif not lot.awards.filter(provider=line.provider).exists():
            errors["lot"] = "This provider was not awarded this lot."
    elif lot is not None:
        errors["lot"] = "Only a commissioned service is bought under a contract lot."
    if errors:
        raise ValidationError(errors)
    line.full_clean(exclude=["package", "service", "provider", "lot"])


@transaction.atomic
def package_line_add(
    *,
    actor,
    package: Package,
    service: Service,
    provider: Provider,
    funding_route: str,
    ratio: str,
    unit_rate: Decimal,
    start_on: date,
    hours_per_week: Decimal | None = None,
    nights_per_year: int | None = None,
    lot: Lot | None = None,
    end_on: date | None = None,
    agreed_on: date | None = None,
) -> PackageLine:
    """Add a line while the package is proposed, or to an active package after a review decided
    to increase it. `agreed_on` records a line agreed on an earlier day (records brought over
    from a council's spreadsheets, the demo's history): the contract is judged as it stood then.
    """
    require_perm(actor, MANAGE)
    _own(actor, package)
    package = _locked(Package, package)
    if package.status == PackageStatus.ACTIVE:
        latest = _latest_review(package)
        if latest is None or latest.outcome != ReviewOutcome.INCREASE:
            raise TransitionNotAllowed(
                "An active package gains support only after a review decides to increase it."
            )
    elif package.status != PackageStatus.PROPOSED:
        raise TransitionNotAllowed(
            f"Lines cannot be added to a package that is {package.get_status_display().lower()}."
        )
    line = PackageLine(
        council=package.council,
        package=package,
        service=service,
        provider=provider,
        lot=lot,
        funding_route=funding_route,
        ratio=ratio,
        hours_per_week=hours_per_week,
        nights_per_year=nights_per_year,
        unit_rate=unit_rate,
        start_on=start_on,
        end_on=end_on,
    )
    _check_line(package, line, agreed_on=agreed_on)
    line.save()
    events.line_added(line, actor=actor)
    return line


@transaction.atomic
def package_line_end(*, actor, line: PackageLine, end_on: date, reason: str) -> PackageLine:
    """End a line of an active package after a review decided to reduce it."""
    require_perm(actor, MANAGE)
    _own(actor, line)
    package = _locked(Package, line.package)
    line = _locked(PackageLine, line)
    if package.status != PackageStatus.ACTIVE:
        raise TransitionNotAllowed("Only a line of an active package can be ended.")
    latest = _latest_review(package)
    if latest is None or latest.outcome != ReviewOutcome.REDUCE:
        raise TransitionNotAllowed(
            "Support is reduced only after a review with a reassessment decides to reduce it."
        )
    errors = {}
    _require_text(errors, reason=reason)
    if end_on < line.start_on:
        errors["end_on"] = "The end date cannot be before the line started."
    if errors:
        raise ValidationError(errors)
    line.end_on = end_on
    line.save(update_fields=["end_on"])
    events.line_ended(line, actor=actor, reason=reason)
    return line


COMMISSION = "referrals.commission_line"


@transaction.atomic
def package_line_commission(
    *,
    actor,
    line: PackageLine,
    provider: Provider,
    service: Service,
    unit_rate: Decimal,
    lot: Lot | None,
    on: date,
    request_id: int,
    reason: str = "",
) -> PackageLine:
    """Brokerage request `request_id` found the line its provider: set the provider, its
    service, the unit rate and the lot of the contract it is bought under (a call-off's own
    lot), or no lot for a spot purchase (with the `reason`). Only for a line of a package the
    panel approved (approved or active)."""
    require_perm(actor, COMMISSION)
    _own(actor, line, provider, service, lot)
    package = _locked(Package, line.package)
    line = _locked(PackageLine, line)
    if package.status not in (PackageStatus.APPROVED, PackageStatus.ACTIVE):
        raise TransitionNotAllowed("Only a line of a package the panel approved is brokered.")
    line.provider, line.service, line.unit_rate, line.lot = provider, service, unit_rate, lot
    line.funding_route = (
        FundingRoute.COMMISSIONED if lot is not None else FundingRoute.SPOT_PURCHASE
    )
    _check_line(package, line, agreed_on=on)
    line.save(update_fields=["provider", "service", "unit_rate", "lot", "funding_route"])
    bought = {
        "provider": str(provider),
        "provider_id": provider.pk,
        "unit_rate": float(unit_rate),
        "unit": "an hour" if line.hours_per_week is not None else "a night",
    }
    if lot is not None:
        bought |= {"contract": lot.contract.reference, "contract_id": lot.contract_id}
    else:
        bought["reason"] = reason.strip()
    events.line_brokerage(
        line,
        actor=actor,
        on=on,
        request_id=request_id,
        step="awarded" if lot is not None else "spot_purchased",
        **bought,
    )
    return line


@transaction.atomic
def package_brokerage_note(
    *,
    actor,
    line: PackageLine,
    on: date,
    request_id: int,
    step: str,
    members: int | None = None,
    deadline: date | None = None,
    reason: str = "",
) -> None:
    """A step of the line's brokerage request on the child's timeline: `raised`, `sent` (to
    `members` providers, answers by `deadline`) or `withdrawn` (for `reason`). The award and a
    spot purchase are noted by `package_line_commission`."""
    if not (actor.has_perm(MANAGE) or actor.has_perm(COMMISSION)):
        require_perm(actor, MANAGE)
    _own(actor, line)
    said = {
        "raised": {},
        "sent": {"members": members, "deadline": deadline},
        "withdrawn": {"reason": reason.strip()},
    }
    if step not in said:
        raise ValueError(f"Not a step of a brokerage request noted here: {step}")
    events.line_brokerage(line, actor=actor, on=on, request_id=request_id, step=step, **said[step])


@transaction.atomic
def panel_decision_record(
    *,
    actor,
    package: Package,
    decision: str,
    reasons: str,
    decided_on: date,
    members: Iterable[str],
) -> PanelDecision:
    require_perm(actor, PANEL)
    _own(actor, package)
    package = _locked(Package, package)
    states.step(package, "decide", actor)
    members = [m.strip() for m in members if m and m.strip()]
    errors = {}
    if decision not in PanelOutcome.values:
        errors["decision"] = "Choose approved, declined or deferred."
    _require_text(errors, reasons=reasons)
    if not members:
        errors["members"] = "Enter the members of the panel."
    if errors:
        raise ValidationError(errors)
    if decision == PanelOutcome.APPROVED:
        states.step(package, "approve", actor)
    panel = PanelDecision.objects.create(
        council=package.council,
        package=package,
        decision=decision,
        reasons=reasons,
        decided_on=decided_on,
        members=members,
        recorded_by=actor,
    )
    if decision == PanelOutcome.APPROVED:
        package.save(update_fields=["status"])
    events.panel_decided(panel, actor=actor)
    notify.notify_panel_decision(panel, actor=actor)
    return panel


@transaction.atomic
def package_activate(*, actor, package: Package, on: date) -> Package:
    """Support starts; the first review falls due after the review interval."""
    require_perm(actor, MANAGE)
    _own(actor, package)
    package = _locked(Package, package)
    states.step(package, "activate", actor)
    package.start_on = on
    package.next_review_due = on + relativedelta(months=package.review_interval_months)
    package.save(update_fields=["status", "start_on", "next_review_due"])
    events.package_started(package, actor=actor, on=on)
    return package


@transaction.atomic
def package_withdraw(*, actor, package: Package, on: date, reason: str) -> Package:
    """Close a package that never started. Support that has started ends only at a review."""
    require_perm(actor, MANAGE)
    _own(actor, package)
    package = _locked(Package, package)
    states.step(package, "withdraw", actor)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the package is withdrawn."})
    package.end_on = on
    package.save(update_fields=["status", "end_on"])
    events.package_withdrawn(package, actor=actor, on=on, reason=reason)
    return package


@transaction.atomic
def delivery_record_add(
    *,
    actor,
    line: PackageLine,
    period_start: date,
    period_end: date,
    hours_delivered: Decimal,
    hours_not_delivered: Decimal = Decimal(0),
    reason: str = "",
    notes: str = "",
) -> DeliveryRecord:
    """What a line delivered against plan, and why any hours were not delivered."""
    require_perm(actor, MANAGE)
    _own(actor, line)
    if line.package.status not in (PackageStatus.ACTIVE, PackageStatus.CEASED):
        raise TransitionNotAllowed("Delivery is recorded once a package has started.")
    errors = {}
    today = timezone.localdate()
    if period_start > today:
        errors["period_start"] = (
            "Delivery is recorded after it happens: the period cannot start in the future."
        )
    if period_end < period_start:
        errors["period_end"] = "The end of the period must be after its start."
    elif period_end > today:
        errors["period_end"] = (
            "Delivery is recorded after it happens: the period cannot end in the future."
        )
    if hours_delivered is None or hours_delivered < 0:
        errors["hours_delivered"] = "Enter the hours delivered, zero or more."
    if hours_not_delivered is None or hours_not_delivered < 0:
        errors["hours_not_delivered"] = "Enter the hours not delivered, zero or more."
    elif hours_not_delivered > 0 and reason not in NotDeliveredReason.values:
        errors["reason"] = "Choose why hours were not delivered."
    if reason == NotDeliveredReason.OTHER and not notes.strip():
        errors["notes"] = "Say why the hours were not delivered."
    if errors:
        raise ValidationError(errors)
    return DeliveryRecord.objects.create(
        council=line.council,
        line=line,
        period_start=period_start,
        period_end=period_end,
        hours_delivered=hours_delivered,
        hours_not_delivered=hours_not_delivered,
        reason=reason if hours_not_delivered else "",
        notes=notes,
        recorded_by=actor,
    )
