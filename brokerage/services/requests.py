"""Brokerage requests: raise a draft from a line the panel approved (its text drawn from the
child's record with every identifier removed), change it, send it (again, wider), withdraw it.

Every status change is a step declared on `BrokerageRequest` (`shortbreaks.states.step`, which
refuses with the declared reason), then writes a `BrokerageEvent` for the request's timeline
(`brokerage/events.py`) and a package event for the child's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from brokerage import events
from brokerage.identifiers import Identifiers, is_district, postcode_district, strip_identifiers
from brokerage.models import (
    OPEN_STATUSES,
    AgeBand,
    BrokerageInvitation,
    BrokerageRequest,
    RequestStatus,
)
from brokerage.selectors import dps_lots, lot_members, offers
from brokerage.services.answers import _close_responses
from brokerage.services.common import MANAGE, RAISE, _child_note, _locked, _own, _today
from contracts.models import Lot, MembershipStatus
from providers.models import Provider, Ratio
from referrals.models import PackageLine, PackageStatus
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.states import step

TEXT_FIELDS = ("needs_summary", "outcomes")
EDITABLE = ("age_band", "needs_summary", "ratio", "area", "start_date", "outcomes")


def age_band(date_of_birth: date, on: date) -> str:
    age = relativedelta(on, date_of_birth).years
    for band in AgeBand:
        low, high = (int(part) for part in band.value.split("-"))
        if low <= age <= high:
            return band.value
    return AgeBand.FROM_15.value if age > 17 else AgeBand.UNDER_5.value


def _clean_text(request: BrokerageRequest, who: Identifiers) -> None:
    """Strip identifiers from every free-text field; note which kinds were found where."""
    removed = []
    for name in TEXT_FIELDS:
        text, kinds = strip_identifiers(getattr(request, name), who)
        setattr(request, name, text.strip())
        removed += [f"{name}:{kind}" for kind in kinds]
    request.removed = removed


def _validate(request: BrokerageRequest) -> None:
    errors = {}
    if request.age_band not in AgeBand.values:
        errors["age_band"] = "Choose the age band."
    if request.ratio not in Ratio.values:
        errors["ratio"] = "Choose the staff to child ratio."
    if not (request.needs_summary or "").strip():
        errors["needs_summary"] = "Enter a summary of the child's needs."
    if not (request.outcomes or "").strip():
        errors["outcomes"] = "Enter the outcomes the support should achieve."
    request.area = (request.area or "").strip().upper()
    if not is_district(request.area):
        errors["area"] = "Enter the postcode district only, for example HR4."
    if request.start_date is None:
        errors["start_date"] = "Enter the date the support should start."
    if errors:
        raise ValidationError(errors)


def _who(line: PackageLine) -> Identifiers:
    return Identifiers.of_child(line.package.child)


@transaction.atomic
def brokerage_request_raise(
    *, actor, line: PackageLine, lot: Lot | None = None, today: date | None = None, **fields
) -> BrokerageRequest:
    """A draft request from a line the panel approved, its text drawn from the child's record
    and assessment with every identifier removed, for the social worker to check and send."""
    require_perm(actor, RAISE)
    _own(actor, line, lot)
    today = _today(today)
    line = PackageLine.objects.select_related("package__child", "package__assessment", "lot").get(
        pk=line.pk
    )
    package = line.package
    if package.status not in (PackageStatus.APPROVED, PackageStatus.ACTIVE):
        raise TransitionNotAllowed(
            "A brokerage request is raised from a line of a package the panel approved."
        )
    if line.brokerage_requests.filter(status__in=OPEN_STATUSES).exists():
        raise TransitionNotAllowed("This line already has a brokerage request under way.")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    lots = dps_lots(council=line.council)
    if lot is None:
        fitting = [candidate for candidate in lots if candidate.pk == line.lot_id]
        fitting = fitting or [c for c in lots if offers(c, line.service_id)]
        if not fitting:
            raise ValidationError({"lot": "Choose the DPS lot that fits this need."})
        lot = fitting[0]
    elif lot.pk not in {candidate.pk for candidate in lots}:
        raise ValidationError({"lot": "Choose a lot of one of the council's open DPS."})
    child = package.child
    assessment = package.assessment
    needs = (assessment.child_needs or "").strip()
    if child.disabilities:
        needs = f"{needs}\n\nAreas of need: {child.get_disabilities_display()}.".strip()
    request = BrokerageRequest(
        council=line.council,
        line=line,
        dps=lot.contract.dps,
        lot=lot,
        age_band=fields.get("age_band") or age_band(child.date_of_birth, line.start_on),
        needs_summary=fields.get("needs_summary", needs) or needs,
        ratio=fields.get("ratio") or line.ratio,
        hours_per_week=line.hours_per_week,
        nights_per_year=line.nights_per_year,
        area=fields.get("area") or postcode_district(child.postcode),
        start_date=fields.get("start_date") or max(line.start_on, today),
        outcomes=fields.get("outcomes") or (assessment.recommended_support or "").strip(),
        created_by=actor,
    )
    _clean_text(request, _who(line))
    _validate(request)
    request.save()
    events.raised(request, actor=actor, on=today)
    _child_note(request, actor=actor, on=today, step="raised")
    return request


@transaction.atomic
def brokerage_request_update(
    *, actor, request: BrokerageRequest, today: date | None = None, **fields
) -> BrokerageRequest:
    """Change the draft's text; identifiers are taken out again on every save."""
    require_perm(actor, MANAGE)
    _own(actor, request)
    request = _locked(request)
    step(request, "change", actor)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(request, name, value)
    _clean_text(request, _who(request.line))
    _validate(request)
    request.save()
    events.changed(request, actor=actor, on=_today(today))
    return request


def _approved_members(request: BrokerageRequest) -> dict[int, Provider]:
    return {
        membership.provider_id: membership.provider
        for membership in request.dps.memberships.filter(
            status=MembershipStatus.APPROVED
        ).select_related("provider")
    }


@transaction.atomic
def brokerage_request_send(
    *,
    actor,
    request: BrokerageRequest,
    deadline: date,
    providers: Iterable[Provider] | None = None,
    today: date | None = None,
) -> BrokerageRequest:
    """Send the checked draft to the approved members of the lot (or those chosen), with a
    deadline. Sent already: send again with a new deadline, to any more members chosen."""
    require_perm(actor, MANAGE)
    _own(actor, request)
    today = _today(today)
    request = _locked(request)
    first, sent_deadline = request.status == RequestStatus.DRAFT, request.deadline
    step(request, "send", actor)
    errors = {}
    if deadline is None or deadline <= today:
        errors["deadline"] = "The deadline must be after today."
    elif not first and sent_deadline and deadline <= sent_deadline:
        errors["deadline"] = f"Sending again needs a new deadline after {sent_deadline:%d/%m/%Y}."
    members = _approved_members(request)
    if providers is None:
        chosen = list(lot_members(request.lot))
    else:
        chosen = list(providers)
        if any(p.pk not in members for p in chosen):
            errors["providers"] = "Choose approved members of the DPS."
    already = set(request.invitations.values_list("provider_id", flat=True))
    new = [p for p in chosen if p.pk not in already]
    if first and not new:
        errors.setdefault("providers", "Choose at least one approved member of the DPS.")
    if errors:
        raise ValidationError(errors)
    _clean_text(request, _who(request.line))
    _validate(request)
    round_number = 1 if first else 1 + max(request.invitations.values_list("round", flat=True))
    BrokerageInvitation.objects.bulk_create(
        BrokerageInvitation(
            council=request.council,
            request=request,
            provider=provider,
            sent_on=today,
            round=round_number,
        )
        for provider in new
    )
    request.deadline = deadline
    if first:
        request.sent_at = timezone.now()
    request.save()
    events.sent(request, actor=actor, on=today, providers=new, first=first)
    _child_note(
        request,
        actor=actor,
        on=today,
        step="sent",
        members=len(already) + len(new),
        deadline=deadline,
    )
    return request


@transaction.atomic
def brokerage_request_withdraw(
    *, actor, request: BrokerageRequest, reason: str, today: date | None = None
) -> BrokerageRequest:
    require_perm(actor, MANAGE)
    _own(actor, request)
    today = _today(today)
    request = _locked(request)
    step(request, "withdraw", actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the request is withdrawn."})
    _close_responses(request, actor=actor, chosen=None, on=today)
    request.closed_on = today
    request.close_reason = reason.strip()
    request.save(update_fields=["status", "closed_on", "close_reason"])
    events.withdrawn(request, actor=actor, on=today, reason=reason)
    _child_note(request, actor=actor, on=today, step="withdrawn", reason=reason)
    return request
