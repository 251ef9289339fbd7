"""Reads of packages of support: one package, its lines, the panel's decisions and its queue, and
the lines running on a day."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from referrals.models import Package, PackageLine, PackageStatus
from referrals.selectors.common import _readable
from shortbreaks.councils.selectors import get_or_not_found


def access_package_by_id(*, actor, package_id) -> Package:
    return get_or_not_found(
        _readable(Package.objects.select_related("child", "assessment"), actor), pk=package_id
    )


def access_package_line_by_id(*, actor, line_id) -> PackageLine:
    return get_or_not_found(
        _readable(PackageLine.objects.select_related("package", "service", "provider"), actor),
        pk=line_id,
    )


def package_lines(*, package: Package) -> QuerySet[PackageLine]:
    return PackageLine.objects.filter(package=package).select_related(
        "service", "provider", "lot__contract"
    )


def panel_decision_list(*, actor, package_id: int | None = None) -> QuerySet:
    """The resource panel's decisions in the council, oldest first."""
    from referrals.models import PanelDecision

    decisions = _readable(PanelDecision.objects.select_related("package", "recorded_by"), actor)
    if package_id is not None:
        decisions = decisions.filter(package_id=package_id)
    return decisions.order_by("decided_on", "id")


def access_panel_decision_by_id(*, actor, decision_id):
    """One panel decision; another council's is exactly as missing."""
    from referrals.models import PanelDecision

    return get_or_not_found(
        _readable(PanelDecision.objects.select_related("package__child", "recorded_by"), actor),
        pk=decision_id,
    )


def panel_queue(*, actor) -> QuerySet[Package]:
    """Packages proposed and waiting for the resource panel's decision, oldest first."""
    return (
        _readable(Package.objects.select_related("child"), actor)
        .filter(status=PackageStatus.PROPOSED)
        .order_by("created_at", "id")
    )


def package_lines_running_on(*, today: date) -> QuerySet[PackageLine]:
    """Package lines of packages in force that have not ended by `today`: the support running
    on contracts' lots, which the register counts as overrunning once a contract has expired
    (registered in `contracts.running_support`)."""
    return PackageLine.objects.filter(package__status=PackageStatus.ACTIVE).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )
