"""Direct payments: money the council pays a family so they buy a child's short breaks themselves.

An agreement belongs to one child and pays what the child's package lines funded by direct
payment cost, per period. Its schedule is made from it; finance officers record the payments
made and any unspent money recovered. The balance is what was paid less what was recovered.
Every change goes through `directpayments/services.py`, which writes a dated event (through
`directpayments/events.py`). Whether an agreement still runs is its `status`, whose changes are
declared once on the model (shortbreaks/states.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from referrals.models import Child
from shortbreaks.councils.models import CouncilOwned
from shortbreaks.events import TypedEvent, render_summary
from shortbreaks.states import FSMField, transition

PENNY = Decimal("0.01")


def _actor_fk(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class PaymentPeriod(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FOUR_WEEKLY = "four_weekly", "Every 4 weeks"
    MONTHLY = "monthly", "Every month"


class PaymentMethod(models.TextChoices):
    MANAGED_ACCOUNT = "managed_account", "Managed account"
    PREPAID_CARD = "prepaid_card", "Prepaid card"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue as agreed"
    CHANGE = "change", "Continue with changes"
    END = "end", "End the direct payment"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


ENDED_REFUSAL = "This direct payment has ended; nothing more can be recorded"


class Agreement(CouncilOwned):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="dp_agreements")
    recipient_name = models.CharField(max_length=200)
    recipient_relationship = models.CharField(max_length=100, help_text="e.g. mother")
    purpose = models.TextField(help_text="What the direct payment pays for.")
    period = models.CharField(max_length=20, choices=PaymentPeriod.choices)
    amount_per_period = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(PENNY)]
    )
    start_on = models.DateField()
    end_on = models.DateField()
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    check_interval_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="How often the account is checked, in months.",
    )
    next_check_due = models.DateField()
    status = FSMField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    ended_on = models.DateField(null=True, blank=True)
    created_by = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["council", "child"]),
            models.Index(fields=["council", "-start_on", "-id"], name="dp_agreement_council_list"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="dp_agreement_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(amount_per_period__gt=0), name="dp_agreement_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Direct payment DP-{self.pk} from {self.start_on:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        return f"DP-{self.pk}"

    @transition(
        field=status,
        source=[AgreementStatus.ACTIVE],
        target=AgreementStatus.ACTIVE,
        permission="directpayments.record_payment",
        custom={"label": "Record a payment", "refused": ENDED_REFUSAL},
    )
    def pay(self):
        pass

    @transition(
        field=status,
        source=[AgreementStatus.ACTIVE],
        target=AgreementStatus.ACTIVE,
        permission="directpayments.review_agreement",
        custom={"label": "Record a review", "refused": ENDED_REFUSAL},
    )
    def review(self):
        pass

    @transition(
        field=status,
        source=[AgreementStatus.ACTIVE],
        target=AgreementStatus.ENDED,
        permission="directpayments.review_agreement",
        custom={"label": "End the direct payment", "refused": ENDED_REFUSAL},
    )
    def end(self):
        pass


class ScheduledPayment(CouncilOwned):
    """One payment due under the agreement, made from it when the agreement is set up."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["council", "agreement", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "due_on"], name="dp_schedule_unique_due")
        ]


class Payment(CouncilOwned):
    """Money the council paid into the account or card."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(PENNY)]
    )
    reference = models.CharField(max_length=60, blank=True, help_text="The finance reference.")
    recorded_by = _actor_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [
            models.Index(fields=["council", "agreement"]),
            models.Index(fields=["council", "paid_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dp_payment_amount_positive")
        ]


class Recovery(CouncilOwned):
    """Unspent money taken back from the account or card, with the reason."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="recoveries")
    recovered_on = models.DateField()
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(PENNY)]
    )
    reason = models.TextField()
    recorded_by = _actor_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recovered_on", "id"]
        verbose_name_plural = "recoveries"
        indexes = [
            models.Index(fields=["council", "agreement"]),
            models.Index(fields=["council", "recovered_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dp_recovery_amount_positive")
        ]


class AgreementReview(CouncilOwned):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = _actor_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["council", "agreement"])]


class AgreementEventKind(models.TextChoices):
    CREATED = "created", "Set up"
    PAID = "paid", "Paid"
    RECOVERED = "recovered", "Recovered"
    REVIEWED = "reviewed", "Reviewed"


def _pounds(value) -> str:
    return f"£{Decimal(str(value)):,.2f}"


class AgreementEvent(TypedEvent, CouncilOwned):
    """One line of an agreement's history: set up, paid, recovered, reviewed, ended. Written
    through `directpayments/events.py`."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    on = models.DateField()
    kind = models.CharField(max_length=30, choices=AgreementEventKind.choices)
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        AgreementEventKind.CREATED: (
            "Set up to pay {recipient} {amount_text} {period} for {services}."
        ),
        AgreementEventKind.PAID: "{amount_text} paid.",
        AgreementEventKind.RECOVERED: "{amount_text} of unspent money recovered: {reason}",
        AgreementEventKind.REVIEWED: "Reviewed: {outcome_text}.{notes_text}",
    }

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["council", "agreement"])]

    @property
    def summary(self) -> str:
        params = dict(self.params or {})
        if params.get("amount") is not None:
            params["amount_text"] = _pounds(params["amount"])
        if "outcome" in params:
            params["outcome_text"] = ReviewOutcome(params["outcome"]).label.lower()
            params["notes_text"] = f" {params['notes']}" if params.get("notes") else ""
        if "services" in params and isinstance(params["services"], list):
            params["services"] = ", ".join(params["services"])
        return render_summary(self.SUMMARIES.get(self.kind), params)
