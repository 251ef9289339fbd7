"""Brokerage through the DPS: a package line the panel approved is described without identifiers,
sent to the approved members of the DPS lot that fits, answered by providers, scored on price and
quality, and awarded as a call-off contract (or spot purchased with a reason).

State lives in `BrokerageRequest.status` and each answer's `BrokerageResponse.outcome`, their
changes declared once as transitions on the models (shortbreaks/states.py) and made only by
`brokerage/services/`; each change of a request writes a `BrokerageEvent` for the request's
timeline and a package event for the child's.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.dateparse import parse_date

from contracts.models import DPS, Contract, Lot
from providers.models import Provider, Ratio
from referrals.models import PackageLine
from shortbreaks.councils.models import CouncilOwned
from shortbreaks.events import TypedEvent, render_summary
from shortbreaks.states import FSMField, Rule, transition


def _actor_fk(**kwargs):
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **kwargs
    )


class AgeBand(models.TextChoices):
    """Wide enough that the band never points at one child."""

    UNDER_5 = "0-4", "0 to 4"
    FROM_5 = "5-7", "5 to 7"
    FROM_8 = "8-11", "8 to 11"
    FROM_12 = "12-14", "12 to 14"
    FROM_15 = "15-17", "15 to 17"


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft: to check"
    SENT = "sent", "Sent to providers"
    AWARDED = "awarded", "Awarded"
    SPOT_PURCHASED = "spot_purchased", "Spot purchased"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.SENT)

MANAGE = "brokerage.manage_request"
AWARD = "brokerage.award_request"


class Unit(models.TextChoices):
    HOUR = "hour", "an hour"
    NIGHT = "night", "a night"


class BrokerageRequest(CouncilOwned):
    """What the council asks providers for, without anything that identifies the child."""

    line = models.ForeignKey(
        PackageLine, on_delete=models.PROTECT, related_name="brokerage_requests"
    )
    dps = models.ForeignKey(DPS, on_delete=models.PROTECT, related_name="brokerage_requests")
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        related_name="brokerage_requests",
        help_text="The lot of the DPS's contract that fits the need.",
    )
    status = FSMField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    # The requirement, with identifiers removed.
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    needs_summary = models.TextField()
    ratio = models.CharField(max_length=5, choices=Ratio.choices)
    hours_per_week = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    nights_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    area = models.CharField(max_length=4, help_text="The postcode district only, e.g. HR4.")
    start_date = models.DateField()
    outcomes = models.TextField(help_text="What the support should achieve.")
    # What the service took out of the text (kinds only, never the values), for the checker.
    removed = models.JSONField(default=list, blank=True)
    deadline = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    contract = models.OneToOneField(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brokerage_request",
        help_text="The call-off contract the award made.",
    )
    spot_provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    spot_unit_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    created_by = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["council", "status", "deadline"]),
            models.Index(fields=["council", "id"], name="brokerage_council_keyset"),
        ]

    def __str__(self) -> str:
        return f"Brokerage request {self.pk}"

    @property
    def unit(self) -> str:
        return Unit.HOUR if self.hours_per_week is not None else Unit.NIGHT

    def get_unit_display(self) -> str:
        return Unit(self.unit).label

    @property
    def amount_display(self) -> str:
        if self.hours_per_week is not None:
            return f"{self.hours_per_week.normalize():f} hours a week"
        return f"{self.nights_per_year} nights a year"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # Its status changes, declared once (shortbreaks/states.py); brokerage/services/ makes them.

    @transition(
        field=status,
        source=[RequestStatus.DRAFT],
        target=RequestStatus.DRAFT,
        permission=MANAGE,
        custom={
            "label": "Change the requirement",
            "refused": "Only a draft request can be changed; this one has gone.",
        },
    )
    def change(self):
        pass

    @transition(
        field=status,
        source=OPEN_STATUSES,
        target=RequestStatus.SENT,
        permission=MANAGE,
        custom={
            "label": "Send to providers",
            "refused": "This request is closed (awarded, spot purchased or withdrawn); it cannot "
            "be sent.",
        },
    )
    def send(self):
        pass

    @transition(
        field=status,
        source=[RequestStatus.SENT],
        target=RequestStatus.SENT,
        permission=None,  # the provider's own staff, or council staff on its behalf
        custom={
            "label": "Record an answer",
            "refused": "Only a request sent to providers takes answers; this one is a draft, or "
            "closed.",
        },
    )
    def answer(self):
        pass

    @transition(
        field=status,
        source=[RequestStatus.SENT],
        target=RequestStatus.AWARDED,
        permission=AWARD,
        custom={
            "label": "Award",
            "refused": "Only a request sent to providers can be awarded; this one is a draft, "
            "already awarded or spot purchased, or withdrawn.",
        },
    )
    def award(self):
        pass

    @transition(
        field=status,
        source=[RequestStatus.SENT],
        target=RequestStatus.SPOT_PURCHASED,
        permission=AWARD,
        custom={
            "label": "Spot purchase",
            "refused": "Only a request sent to providers can be spot purchased; this one is a "
            "draft, already awarded or spot purchased, or withdrawn.",
        },
    )
    def spot_purchase(self):
        pass

    @transition(
        field=status,
        source=OPEN_STATUSES,
        target=RequestStatus.WITHDRAWN,
        permission=MANAGE,
        custom={
            "label": "Withdraw the request",
            "refused": "This request is closed (awarded, spot purchased or withdrawn); it cannot "
            "be withdrawn.",
        },
    )
    def withdraw(self):
        pass


class BrokerageInvitation(CouncilOwned):
    """One provider asked to answer a request: the approved DPS member it was sent to."""

    request = models.ForeignKey(
        BrokerageRequest, on_delete=models.CASCADE, related_name="invitations"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="brokerage_invitations"
    )
    sent_on = models.DateField()
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["provider__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "provider"], name="brokerage_invitation_unique"
            )
        ]
        indexes = [models.Index(fields=["council", "provider"])]


class ResponseOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for the decision"
    AWARDED = "awarded", "Awarded"
    NOT_CHOSEN = "not_chosen", "Not chosen"
    CLOSED = "closed", "Request closed without an award"


DECIDED = (
    "This answer has its outcome already: it was awarded, not chosen, or closed with the request."
)


def _can_meet_reason(response) -> str:
    return f"{response.provider} said it cannot meet the need."


class BrokerageResponse(CouncilOwned):
    """A provider's answer. `outcome` is what the provider is told once the council decides,
    its changes declared once as transitions below and made only by the services;
    `outcome_notified_at` is set when the notice goes (nothing is sent from here)."""

    invitation = models.OneToOneField(
        BrokerageInvitation, on_delete=models.CASCADE, related_name="response"
    )
    request = models.ForeignKey(
        BrokerageRequest, on_delete=models.CASCADE, related_name="responses"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="brokerage_responses"
    )
    can_meet = models.BooleanField()
    price_per_unit = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    start_date = models.DateField(null=True, blank=True)
    comments = models.TextField(blank=True)
    recorded_by = _actor_fk()
    on_behalf = models.BooleanField(
        default=False, help_text="Recorded by council staff on the provider's behalf."
    )
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = FSMField(
        max_length=20, choices=ResponseOutcome.choices, default=ResponseOutcome.PENDING
    )
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["council", "outcome", "outcome_notified_at"])]

    # Pending until the council decides: the chosen answer is awarded, the others not chosen;
    # a request spot purchased or withdrawn closes every answer.

    @transition(
        field=outcome,
        source=[ResponseOutcome.PENDING],
        target=ResponseOutcome.AWARDED,
        permission=AWARD,
        conditions=[Rule(lambda response: response.can_meet, _can_meet_reason)],
        custom={"label": "Award", "refused": DECIDED},
    )
    def award(self):
        pass

    @transition(
        field=outcome,
        source=[ResponseOutcome.PENDING],
        target=ResponseOutcome.NOT_CHOSEN,
        permission=AWARD,
        custom={"label": "Not chosen", "refused": DECIDED},
    )
    def pass_over(self):
        pass

    @transition(
        field=outcome,
        source=[ResponseOutcome.PENDING],
        target=ResponseOutcome.CLOSED,
        permission=MANAGE,
        custom={"label": "Close without an award", "refused": DECIDED},
    )
    def close(self):
        pass


class BrokerageWeights(CouncilOwned):
    """How a DPS's answers are scored: price and quality, in percent, adding up to 100."""

    dps = models.OneToOneField(DPS, on_delete=models.CASCADE, related_name="brokerage_weights")
    price_weight = models.PositiveSmallIntegerField(default=60, validators=[MaxValueValidator(100)])
    quality_weight = models.PositiveSmallIntegerField(
        default=40, validators=[MaxValueValidator(100)]
    )
    updated_by = _actor_fk()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "brokerage weights"


class BrokerageEventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    CHANGED = "changed", "Requirement changed"
    SENT = "sent", "Sent"
    SENT_AGAIN = "sent_again", "Sent again"
    ANSWER = "answer", "Answer"
    AWARDED = "awarded", "Awarded"
    SPOT = "spot", "Spot purchased"
    WITHDRAWN = "withdrawn", "Withdrawn"


def _pounds(value) -> str:
    return f"£{Decimal(str(value)):,.2f}"


class BrokerageEvent(TypedEvent, CouncilOwned):
    """One line of a request's timeline, written through `brokerage/events.py`."""

    request = models.ForeignKey(BrokerageRequest, on_delete=models.CASCADE, related_name="events")
    on = models.DateField()
    kind = models.CharField(max_length=30, choices=BrokerageEventKind.choices)
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        BrokerageEventKind.RAISED: "Raised as a draft to check.",
        BrokerageEventKind.CHANGED: "Requirement changed.",
        BrokerageEventKind.SENT: "Sent to {names}; answers by {deadline:%d/%m/%Y}.",
        BrokerageEventKind.SENT_AGAIN: (
            "Sent again with a new deadline, {deadline:%d/%m/%Y}; added: {names}."
        ),
        BrokerageEventKind.ANSWER: "{provider} {answer}{behalf}.",
        BrokerageEventKind.AWARDED: (
            "Awarded to {provider} at {price_text} {unit} under call-off contract {contract}."
        ),
        BrokerageEventKind.SPOT: "Spot purchased from {provider} at {price_text} {unit}: {reason}",
        BrokerageEventKind.WITHDRAWN: "Withdrawn: {reason}",
    }

    class Meta:
        ordering = ["at", "id"]

    @property
    def summary(self) -> str:
        params = dict(self.params or {})
        if "providers" in params:
            params["names"] = ", ".join(params["providers"]) or "no more providers"
        if params.get("price") is not None:
            params["price_text"] = _pounds(params["price"])
        if "can_meet" in params:
            params["answer"] = (
                f"can meet the need at {_pounds(params['price'])} {params['unit']} from "
                f"{_as_date(params['start_date']):%d/%m/%Y}"
                if params["can_meet"]
                else "cannot meet the need"
            )
            params["behalf"] = " (recorded on its behalf)" if params.get("on_behalf") else ""
        return render_summary(self.SUMMARIES.get(self.kind), params)


def _as_date(value):
    return parse_date(value) if isinstance(value, str) else value
