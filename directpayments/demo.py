"""Demo direct payments: for children whose package has a line paid by direct payment, an
agreement with its schedule, the payments made so far and, in the first council, one recovery of
unspent money. Idempotent: a child who already has an agreement is left as it is."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from directpayments import services
from directpayments.models import Agreement, PaymentMethod, PaymentPeriod, Recovery
from providers.demo import demo_actor
from referrals.models import Carer, FundingRoute, PackageLine, PackageStatus
from shortbreaks.councils.models import Council, Role

PER_COUNCIL = 3
PAYMENTS_AT_MOST = 6


def _children(council: Council) -> list:
    lines = (
        PackageLine.objects.filter(
            council=council,
            funding_route=FundingRoute.DIRECT_PAYMENT,
            package__status=PackageStatus.ACTIVE,
            end_on__isnull=True,
        )
        .select_related("package__child")
        .order_by("package__child_id", "start_on", "id")
    )
    found: dict[int, tuple] = {}
    for line in lines:
        found.setdefault(line.package.child_id, (line.package.child, line.start_on))
    return list(found.values())[:PER_COUNCIL]


def _seed_council(council: Council, today: date, *, with_recovery: bool) -> bool:
    worker = demo_actor(council.slug, Role.SOCIAL_WORKER)
    finance = demo_actor(council.slug, Role.FINANCE_OFFICER)
    made = False
    for index, (child, line_start) in enumerate(_children(council)):
        if Agreement.objects.filter(council=council, child=child).exists():
            continue
        start_on = max(line_start, today - relativedelta(months=5)).replace(day=1)
        if start_on < line_start:
            start_on = line_start
        carer = Carer.objects.filter(council=council, child=child).order_by("id").first()
        agreement = services.agreement_create(
            actor=worker,
            child=child,
            recipient_name=carer.name if carer else f"Parent of {child.first_name}",
            recipient_relationship=carer.relationship if carer else "parent",
            purpose="Personal assistant hours at weekends and in the school holidays.",
            period=PaymentPeriod.MONTHLY,
            start_on=start_on,
            end_on=start_on + relativedelta(years=1, days=-1),
            method=PaymentMethod.PREPAID_CARD if index % 2 else PaymentMethod.MANAGED_ACCOUNT,
        )
        due = [d for d in agreement.schedule.order_by("due_on") if d.due_on <= today]
        for scheduled in due[:PAYMENTS_AT_MOST]:
            services.payment_record(
                actor=finance,
                agreement=agreement,
                paid_on=scheduled.due_on,
                amount=scheduled.amount,
                reference=f"DP{agreement.pk:05d}-{scheduled.due_on:%Y%m}",
            )
        made = True
        if with_recovery and due and not Recovery.objects.filter(council=council).exists():
            amount = (agreement.amount_per_period / 2).quantize(Decimal("0.01"))
            services.recovery_record(
                actor=finance,
                agreement=agreement,
                recovered_on=due[-1].due_on,
                amount=amount,
                reason="Unspent at the quarterly check: the personal assistant was off sick.",
            )
    return made


def seed(*, password: str) -> list[tuple[str, str]]:
    today = timezone.localdate()
    recovery_done = False
    for council in Council.objects.order_by("name"):
        made = _seed_council(council, today, with_recovery=not recovery_done)
        recovery_done = recovery_done or made
    return []
