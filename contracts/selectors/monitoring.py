"""Monitoring records, KPI returns and the spend lines' outturns."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from contracts.models import (
    RUNNING_STATUSES,
    Contract,
    KPIReturnStatus,
    MonitoringKind,
    MonitoringRecord,
    SpendLine,
)
from shortbreaks.councils.selectors import scoped

# A KPI return is expected every quarter from a running contract (the councils' quarterly
# performance monitoring); a contract with none for longer is overdue one.
KPI_RETURN_EVERY = relativedelta(months=3)


def kpi_return_overdue_q(today: date) -> Q:
    """Contracts running on `today`, started more than a quarter ago, with no KPI return held
    in the last quarter."""
    since = today - KPI_RETURN_EVERY
    recent = MonitoringRecord.objects.filter(
        contract=OuterRef("pk"), kind=MonitoringKind.KPI_RETURN, held_on__gt=since
    ).exclude(kpi_status=KPIReturnStatus.DUE)  # asked of the provider, not yet returned
    return Q(status__in=RUNNING_STATUSES, end_date__gte=today, start_date__lte=since) & ~Q(
        Exists(recent)
    )


def kpi_return_submitted_q(actor) -> Q:
    """Contracts the actor's council leads (only the lead accepts or queries a return) with a
    provider's KPI return submitted and waiting for the contract manager."""
    submitted = MonitoringRecord.objects.filter(
        contract=OuterRef("pk"),
        kind=MonitoringKind.KPI_RETURN,
        kpi_status=KPIReturnStatus.SUBMITTED,
    )
    return Q(council_id=actor.active_council_id) & Q(Exists(submitted))


def outturn_missing_lines(*, actor, today: date | None = None) -> QuerySet[SpendLine]:
    """Budget lines of financial years already ended (April to March) with no outturn."""
    today = today or timezone.localdate()
    current_year = today.year if today.month >= 4 else today.year - 1
    return (
        scoped(SpendLine.objects.all(), actor=actor)
        .filter(financial_year__lt=current_year, outturn__isnull=True)
        .order_by("financial_year", "package_type")
    )


def outturn_missing_count(*, actor, today: date | None = None) -> int:
    """How many budget lines of ended financial years have no outturn (one query)."""
    return outturn_missing_lines(actor=actor, today=today).count()


def monitoring_list(*, actor, contract: Contract) -> QuerySet[MonitoringRecord]:
    return MonitoringRecord.objects.filter(contract=contract).order_by("-held_on", "-id")


def spend_lines(*, actor) -> QuerySet[SpendLine]:
    return scoped(SpendLine.objects.all(), actor=actor).order_by("financial_year", "package_type")
