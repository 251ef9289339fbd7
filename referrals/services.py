"""Writes to children, referrals, grants, assessments, packages, panels, reviews and stays.

Every status change is a named function that checks the current state (raising
`TransitionNotAllowed` with the reason), writes a dated event for the child's timeline, then makes
one change. A child's tier changes only through `child_tier_change`, which other services call
(a grant award, an authorised assessment, a ceased package, a referral signposted to universal
services).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Model, Sum
from django.utils import timezone

from contracts.models import Contract, ContractStatus, Lot
from providers.models import Provider, Ratio, Service
from referrals import notify
from referrals.census_codes import (
    CHILD_ID_SHAPE,
    AssessmentFactor,
    ClosureReason,
    Ethnicity,
    Sex,
    UPNUnknown,
    census_child_id,
    upn_problem,
)
from referrals.models import (
    OUTCOME_TIER,
    REGULATION_3_QUESTIONS,
    Assessment,
    AssessmentEvent,
    AssessmentOutcome,
    AssessmentStatus,
    Carer,
    CarerAccountEvent,
    CaseNote,
    CaseNoteKind,
    Child,
    ChildEvent,
    ChildTier,
    DeliveryRecord,
    Disability,
    FundingRoute,
    GrantApplication,
    GrantScheme,
    GrantStatus,
    NotDeliveredReason,
    OvernightStay,
    Package,
    PackageEvent,
    PackageLine,
    PackageStatus,
    PanelDecision,
    PanelOutcome,
    ParentAccount,
    PaymentStatus,
    PrimaryNeed,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
    Review,
    ReviewOutcome,
    TierChange,
)
from referrals.nhs import normalise_nhs_number
from referrals.overnights import overnight_warnings, stay_nights
from shortbreaks import rls
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Membership, Role
from shortbreaks.documents.uploads import check_upload, save_with_file
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import require_perm
from shortbreaks.unique import refuse_duplicates, save_unique

VIEW = "referrals.view_child"
MANAGE = "referrals.manage_child"
AUTHORISE = "referrals.authorise_assessment"
PANEL = "referrals.record_panel_decision"

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_UPN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")


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


# ----------------------------------------------------------------------------------------------
# The tier journey


@transaction.atomic
def child_tier_change(
    *, actor, child: Child, to_tier: str, on: date, reason: str
) -> TierChange | None:
    """Move a child to another tier, with the dated reason. Nothing happens if already there.

    Called by the services that decide a tier, never from a form.
    """
    _own(actor, child)
    if to_tier not in ChildTier.values:
        raise ValidationError({"to_tier": "Choose a tier."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the change of tier."})
    child = _locked(Child, child)
    if child.tier == to_tier:
        return None
    change = TierChange.objects.create(
        council=child.council,
        child=child,
        from_tier=child.tier,
        to_tier=to_tier,
        on=on,
        reason=reason,
        decided_by=actor,
    )
    child.tier = to_tier
    child.save(update_fields=["tier", "updated_at"])
    return change


# ----------------------------------------------------------------------------------------------
# Children and carers

CENSUS_CHILD_FIELDS = (
    "former_upn",
    "upn_unknown_reason",
    "expected_date_of_birth",
    "sex",
    "ethnicity",
    "date_of_death",
)
CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "council_child_id",
    "nhs_number",
    "upn",
    "address",
    "postcode",
    "disabilities",
    "communication_needs",
    "school",
    *CENSUS_CHILD_FIELDS,
)


def _clean_child_fields(fields: dict) -> dict:
    unknown = set(fields) - set(CHILD_FIELDS) - {"keyworker"}
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    errors = {}
    for name in ("first_name", "last_name", "council_child_id", "school"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "nhs_number" in cleaned:
        cleaned["nhs_number"] = normalise_nhs_number(cleaned["nhs_number"])
    if "postcode" in cleaned:
        postcode = " ".join((cleaned["postcode"] or "").upper().split())
        if postcode and not _POSTCODE.match(postcode):
            errors["postcode"] = "Enter a real postcode, like SY1 1AA."
        if postcode and " " not in postcode:
            postcode = f"{postcode[:-3]} {postcode[-3:]}"
        cleaned["postcode"] = postcode
    for name in ("upn", "former_upn"):
        if name in cleaned:
            upn = (cleaned[name] or "").strip().upper()
            if upn and not _UPN.match(upn):
                errors[name] = "Enter a unique pupil number: a letter, then 12 letters or digits."
            cleaned[name] = upn
    _clean_census_fields(cleaned, errors)
    if "disabilities" in cleaned:
        codes = list(dict.fromkeys(cleaned["disabilities"] or []))
        if not isinstance(cleaned["disabilities"], list | tuple) or any(
            code not in Disability.values for code in codes
        ):
            errors["disabilities"] = "Choose from the DfE disability codes."
        cleaned["disabilities"] = codes
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_census_fields(cleaned: dict, errors: dict) -> None:
    """The children in need census items: codes from their DfE lists, UPNs with their check
    letter, a child id the census can carry, and dates that can be true."""
    for name in ("upn", "former_upn"):
        if cleaned.get(name) and name not in errors:
            problem = upn_problem(cleaned[name])
            if problem:
                errors[name] = f"Enter a unique pupil number: {problem}."
    child_id = cleaned.get("council_child_id")
    if child_id and (
        not all(ch.isalnum() or ch == "-" for ch in child_id)
        or not CHILD_ID_SHAPE.match(census_child_id(child_id))
    ):
        errors["council_child_id"] = (
            "Enter a child id of letters and digits (hyphens allowed), at most 20 letters "
            "and digits: the children in need census carries it."
        )
    codes = {
        "sex": (Sex, "Choose the child's sex: male, female or not known."),
        "ethnicity": (Ethnicity, "Choose the child's ethnicity from the DfE codes."),
        "upn_unknown_reason": (UPNUnknown, "Choose why there is no UPN, UN1 to UN7."),
    }
    for name, (choices, message) in codes.items():
        if name in cleaned:
            cleaned[name] = cleaned[name] or ""
            if cleaned[name] and cleaned[name] not in choices.values:
                errors[name] = message
    born, died = cleaned.get("date_of_birth"), cleaned.get("date_of_death")
    if born and died and died < born:
        errors["date_of_death"] = "The date of death cannot be before the date of birth."
    if died and died > timezone.localdate():
        errors["date_of_death"] = "The date of death cannot be in the future."


def _check_keyworker(child: Child, keyworker) -> None:
    if keyworker is None:
        return
    if not Membership.objects.filter(
        user=keyworker,
        council_id=child.council_id,
        role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
    ).exists():
        raise ValidationError({"keyworker": "Choose one of the council's social workers."})


NHS_NUMBER_TAKEN = {"nhs_number": "A child with this NHS number is already recorded."}
CHILD_ID_TAKEN = {"council_child_id": "A child with this id is already recorded."}
# The same refusals when a request at the same moment took the value after the check.
CHILD_REFUSALS = {
    "child_unique_nhs_number": NHS_NUMBER_TAKEN,
    "child_unique_council_id": CHILD_ID_TAKEN,
}


def _check_unique(child: Child) -> None:
    others = Child.objects.filter(council_id=child.council_id).exclude(pk=child.pk)
    errors = {}
    if child.nhs_number and others.filter(nhs_number=child.nhs_number).exists():
        errors.update(NHS_NUMBER_TAKEN)
    if child.council_child_id and others.filter(council_child_id=child.council_child_id).exists():
        errors.update(CHILD_ID_TAKEN)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def child_create(*, actor, keyworker=None, today: date | None = None, **fields) -> Child:
    """Record a child in the actor's council, at no tier until a service places them."""
    require_perm(actor, MANAGE)
    cleaned = _clean_child_fields(fields)
    child = Child(council=actor.active_council, keyworker=keyworker, **cleaned)
    if child.date_of_birth and child.date_of_birth > (today or timezone.localdate()):
        raise ValidationError({"date_of_birth": "The date of birth must be in the past."})
    _check_keyworker(child, keyworker)
    _check_unique(child)
    child.full_clean(exclude=["council_child_id"] if not child.council_child_id else [])
    save_unique(child, CHILD_REFUSALS)
    if not child.council_child_id:
        child.council_child_id = f"CH{child.pk:07d}"
        child.save(update_fields=["council_child_id"])
    return child


@transaction.atomic
def child_update(*, actor, child: Child, **fields) -> Child:
    """Change a child's details. The tier is not among them: only services move it."""
    require_perm(actor, MANAGE)
    _own(actor, child)
    if "tier" in fields:
        raise TypeError("A child's tier changes only through child_tier_change.")
    cleaned = _clean_child_fields(fields)
    if "council_child_id" in cleaned and not cleaned["council_child_id"]:
        raise ValidationError({"council_child_id": "Enter the council's child id."})
    child = _locked(Child, child)
    for name, value in cleaned.items():
        setattr(child, name, value)
    if "keyworker" in cleaned:
        _check_keyworker(child, cleaned["keyworker"])
    _check_unique(child)
    child.full_clean()
    save_unique(child, CHILD_REFUSALS)
    return child


@transaction.atomic
def carer_add(
    *, actor, child: Child, name: str, relationship: str, contact: str = "", own_needs: str = ""
) -> Carer:
    require_perm(actor, MANAGE)
    _own(actor, child)
    carer = Carer(
        council=child.council,
        child=child,
        name=name.strip(),
        relationship=relationship.strip(),
        contact=contact,
        own_needs=own_needs,
    )
    carer.full_clean()
    carer.save()
    return carer


@transaction.atomic
def carer_update(*, actor, carer: Carer, **fields) -> Carer:
    require_perm(actor, MANAGE)
    _own(actor, carer)
    unknown = set(fields) - {"name", "relationship", "contact", "own_needs"}
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(carer, name, value)
    carer.full_clean()
    carer.save()
    return carer


# ----------------------------------------------------------------------------------------------
# Referrals

REFERRAL_OUTCOMES = {
    ReferralStatus.ACCEPTED_FOR_ASSESSMENT,
    ReferralStatus.SIGNPOSTED_UNIVERSAL,
    ReferralStatus.REFERRED_TARGETED,
    ReferralStatus.NO_FURTHER_ACTION,
}

# Which statuses each status may move to.
REFERRAL_TRANSITIONS = {
    ReferralStatus.RECEIVED: {ReferralStatus.SCREENING},
    ReferralStatus.SCREENING: REFERRAL_OUTCOMES,
}


@transaction.atomic
def referral_create(
    *,
    actor,
    child: Child,
    received_on: date,
    source: str,
    primary_need: str,
    request: str,
    referrer: str = "",
    today: date | None = None,
) -> Referral:
    require_perm(actor, MANAGE)
    _own(actor, child)
    errors = {}
    if source not in ReferralSource.values:
        errors["source"] = "Choose where the referral came from."
    if primary_need not in PrimaryNeed.values:
        errors["primary_need"] = "Choose the primary need, N0 to N9."
    if not (request or "").strip():
        errors["request"] = "Enter what the referral asks for."
    if received_on and received_on > (today or timezone.localdate()):
        errors["received_on"] = "The date received cannot be in the future."
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        council=child.council,
        child=child,
        received_on=received_on,
        source=source,
        primary_need=primary_need,
        request=request,
        referrer=referrer,
        status=ReferralStatus.RECEIVED,
        status_date=received_on,
        created_by=actor,
    )
    ReferralEvent.objects.create(
        council=child.council,
        referral=referral,
        to_status=ReferralStatus.RECEIVED,
        on=received_on,
        reason=f"Referral received from {referral.get_source_display().lower()}.",
        actor=actor,
    )
    return referral


@transaction.atomic
def referral_transition(
    *, actor, referral: Referral, status: str, on: date, reason: str = ""
) -> Referral:
    """received -> screening -> one outcome. An outcome needs its reason."""
    require_perm(actor, MANAGE)
    _own(actor, referral)
    if status not in ReferralStatus.values:
        raise ValidationError({"status": "Choose a referral status."})
    referral = _locked(Referral, referral)
    allowed = REFERRAL_TRANSITIONS.get(referral.status, set())
    if status not in allowed:
        raise TransitionNotAllowed(
            f"A referral that is {referral.get_status_display().lower()} cannot be moved to "
            f"{ReferralStatus(status).label.lower()}."
        )
    errors = {}
    if status in REFERRAL_OUTCOMES:
        _require_text(errors, reason=reason)
    if on < referral.status_date:
        errors["on"] = "The date cannot be before the referral's last change."
    if errors:
        raise ValidationError(errors)
    ReferralEvent.objects.create(
        council=referral.council,
        referral=referral,
        from_status=referral.status,
        to_status=status,
        on=on,
        reason=reason,
        actor=actor,
    )
    referral.status, referral.status_date = status, on
    referral.save(update_fields=["status", "status_date"])
    if status == ReferralStatus.SIGNPOSTED_UNIVERSAL and referral.child.tier == ChildTier.NONE:
        child_tier_change(
            actor=actor,
            child=referral.child,
            to_tier=ChildTier.UNIVERSAL,
            on=on,
            reason=f"Referral signposted to universal services: {reason}",
        )
    return referral


@transaction.atomic
def referral_close(
    *, actor, referral: Referral, closed_on: date, reason: str, today: date | None = None
) -> Referral:
    """Close the children in need episode the referral began, on a date with its DfE reason
    (RC1 to RC9). The referral's own status is left as it was."""
    require_perm(actor, MANAGE)
    _own(actor, referral)
    referral = _locked(Referral, referral)
    if referral.closed_on is not None:
        raise TransitionNotAllowed(
            f"This children in need episode was closed on {referral.closed_on:%d/%m/%Y}."
        )
    errors = {}
    if reason not in ClosureReason.values:
        errors["reason"] = "Choose the reason for closure, RC1 to RC9."
    if closed_on is None:
        errors["closed_on"] = "Enter the date the episode closed."
    elif closed_on < referral.received_on:
        errors["closed_on"] = "The episode cannot close before the referral was received."
    elif closed_on > (today or timezone.localdate()):
        errors["closed_on"] = "The closure date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    referral.closed_on, referral.closure_reason = closed_on, reason
    referral.save(update_fields=["closed_on", "closure_reason"])
    ReferralEvent.objects.create(
        council=referral.council,
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        on=closed_on,
        reason=f"Children in need episode closed: {ClosureReason(reason).label}.",
        actor=actor,
    )
    return referral


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


# ----------------------------------------------------------------------------------------------
# Targeted grants and allowances


SCHEME_TAKEN = {"name": "The council already has this scheme for that year."}


@transaction.atomic
def grant_scheme_create(
    *,
    actor,
    name: str,
    year: int,
    eligibility_criteria: str,
    max_amount: Decimal | None = None,
) -> GrantScheme:
    require_perm(actor, MANAGE)
    council = actor.active_council
    errors = {}
    if not 2000 <= int(year) <= 2100:
        errors["year"] = "Enter the year the financial year starts, like 2025."
    if not (eligibility_criteria or "").strip():
        errors["eligibility_criteria"] = "Enter who is eligible."
    if GrantScheme.objects.filter(council=council, year=year, name=name).exists():
        errors.update(SCHEME_TAKEN)
    if errors:
        raise ValidationError(errors)
    scheme = GrantScheme(
        council=council,
        name=name,
        year=year,
        eligibility_criteria=eligibility_criteria,
        max_amount=max_amount,
    )
    scheme.full_clean()
    save_unique(scheme, {"grant_scheme_unique_name": SCHEME_TAKEN})
    return scheme


# One live application per child and scheme (a scheme is one year's); a declined one does not
# count. The database's partial unique index stops the later of two at once.
ONE_LIVE_APPLICATION = "grantapp_one_live_per_child_scheme"
# What an approved award still commits: awaited or paid, not stopped.
COMMITTED_PAYMENTS = (PaymentStatus.AWAITING_PAYMENT, PaymentStatus.PAID)


class _AlreadyApplied(Exception):
    pass


class GrantCapExceeded(ValidationError):
    """An award that would take the child's committed awards on the scheme past its maximum:
    a ValidationError on `amount` (pages show it in the error summary), carrying the totals
    (the API answers 409 with them)."""

    def __init__(self, *, scheme: GrantScheme, before: Decimal, amount: Decimal):
        self.scheme, self.before, self.amount = scheme, before, amount
        self.total, self.maximum = before + amount, scheme.max_amount
        super().__init__(
            {
                "amount": f"This child has already been awarded £{before:,.2f} on {scheme}; "
                f"with £{amount:,.2f} more that is £{self.total:,.2f}, and the scheme awards "
                f"at most £{self.maximum:,.2f} a year."
            }
        )

    @property
    def totals(self) -> dict:
        return {
            "already_awarded": self.before,
            "this_award": self.amount,
            "total": self.total,
            "maximum": self.maximum,
        }


def _live_application(child: Child, scheme: GrantScheme) -> GrantApplication | None:
    return (
        GrantApplication.objects.filter(child=child, scheme=scheme)
        .exclude(status=GrantStatus.DECLINED)
        .order_by("received_on", "id")
        .first()
    )


def _already_applied(existing: GrantApplication, *, parent: bool = False) -> ValidationError:
    whose = "You have already applied for this child" if parent else "This child already has"
    what = "" if parent else " an application"
    return ValidationError(
        {
            "scheme": f"{whose}{what} on {existing.scheme}: application {existing.pk}, received "
            f"on {existing.received_on:%-d %B %Y}, {existing.get_status_display().lower()}. "
            "A child can have one application a year on a scheme, unless it is declined."
        }
    )


def _grant_application_insert(application: GrantApplication, *, parent: bool = False) -> None:
    """Save a new application, refusing a second live one for the child and scheme as the check
    does, also when another request inserted it a moment before (the index stops this one)."""
    existing = _live_application(application.child, application.scheme)
    if existing is not None:
        raise _already_applied(existing, parent=parent)
    try:
        with refuse_duplicates({ONE_LIVE_APPLICATION: _AlreadyApplied()}):
            application.save()
    except _AlreadyApplied:
        existing = _live_application(application.child, application.scheme)
        raise _already_applied(existing, parent=parent) from None


def _awarded(child: Child, scheme: GrantScheme, *, statuses, besides: GrantApplication) -> Decimal:
    total = (
        GrantApplication.objects.filter(
            child=child, scheme=scheme, payment_status__in=statuses, amount__isnull=False
        )
        .exclude(pk=besides.pk)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal(0)


@transaction.atomic
def grant_application_create(
    *,
    actor,
    child: Child,
    scheme: GrantScheme,
    received_on: date,
    answers: dict | None = None,
) -> GrantApplication:
    require_perm(actor, MANAGE)
    _own(actor, child, scheme)
    if answers is not None and not isinstance(answers, dict):
        raise ValidationError({"answers": "The answers must be a set of questions and answers."})
    application = GrantApplication(
        council=child.council,
        child=child,
        scheme=scheme,
        received_on=received_on,
        answers=answers or {},
    )
    _grant_application_insert(application)
    return application


@transaction.atomic
def grant_application_decide(
    *,
    actor,
    application: GrantApplication,
    decision: str,
    decided_on: date,
    amount: Decimal | None = None,
    reason: str = "",
    review_on: date | None = None,
) -> GrantApplication:
    """Approve with an amount (the child moves to the targeted tier) or decline with a reason."""
    require_perm(actor, MANAGE)
    _own(actor, application)
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != GrantStatus.RECEIVED:
        raise TransitionNotAllowed(
            f"This application is already {application.get_status_display().lower()}."
        )
    scheme, child = application.scheme, application.child
    errors = {}
    cap = None
    if decision == GrantStatus.APPROVED:
        if amount is None or amount <= 0:
            errors["amount"] = "Enter the amount awarded, in pounds."
        elif scheme.max_amount is not None and amount > scheme.max_amount:
            errors["amount"] = f"The scheme awards at most £{scheme.max_amount:,.2f}."
        elif scheme.max_amount is not None:
            # Every application of the child on the scheme (a scheme is one year's) counts,
            # declined ones still paid among them.
            before = _awarded(child, scheme, statuses=COMMITTED_PAYMENTS, besides=application)
            if before + amount > scheme.max_amount:
                cap = GrantCapExceeded(scheme=scheme, before=before, amount=amount)
                errors["amount"] = cap.message_dict["amount"][0]
    elif decision == GrantStatus.DECLINED:
        _require_text(errors, reason=reason)
    else:
        errors["decision"] = "Choose approved or declined."
    if decided_on < application.received_on:
        errors["decided_on"] = "The decision cannot be before the application was received."
    if review_on is not None and review_on <= decided_on:
        errors["review_on"] = "The review date must be after the decision."
    if cap is not None and len(errors) == 1:
        raise cap
    if errors:
        raise ValidationError(errors)
    application.status = decision
    application.decided_on = decided_on
    application.decided_by = actor
    application.review_on = review_on
    if decision == GrantStatus.APPROVED:
        application.amount = amount
        application.payment_status = PaymentStatus.AWAITING_PAYMENT
    else:
        application.decline_reason = reason
    application.save()
    if decision == GrantStatus.APPROVED and child.tier in (ChildTier.NONE, ChildTier.UNIVERSAL):
        child_tier_change(
            actor=actor,
            child=child,
            to_tier=ChildTier.TARGETED,
            on=decided_on,
            reason=f"{scheme} awarded: £{amount:,.2f}.",
        )
    notify.notify_grant_decision(application)
    return application


# Payments move forward only; a stopped payment stays stopped.
PAYMENT_TRANSITIONS = {
    PaymentStatus.AWAITING_PAYMENT: {PaymentStatus.PAID, PaymentStatus.STOPPED},
    PaymentStatus.PAID: {PaymentStatus.STOPPED},
}


@transaction.atomic
def grant_payment_set(
    *, actor, application: GrantApplication, payment_status: str
) -> GrantApplication:
    require_perm(actor, MANAGE)
    _own(actor, application)
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if payment_status not in PaymentStatus.values:
        raise ValidationError({"payment_status": "Choose a payment status."})
    if payment_status not in PAYMENT_TRANSITIONS.get(application.payment_status, set()):
        raise TransitionNotAllowed(
            f"A payment that is {application.get_payment_status_display().lower()} cannot "
            f"become {PaymentStatus(payment_status).label.lower()}."
        )
    scheme = application.scheme
    if payment_status == PaymentStatus.PAID and scheme.max_amount is not None:
        paid = _awarded(
            application.child, scheme, statuses=[PaymentStatus.PAID], besides=application
        )
        if paid + application.amount > scheme.max_amount:
            raise ValidationError(
                {
                    "payment_status": f"This child has already been paid £{paid:,.2f} on "
                    f"{scheme}; paying £{application.amount:,.2f} more would make "
                    f"£{paid + application.amount:,.2f}, and the scheme pays at most "
                    f"£{scheme.max_amount:,.2f} a year."
                }
            )
    application.payment_status = payment_status
    application.save(update_fields=["payment_status"])
    return application


# ----------------------------------------------------------------------------------------------
# Assessments

ASSESSMENT_FIELDS = (
    "child_needs",
    "carer_needs",
    *REGULATION_3_QUESTIONS,
    "outcome",
    "recommended_support",
    "factors",
)


def _assessment_event(assessment: Assessment, *, actor, on: date, kind: str, summary: str):
    AssessmentEvent.objects.create(
        council=assessment.council,
        assessment=assessment,
        on=on,
        kind=kind,
        summary=summary,
        actor=actor,
    )


@transaction.atomic
def assessment_start(
    *, actor, child: Child, started_on: date, referral: Referral | None = None
) -> Assessment:
    """Begin an assessment of the child and their carers; from a referral accepted for it."""
    require_perm(actor, MANAGE)
    _own(actor, child, referral)
    if referral is not None:
        if referral.child_id != child.pk:
            raise ValidationError({"referral": "Choose one of this child's referrals."})
        if referral.status != ReferralStatus.ACCEPTED_FOR_ASSESSMENT:
            raise TransitionNotAllowed(
                "An assessment starts from a referral accepted for assessment; this one is "
                f"{referral.get_status_display().lower()}."
            )
    if Assessment.objects.filter(
        child=child, status__in=[AssessmentStatus.IN_PROGRESS, AssessmentStatus.COMPLETED]
    ).exists():
        raise TransitionNotAllowed("An assessment of this child is already under way.")
    assessment = Assessment.objects.create(
        council=child.council,
        child=child,
        referral=referral,
        started_on=started_on,
        started_by=actor,
    )
    _assessment_event(
        assessment, actor=actor, on=started_on, kind="started", summary="Assessment started."
    )
    return assessment


@transaction.atomic
def assessment_update(*, actor, assessment: Assessment, **fields) -> Assessment:
    """Fill in sections of the task list while the assessment is in progress."""
    require_perm(actor, MANAGE)
    _own(actor, assessment)
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise TransitionNotAllowed(
            f"This assessment is {assessment.get_status_display().lower()}; only one in "
            "progress can be changed."
        )
    errors = {}
    if fields.get("outcome") and fields["outcome"] not in AssessmentOutcome.values:
        errors["outcome"] = "Choose the outcome."
    for name in REGULATION_3_QUESTIONS:
        if name in fields and fields[name] not in (True, False, None):
            errors[name] = "Answer yes or no."
    if "factors" in fields:
        try:
            fields["factors"] = _clean_factors(fields["factors"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()
    return assessment


def _clean_factors(factors) -> list[str]:
    if not isinstance(factors, list | tuple) or any(
        code not in AssessmentFactor.values for code in factors
    ):
        raise ValidationError({"factors": "Choose from the DfE assessment factor codes."})
    if AssessmentFactor.F21 in factors and len(set(factors)) > 1:
        raise ValidationError(
            {"factors": "21 (no factors identified) cannot be chosen with other factors."}
        )
    return list(dict.fromkeys(factors))


@transaction.atomic
def assessment_factors_set(
    *, actor, assessment: Assessment, factors: list[str], on: date | None = None
) -> Assessment:
    """Record the factors identified at the assessment (the DfE's codes), at any stage: the
    census asks for them once it is authorised, and they are often added at the end."""
    require_perm(actor, MANAGE)
    _own(actor, assessment)
    cleaned = _clean_factors(factors)
    assessment = _locked(Assessment, assessment)
    if cleaned == assessment.factors:
        return assessment
    assessment.factors = cleaned
    assessment.save(update_fields=["factors"])
    _assessment_event(
        assessment,
        actor=actor,
        on=on or timezone.localdate(),
        kind="factors",
        summary="Factors identified at assessment: "
        + (", ".join(cleaned) if cleaned else "none recorded")
        + ".",
    )
    return assessment


SECTION_MESSAGES = {
    "child_needs": "Record the child's needs.",
    "carer_needs": "Record the carer's needs.",
    "regulation_3": "Answer every Regulation 3 question about the carer's breaks.",
    "outcome": "Record the outcome and the recommended support.",
}


@transaction.atomic
def assessment_complete(*, actor, assessment: Assessment, on: date) -> Assessment:
    """Every section done; the person completing it cannot then authorise it."""
    require_perm(actor, MANAGE)
    _own(actor, assessment)
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise TransitionNotAllowed(
            f"This assessment is {assessment.get_status_display().lower()}; only one in "
            "progress can be completed."
        )
    errors = {
        section: SECTION_MESSAGES[section]
        for section, done in assessment.sections.items()
        if not done
    }
    if on < assessment.started_on:
        errors["on"] = "The assessment cannot be completed before it started."
    if errors:
        raise ValidationError(errors)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_on, assessment.completed_by = on, actor
    assessment.save(update_fields=["status", "completed_on", "completed_by"])
    _assessment_event(
        assessment,
        actor=actor,
        on=on,
        kind="completed",
        summary=f"Assessment completed: {assessment.get_outcome_display().lower()}.",
    )
    notify.notify_assessment_to_authorise(assessment, actor=actor)
    return assessment


@transaction.atomic
def assessment_return(*, actor, assessment: Assessment, on: date, reason: str) -> Assessment:
    """A team manager sends a completed assessment back to be worked on."""
    require_perm(actor, AUTHORISE)
    _own(actor, assessment)
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.COMPLETED:
        raise TransitionNotAllowed("Only a completed assessment can be returned.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter what needs to change."})
    assessment.status = AssessmentStatus.IN_PROGRESS
    assessment.completed_on = assessment.completed_by = None
    assessment.save(update_fields=["status", "completed_on", "completed_by"])
    _assessment_event(
        assessment, actor=actor, on=on, kind="returned", summary=f"Returned: {reason}"
    )
    return assessment


@transaction.atomic
def assessment_authorise(*, actor, assessment: Assessment, on: date) -> Assessment:
    """A team manager authorises another person's completed assessment. An outcome of specialist
    short breaks moves the child to the specialist tier."""
    require_perm(actor, AUTHORISE)
    _own(actor, assessment)
    assessment = _locked(Assessment, assessment)
    if assessment.status != AssessmentStatus.COMPLETED:
        raise TransitionNotAllowed(
            f"This assessment is {assessment.get_status_display().lower()}; only a completed "
            "assessment can be authorised."
        )
    if assessment.completed_by_id == actor.pk:
        raise TransitionNotAllowed(
            "You completed this assessment, so another team manager must authorise it."
        )
    if on < assessment.completed_on:
        raise ValidationError(
            {"on": "The assessment cannot be authorised before it was completed."}
        )
    assessment.status = AssessmentStatus.AUTHORISED
    assessment.authorised_on, assessment.authorised_by = on, actor
    assessment.save(update_fields=["status", "authorised_on", "authorised_by"])
    _assessment_event(
        assessment, actor=actor, on=on, kind="authorised", summary="Assessment authorised."
    )
    if assessment.outcome == AssessmentOutcome.SPECIALIST:
        child_tier_change(
            actor=actor,
            child=assessment.child,
            to_tier=ChildTier.SPECIALIST,
            on=on,
            reason="Assessment authorised: needs specialist short breaks.",
        )
    return assessment


# ----------------------------------------------------------------------------------------------
# Packages of support and the panel


def _package_event(package: Package, *, actor, on: date, kind: str, summary: str) -> None:
    PackageEvent.objects.create(
        council=package.council, package=package, on=on, kind=kind, summary=summary, actor=actor
    )


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
    _package_event(
        package,
        actor=actor,
        on=assessment.authorised_on,
        kind="proposed",
        summary="Package proposed for the panel.",
    )
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
    amount = (
        f"{hours_per_week} hours a week"
        if hours_per_week is not None
        else f"{nights_per_year} nights a year"
    )
    _package_event(
        package,
        actor=actor,
        on=start_on,
        kind="line_added",
        summary=f"{service} from {provider}, {amount} at {ratio}.",
    )
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
    _package_event(
        package, actor=actor, on=end_on, kind="line_ended", summary=f"{line} ended: {reason}"
    )
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
    summary: str,
) -> PackageLine:
    """Brokerage found the line its provider: set the provider, its service, the unit rate and
    the lot of the contract it is bought under (a call-off's own lot), or no lot for a spot
    purchase. Only for a line of a package the panel approved (approved or active)."""
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
    _package_event(package, actor=actor, on=on, kind="brokerage", summary=summary)
    return line


@transaction.atomic
def package_brokerage_note(*, actor, line: PackageLine, on: date, summary: str) -> None:
    """A step of the line's brokerage on the child's timeline (raised, sent, closed)."""
    if not (actor.has_perm(MANAGE) or actor.has_perm(COMMISSION)):
        require_perm(actor, MANAGE)
    _own(actor, line)
    _package_event(line.package, actor=actor, on=on, kind="brokerage", summary=summary)


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
    if package.status != PackageStatus.PROPOSED:
        raise TransitionNotAllowed(
            f"The panel decides on a proposed package; this one is "
            f"{package.get_status_display().lower()}."
        )
    members = [m.strip() for m in members if m and m.strip()]
    errors = {}
    if decision not in PanelOutcome.values:
        errors["decision"] = "Choose approved, declined or deferred."
    _require_text(errors, reasons=reasons)
    if not members:
        errors["members"] = "Enter the members of the panel."
    if errors:
        raise ValidationError(errors)
    if decision == PanelOutcome.APPROVED and not package.lines.exists():
        raise TransitionNotAllowed("A package with no services cannot be approved.")
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
        package.status = PackageStatus.APPROVED
        package.save(update_fields=["status"])
    _package_event(
        package,
        actor=actor,
        on=decided_on,
        kind="panel",
        summary=f"Panel {PanelOutcome(decision).label.lower()}: {reasons}",
    )
    notify.notify_panel_decision(panel, actor=actor)
    return panel


@transaction.atomic
def package_activate(*, actor, package: Package, on: date) -> Package:
    """Support starts; the first review falls due after the review interval."""
    require_perm(actor, MANAGE)
    _own(actor, package)
    package = _locked(Package, package)
    if package.status != PackageStatus.APPROVED:
        raise TransitionNotAllowed("Only a package the panel approved can start.")
    package.status = PackageStatus.ACTIVE
    package.start_on = on
    package.next_review_due = on + relativedelta(months=package.review_interval_months)
    package.save(update_fields=["status", "start_on", "next_review_due"])
    _package_event(
        package,
        actor=actor,
        on=on,
        kind="started",
        summary=f"Support started; first review due {package.next_review_due:%d/%m/%Y}.",
    )
    return package


@transaction.atomic
def package_withdraw(*, actor, package: Package, on: date, reason: str) -> Package:
    """Close a package that never started. Support that has started ends only at a review."""
    require_perm(actor, MANAGE)
    _own(actor, package)
    package = _locked(Package, package)
    if package.status not in (PackageStatus.PROPOSED, PackageStatus.APPROVED):
        raise TransitionNotAllowed(
            "Support that has started can be ceased only by a review with a reassessment."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the package is withdrawn."})
    package.status, package.end_on = PackageStatus.CEASED, on
    package.save(update_fields=["status", "end_on"])
    _package_event(package, actor=actor, on=on, kind="withdrawn", summary=f"Withdrawn: {reason}")
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


# ----------------------------------------------------------------------------------------------
# Overnight stays


@transaction.atomic
def overnight_stay_record(
    *,
    actor,
    child: Child,
    first_night: date,
    nights: int,
    line: PackageLine | None = None,
    acknowledge_threshold: bool = False,
) -> list[OvernightStay]:
    """Record a stay of `nights` nights. One that would pass 17 consecutive nights or 75 in 12
    months is refused until the person acknowledges the child would become looked after."""
    require_perm(actor, MANAGE)
    _own(actor, child, line)
    if line is not None and line.package.child_id != child.pk:
        raise ValidationError({"line": "Choose a line of this child's package."})
    if not isinstance(nights, int) or not 1 <= nights <= 366:
        raise ValidationError({"nights": "Enter the number of nights, from 1 to 366."})
    child = _locked(Child, child)
    new = stay_nights(first_night, nights)
    existing = set(OvernightStay.objects.filter(child=child).values_list("night", flat=True))
    if existing & set(new):
        raise ValidationError({"first_night": "Some of these nights are already recorded."})
    warnings = overnight_warnings(existing, new)
    if warnings and not acknowledge_threshold:
        raise ValidationError({"acknowledge_threshold": [w.message for w in warnings]})
    return OvernightStay.objects.bulk_create(
        OvernightStay(council=child.council, child=child, night=night, line=line, recorded_by=actor)
        for night in new
    )


# ----------------------------------------------------------------------------------------------
# Reviews


def review_reduction_errors(
    *,
    outcome: str,
    held_on: date | None,
    reasons: str,
    family_views: str,
    family_told_on: date | None,
    has_reassessment: bool,
) -> dict[str, str]:
    """What reducing or ceasing support needs from the answers alone: the reasons, the family's
    views, the date they were told and a reassessment (Birmingham, 2023). The review form asks
    this before its check page; `review_record` asks it again with the records."""
    errors: dict[str, str] = {}
    if outcome not in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE):
        return errors
    _require_text(errors, reasons=reasons, family_views=family_views)
    if family_told_on is None:
        errors["family_told_on"] = "Enter the date the family was told."
    elif held_on is not None and family_told_on < held_on:
        errors["family_told_on"] = "The family is told of the review's decision after it."
    if not has_reassessment:
        errors["reassessment"] = "Support is reduced or ceased only after a reassessment."
    return errors


@transaction.atomic
def review_record(
    *,
    actor,
    package: Package,
    held_on: date,
    outcome: str,
    reasons: str = "",
    family_views: str = "",
    family_told_on: date | None = None,
    reassessment: Assessment | None = None,
) -> Review:
    """Review an active package. Reducing or ceasing it needs an authorised reassessment, the
    reasons, the family's views and the date they were told (Birmingham, 2023). Ceasing ends the
    package and, with no other support running, moves the child to the tier the reassessment
    found."""
    require_perm(actor, MANAGE)
    _own(actor, package, reassessment)
    package = _locked(Package, package)
    if package.status == PackageStatus.CEASED:
        raise TransitionNotAllowed("This package has ceased; there is nothing to review.")
    if package.status != PackageStatus.ACTIVE:
        raise TransitionNotAllowed("A package is reviewed once support has started.")
    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = "Choose continue, increase, reduce or cease."
    if held_on < package.start_on:
        errors["held_on"] = "The review cannot be before the package started."
    errors.update(
        review_reduction_errors(
            outcome=outcome,
            held_on=held_on,
            reasons=reasons,
            family_views=family_views,
            family_told_on=family_told_on,
            has_reassessment=reassessment is not None,
        )
    )
    if outcome in (ReviewOutcome.REDUCE, ReviewOutcome.CEASE) and reassessment is not None:
        if reassessment.child_id != package.child_id:
            errors["reassessment"] = "Choose a reassessment of this child."
        elif reassessment.pk == package.assessment_id:
            errors["reassessment"] = "The reassessment must be newer than the package's own."
        elif reassessment.status != AssessmentStatus.AUTHORISED:
            errors["reassessment"] = "The reassessment must be authorised first."
    elif reassessment is not None and reassessment.child_id != package.child_id:
        errors["reassessment"] = "Choose a reassessment of this child."
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        council=package.council,
        package=package,
        due_on=package.next_review_due,
        held_on=held_on,
        outcome=outcome,
        reasons=reasons,
        family_views=family_views,
        family_told_on=family_told_on,
        reassessment=reassessment,
        recorded_by=actor,
    )
    label = ReviewOutcome(outcome).label.lower()
    if outcome == ReviewOutcome.CEASE:
        package.status, package.end_on, package.next_review_due = (
            PackageStatus.CEASED,
            held_on,
            None,
        )
        package.save(update_fields=["status", "end_on", "next_review_due"])
        package.lines.filter(end_on__isnull=True).update(end_on=held_on)
        package.lines.filter(end_on__gt=held_on).update(end_on=held_on)
        _package_event(
            package, actor=actor, on=held_on, kind="ceased", summary=f"Ceased at review: {reasons}"
        )
        still_supported = (
            Package.objects.filter(child_id=package.child_id, status=PackageStatus.ACTIVE)
            .exclude(pk=package.pk)
            .exists()
        )
        to_tier = OUTCOME_TIER[AssessmentOutcome(reassessment.outcome)]
        if not still_supported and to_tier != ChildTier.SPECIALIST:
            child_tier_change(
                actor=actor,
                child=package.child,
                to_tier=to_tier,
                on=held_on,
                reason=f"Specialist package ceased at review: {reasons}",
            )
    else:
        package.next_review_due = held_on + relativedelta(months=package.review_interval_months)
        package.save(update_fields=["next_review_due"])
        _package_event(
            package,
            actor=actor,
            on=held_on,
            kind="reviewed",
            summary=f"Reviewed: {label}. Next review due {package.next_review_due:%d/%m/%Y}.",
        )
    return review


# --- reviews ---


@transaction.atomic
def review_record_with_line_ends(
    *,
    actor,
    package: Package,
    end_lines: Iterable[PackageLine] = (),
    lines_end_on: date | None = None,
    **fields,
) -> Review:
    """Record a review and, for a reduction, end the services it stops: all of it or nothing,
    so the decision letter can say exactly what changes."""
    end_lines = list(end_lines)
    errors: dict[str, str] = {}
    if end_lines:
        if fields.get("outcome") != ReviewOutcome.REDUCE:
            errors["end_lines"] = "Only a reduction stops services; choose reduce or no services."
        elif any(line.package_id != package.pk for line in end_lines):
            errors["end_lines"] = "Choose services of this package."
        if lines_end_on is None:
            errors["lines_end_on"] = "Enter the date the services stop."
        elif fields.get("held_on") and lines_end_on < fields["held_on"]:
            errors["lines_end_on"] = "Services stop on or after the day of the review."
    try:
        review = review_record(actor=actor, package=package, **fields)
    except ValidationError as error:
        merged = dict(error.message_dict)
        for name, message in errors.items():
            merged.setdefault(name, []).append(message)
        raise ValidationError(merged) from None
    if errors:
        raise ValidationError(errors)
    for line in end_lines:
        package_line_end(actor=actor, line=line, end_on=lines_end_on, reason=review.reasons)
    return review


# ----------------------------------------------------------------------------------------------
# Parent carer accounts: signing up, applying online, and staff linking carers to accounts

# What the parent's online self-assessment asks, under the question's own words in the answers.
SELF_ASSESSMENT_QUESTIONS: dict[str, str] = {
    "relationship": "What is your relationship to the child?",
    "breaks_would_let_you": "What would breaks from caring let you do?",
    "others_cared_for": "Who else do you care for?",
    "use_of_grant": "What would you use the grant for?",
}
SELF_ASSESSMENT_OPTIONAL = ("others_cared_for",)
PARENT_CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "postcode", "disabilities")
EMAIL_IN_USE = (
    "An account cannot be made with this email address. If you already have an account, sign in."
)


def _email(value: str) -> str:
    return (value or "").strip().lower()


def _require_parent(actor) -> ParentAccount:
    from django.core.exceptions import PermissionDenied

    from referrals.selectors import parent_account

    account = parent_account(actor=actor)
    if account is None or not actor.is_active:
        raise PermissionDenied
    return account


def _parent_details(*, email: str, password: str, first_name: str, last_name: str):
    """The sign-up answers checked on their own (never against who else has the address): the
    normalised email, an unsaved user holding them, and the field messages."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.validators import validate_email

    email = _email(email)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not first_name:
        errors["first_name"] = ["Enter your first name."]
    if not last_name:
        errors["last_name"] = ["Enter your last name."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter an email address in the correct format, like name@example.com."]
    user = get_user_model()(
        username=email, email=email, first_name=first_name, last_name=last_name, is_active=False
    )
    try:
        validate_password(password or "", user=user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    return email, user, errors


def _users_with_address(email: str, *, lock: bool = False):
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    return list((users.select_for_update() if lock else users).order_by("pk"))


def _unconfirmed_account(user) -> ParentAccount | None:
    """The user's parent account if it is still waiting for its link (never a closed one)."""
    if user.is_active:
        return None
    return ParentAccount.objects.filter(user=user, confirmed_at__isnull=True).first()


def _save_new_parent(*, council, user) -> ParentAccount | None:
    """Insert the user and their unconfirmed account; None if the address was taken at the same
    moment by another sign-up (the unique username), which then owns it."""
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            user.save()
            return ParentAccount.objects.create(council=council, user=user)
    except IntegrityError:
        return None


@transaction.atomic
def parent_account_create(
    *, council, email: str, password: str, first_name: str, last_name: str
) -> ParentAccount:
    """A parent carer account for one council's pages, unconfirmed: it cannot sign in until
    `parent_account_confirm`. The account holds no staff membership and no active council, so no
    staff page or API lets it in. An email address already in use is refused without saying
    whose account it is. (The sign-up page uses `parent_account_sign_up`, which says nothing.)"""
    email, user, errors = _parent_details(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    if "email" not in errors and _users_with_address(email):
        errors["email"] = [EMAIL_IN_USE]
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    account = _save_new_parent(council=council, user=user)
    if account is None:
        raise ValidationError({"email": [EMAIL_IN_USE]})
    return account


@dataclass(frozen=True)
class ParentSignUp:
    """What a sign-up did: made (or renewed) an unconfirmed account, whose address is sent the
    link; or found the address already in use by `existing`, who is told someone tried. Whoever
    signed up is answered the same either way."""

    account: ParentAccount | None = None
    existing: object | None = None


@transaction.atomic
def parent_account_sign_up(
    *, council, email: str, password: str, first_name: str, last_name: str
) -> ParentSignUp:
    """A parent carer signs up. Answers that are wrong in themselves (a name missing, an email
    address in the wrong format, a weak password) are refused as field messages; whether the
    address is in use is never one of them:
    - a new address gets an unconfirmed account;
    - an address whose account is still unconfirmed has it renewed with these answers (name,
      password, council), so a stranger who got there first holds nothing: the link goes to the
      address, and following it needs the password given last;
    - an address in use otherwise (a confirmed or closed parent account, staff) changes nothing.
    The password is hashed in every case, so the answer takes as long whichever it was."""
    from django.contrib.auth.hashers import make_password

    email, user, errors = _parent_details(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    if errors:
        raise ValidationError(errors)
    hashed = make_password(password)
    # An address is one person's across every council: an unconfirmed account made on another
    # council's pages is found, and moved here, whichever council's pages these are.
    with rls.all_councils():
        return _parent_account_sign_up(council=council, user=user, email=email, hashed=hashed)


def _parent_account_sign_up(*, council, user, email: str, hashed: str) -> ParentSignUp:
    users = _users_with_address(email, lock=True)
    if not users:
        user.password = hashed
        return ParentSignUp(account=_save_new_parent(council=council, user=user))
    pending = _unconfirmed_account(users[0]) if len(users) == 1 else None
    if pending is None:
        existing = next((found for found in users if found.email), users[0])
        return ParentSignUp(existing=existing)
    renewed = users[0]
    renewed.first_name, renewed.last_name = user.first_name, user.last_name
    renewed.password = hashed
    renewed.save(update_fields=["first_name", "last_name", "password"])
    if pending.council_id != council.pk:
        pending.council = council
        pending.save(update_fields=["council"])
    pending.user = renewed
    return ParentSignUp(account=pending)


@transaction.atomic
def parent_account_confirm(*, account: ParentAccount) -> ParentAccount:
    """The link emailed to the account's address was followed, by someone who knew its password:
    the account may sign in from now on. Once only."""
    account = ParentAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if account.confirmed_at is not None:
        raise TransitionNotAllowed("This account is already confirmed. Sign in to use it.")
    account.confirmed_at = timezone.now()
    account.save(update_fields=["confirmed_at"])
    account.user.is_active = True
    account.user.save(update_fields=["is_active"])
    return account


def _self_assessment_answers(caring: dict, child: Child, *, new_child: bool) -> dict[str, str]:
    answers: dict[str, str] = {
        "Child's name": child.full_name,
        "Child's date of birth": f"{child.date_of_birth:%d/%m/%Y}",
    }
    if new_child:
        labels = dict(Disability.choices)
        answers["Child's postcode"] = child.postcode
        answers["Child's disabilities"] = ", ".join(
            f"{labels[code]} ({code})" for code in child.disabilities
        )
    for key, question in SELF_ASSESSMENT_QUESTIONS.items():
        answers[question] = (caring.get(key) or "").strip()
    return answers


@transaction.atomic
def grant_application_submit_online(
    *,
    actor,
    scheme: GrantScheme,
    caring: dict,
    child: Child | None = None,
    child_fields: dict | None = None,
    today: date | None = None,
) -> GrantApplication:
    """A parent carer applies online for their council's targeted grant.

    For a child already linked to their account, the application is that child's. With no linked
    child, the child is recorded (at no tier, with a council child id) from the parent's answers,
    with the parent as a carer linked to their account, so the application joins the staff
    waiting list like any other. It is received today, waiting for a decision, with every answer
    kept under its question's own words."""
    account = _require_parent(actor)
    today = today or timezone.localdate()
    if scheme.council_id != account.council_id:
        raise RecordNotFound(object_type=scheme._meta.label_lower, object_id=scheme.pk)
    if child is not None and (
        child.council_id != account.council_id
        or not Carer.objects.filter(child=child, account=actor).exists()
    ):
        raise RecordNotFound(object_type=child._meta.label_lower, object_id=child.pk)
    caring = dict(caring or {})
    errors: dict[str, str] = {}
    unknown = set(caring) - set(SELF_ASSESSMENT_QUESTIONS)
    if unknown:
        raise TypeError(f"Unexpected answers: {', '.join(sorted(unknown))}")
    for key in SELF_ASSESSMENT_QUESTIONS:
        if key not in SELF_ASSESSMENT_OPTIONAL and not (caring.get(key) or "").strip():
            errors[key] = "Answer this question."
    new_child = child is None
    if new_child:
        fields = dict(child_fields or {})
        if set(fields) - set(PARENT_CHILD_FIELDS):
            raise TypeError("Unexpected child fields.")
        try:
            cleaned = _clean_child_fields(fields)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
            cleaned = {}
        for name, message in (
            ("first_name", "Enter the child's first name."),
            ("last_name", "Enter the child's last name."),
            ("postcode", "Enter the child's postcode."),
        ):
            if name not in errors and not cleaned.get(name):
                errors[name] = message
        born = fields.get("date_of_birth")
        if born is None:
            errors["date_of_birth"] = "Enter the child's date of birth."
        elif born > today:
            errors["date_of_birth"] = "The date of birth must be in the past."
        elif born < today - relativedelta(years=25):
            errors["date_of_birth"] = "The child must be under 25."
    if errors:
        raise ValidationError(errors)
    if new_child:
        child = Child(council_id=account.council_id, **cleaned)
        child.full_clean(exclude=["council_child_id"])
        child.save()
        child.council_child_id = f"CH{child.pk:07d}"
        child.save(update_fields=["council_child_id"])
        carer = Carer.objects.create(
            council_id=account.council_id,
            child=child,
            name=actor.get_full_name() or actor.email,
            relationship=caring["relationship"].strip()[:100],
            contact=actor.email,
            own_needs=(caring.get("breaks_would_let_you") or "").strip(),
            account=actor,
        )
        CarerAccountEvent.objects.create(
            council_id=account.council_id,
            child=child,
            carer=carer,
            kind=CarerAccountEvent.LINKED,
            email=actor.email,
            on=today,
            summary=f"{carer.name} applied online; the child was recorded from their answers "
            "and their parent account linked.",
            actor=actor,
        )
    application = GrantApplication(
        council_id=account.council_id,
        child=child,
        scheme=scheme,
        received_on=today,
        status=GrantStatus.RECEIVED,
        answers=_self_assessment_answers(caring, child, new_child=new_child),
    )
    _grant_application_insert(application, parent=True)
    return application


@transaction.atomic
def carer_account_link(*, actor, carer: Carer, email: str, on: date | None = None) -> Carer:
    """Link a carer to a parent account of the same council, found by its email address, so the
    parent sees the child's applications and package. An account of another council is answered
    exactly as one that does not exist."""
    require_perm(actor, MANAGE)
    _own(actor, carer)
    carer = _locked(Carer, carer)
    if carer.account_id is not None:
        raise TransitionNotAllowed(
            "This carer is already linked to a parent account. Unlink it first."
        )
    email = _email(email)
    if not email:
        raise ValidationError({"email": "Enter the email address of the parent's account."})
    account = (
        ParentAccount.objects.filter(council_id=carer.council_id, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if account is None or not account.user.is_active:
        raise ValidationError({"email": "No parent account of the council has this email address."})
    if Carer.objects.filter(child_id=carer.child_id, account=account.user).exists():
        raise ValidationError({"email": "This account is already linked to a carer of the child."})
    carer.account = account.user
    carer.save(update_fields=["account"])
    CarerAccountEvent.objects.create(
        council=carer.council,
        child_id=carer.child_id,
        carer=carer,
        kind=CarerAccountEvent.LINKED,
        email=account.user.email,
        on=on or timezone.localdate(),
        summary=f"{carer.name} linked to the parent account {account.user.email}.",
        actor=actor,
    )
    return carer


@transaction.atomic
def carer_account_unlink(*, actor, carer: Carer, on: date | None = None) -> Carer:
    """Unlink a carer from their parent account: the parent no longer sees this child."""
    require_perm(actor, MANAGE)
    _own(actor, carer)
    carer = _locked(Carer, carer)
    if carer.account_id is None:
        raise TransitionNotAllowed("This carer is not linked to a parent account.")
    email = carer.account.email
    carer.account = None
    carer.save(update_fields=["account"])
    CarerAccountEvent.objects.create(
        council=carer.council,
        child_id=carer.child_id,
        carer=carer,
        kind=CarerAccountEvent.UNLINKED,
        email=email,
        on=on or timezone.localdate(),
        summary=f"{carer.name} unlinked from the parent account {email}.",
        actor=actor,
    )
    return carer


# ----------------------------------------------------------------------------------------------
# Case notes

VIEW_NOTE = "referrals.view_casenote"
ADD_NOTE = "referrals.add_casenote"
MERGE = "referrals.merge_child"
# How long a note's author may correct it in place; after that a correction is a new note.
CORRECTION_WINDOW = timedelta(hours=24)


def _note_errors(*, on, kind: str, text: str, today: date) -> dict:
    errors = {}
    if kind not in CaseNoteKind.values:
        errors["kind"] = "Choose visit, phone call, email, meeting or observation."
    if not (text or "").strip():
        errors["text"] = "Enter the note."
    if on is None:
        errors["on"] = "Enter the date."
    elif on > today:
        errors["on"] = "The date cannot be in the future."
    return errors


@transaction.atomic
def case_note_add(
    *,
    actor,
    child: Child,
    on: date,
    kind: str,
    text: str,
    upload=None,
    corrects: CaseNote | None = None,
) -> CaseNote:
    """A note on the child's record, with any attachment checked as documents are (the type from
    the bytes, the stored name the server's own). `corrects` names an earlier note it corrects."""
    require_perm(actor, ADD_NOTE)
    _own(actor, child, corrects)
    if child.merged_into_id is not None:
        raise TransitionNotAllowed("This record was merged into another; add notes there.")
    errors = _note_errors(on=on, kind=kind, text=text, today=timezone.localdate())
    if corrects is not None and corrects.child_id != child.pk:
        errors["corrects"] = "Choose a note of this child."
    checked = None
    if upload is not None:
        try:
            checked = check_upload(upload, name=getattr(upload, "name", "") or "")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    note = CaseNote(
        council=child.council,
        child=child,
        on=on,
        kind=kind,
        text=text.strip(),
        corrects=corrects,
        author=actor,
    )
    if checked is None:
        note.save()
    else:
        note.original_name = checked.display_name
        note.content_type = checked.content_type
        note.size = checked.size
        note.sha256 = checked.sha256
        save_with_file(note, checked)
    return note


def case_note_correctable_in_place(*, actor, note: CaseNote, now=None) -> bool:
    """Its author, within a day of writing it."""
    now = now or timezone.now()
    return note.author_id == actor.pk and now - note.created_at <= CORRECTION_WINDOW


@transaction.atomic
def case_note_correct(*, actor, note: CaseNote, on: date, kind: str, text: str) -> CaseNote:
    """Its author corrects a note in place within a day of writing it. After that, or by anyone
    else, the correction is a new note that points at the old one, which stays as it was."""
    require_perm(actor, ADD_NOTE)
    _own(actor, note)
    note = _locked(CaseNote, note)
    if not case_note_correctable_in_place(actor=actor, note=note):
        return case_note_add(
            actor=actor, child=note.child, on=on, kind=kind, text=text, corrects=note
        )
    errors = _note_errors(on=on, kind=kind, text=text, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    note.on, note.kind, note.text = on, kind, text.strip()
    note.corrected_at = timezone.now()
    note.save(update_fields=["on", "kind", "text", "corrected_at"])
    return note


# ----------------------------------------------------------------------------------------------
# Duplicate records: merging one child's record into another


def _merge_conflicts(keep: Child, merge: Child) -> dict:
    """What cannot move without breaking a rule the records keep: one live grant application a
    year per scheme, and one overnight stay a night."""
    errors = {}
    schemes = set(
        GrantApplication.objects.filter(child=keep)
        .exclude(status=GrantStatus.DECLINED)
        .values_list("scheme_id", flat=True)
    )
    clash = (
        GrantApplication.objects.filter(child=merge, scheme_id__in=schemes)
        .exclude(status=GrantStatus.DECLINED)
        .select_related("scheme")
        .first()
    )
    if clash is not None:
        errors["merge"] = (
            f"Both records have a live application on {clash.scheme}. Decide or decline one "
            "of them first: a child has one application a year on a scheme."
        )
    nights = OvernightStay.objects.filter(child=keep).values("night")
    if OvernightStay.objects.filter(child=merge, night__in=nights).exists():
        errors["merge"] = (
            "Both records have an overnight stay on the same night. Remove the duplicate stay "
            "first."
        )
    return errors


def _child_foreign_keys() -> list[tuple[type[Model], models.ForeignKey]]:
    """Every foreign key to a child, of any app (hidden ones, `related_name="+"`, included), but
    the record's own pointer and the merge events' other record."""
    found = []
    for model in apps.get_models():
        if model is Child:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey) or field.remote_field.model is not Child:
                continue
            if model is ChildEvent and field.name == "other":
                continue
            found.append((model, field))
    return found


@transaction.atomic
def child_merge(*, actor, keep: Child, merge: Child, on: date | None = None) -> Child:
    """A team manager merges a duplicate record (`merge`) into the one kept: every record about
    the child (referrals, assessments, packages, reviews through them, notes, carers, grants,
    documents through referrals, overnight stays, and any other record pointing at a child) moves
    to `keep`; `merge` stays only as a pointer to it. Both timelines record it."""
    require_perm(actor, MERGE)
    _own(actor, keep, merge)
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A record cannot be merged into itself."})
    first, second = sorted([keep.pk, merge.pk])
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[first, second])}
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id is not None:
        raise ValidationError(
            {"keep": "This record was already merged into another. Merge into that one."}
        )
    if merge.merged_into_id is not None:
        raise ValidationError({"merge": "That record was already merged into another."})
    errors = _merge_conflicts(keep, merge)
    if errors:
        raise ValidationError(errors)
    on = on or timezone.localdate()
    for model, field in _child_foreign_keys():
        try:
            with transaction.atomic():
                model._base_manager.filter(**{field.name: merge}).update(**{field.name: keep})
        except IntegrityError:
            # A rule of that record (one of a kind per child) both records already hold.
            raise ValidationError(
                {
                    "merge": f"Both records have {model._meta.verbose_name_plural} that a child "
                    "can have only one of at a time. Settle them first."
                }
            ) from None
    merge.merged_into, merge.merged_at = keep, timezone.now()
    merge.save(update_fields=["merged_into", "merged_at", "updated_at"])
    ChildEvent.objects.create(
        council=keep.council,
        child=keep,
        other=merge,
        kind=ChildEvent.MERGED_IN,
        on=on,
        summary=f"Record {merge.council_child_id or merge.pk} ({merge.full_name}) merged into this "
        "one: its referrals, assessments, packages, notes, carers, grants and stays moved here.",
        actor=actor,
    )
    ChildEvent.objects.create(
        council=merge.council,
        child=merge,
        other=keep,
        kind=ChildEvent.MERGED_AWAY,
        on=on,
        summary=f"Merged into record {keep.council_child_id or keep.pk} ({keep.full_name}), "
        "where everything recorded about the child now is.",
        actor=actor,
    )
    return keep
