"""A pack reads a contract's and a recommendation's state "as at" a date from the history rows the
database triggers write at each change (django-pghistory), and falls back to working it out from
the records' events where no history row was written by then."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from audits import services
from audits.models import (
    AuditReport,
    ContractHistory,
    EvidencePack,
    PackKind,
    Recommendation,
    RecommendationEvent,
    RecommendationHistory,
)
from audits.packs.content import contracts_as_at, recommendations
from contracts.models import Contract, ContractEvent
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.audits.builders import make_recommendation, make_report
from tests.builders import make_contract

pytestmark = pytest.mark.django_db

FIRST_END, CORRECTED_END = date(2027, 3, 31), date(2028, 3, 31)


def _pack(council, kind, as_at) -> EvidencePack:
    return EvidencePack(
        council=council, kind=kind, period_start=date(2024, 4, 1), period_end=as_at, as_at=as_at
    )


def _written_days_ago(obj, days: int) -> None:
    """As if the contract or recommendation, its events and its history so far had been written
    `days` ago."""
    earlier = timedelta(days=days)
    with rls.council_scope(obj.council):
        if isinstance(obj, Contract):
            ContractEvent.objects.filter(contract=obj).update(at=F("at") - earlier)
            history = ContractHistory
        else:
            AuditReport.objects.filter(pk=obj.report_id).update(
                created_at=F("created_at") - earlier
            )
            Recommendation.objects.filter(pk=obj.pk).update(created_at=F("created_at") - earlier)
            RecommendationEvent.objects.filter(recommendation=obj).update(at=F("at") - earlier)
            history = RecommendationHistory
        history.objects.filter(pgh_obj_id=obj.pk).update(
            pgh_created_at=F("pgh_created_at") - earlier
        )


def _contract_then(council, contract, as_at):
    with rls.council_scope(council):
        items = contracts_as_at(_pack(council, PackKind.CONTRACT_COMPLIANCE, as_at))
    return next(item for item in items if item.contract.pk == contract.pk)


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]


def _corrected(contract) -> None:
    """The end date and value corrected in place (no extension, no event): only the history
    shows what they were before."""
    with rls.council_scope(contract.council):
        Contract.objects.filter(pk=contract.pk).update(
            end_date=CORRECTED_END, total_value=Decimal("900000.00")
        )


def test_the_triggers_keep_each_change_of_a_contract(alpha):
    contract = make_contract(alpha["people"][Role.COMMISSIONER], end_date=FIRST_END)
    _corrected(contract)
    with rls.council_scope(alpha["council"]):
        rows = list(ContractHistory.objects.filter(pgh_obj_id=contract.pk).order_by("pgh_id"))
    assert rows[0].pgh_label == "recorded" and rows[0].council_id == contract.council_id
    assert [(r.status, r.end_date) for r in rows[-2:]] == [
        ("active", FIRST_END),
        ("active", CORRECTED_END),
    ]


def test_a_contract_as_at_a_day_is_read_from_its_history(alpha):
    contract = make_contract(alpha["people"][Role.COMMISSIONER], end_date=FIRST_END)
    _written_days_ago(contract, 10)
    _corrected(contract)
    today = timezone.localdate()
    before = _contract_then(alpha["council"], contract, today - timedelta(days=5))
    assert (before.end_date, before.total_value, before.status) == (
        FIRST_END,
        Decimal("750000.00"),
        "active",
    )
    now = _contract_then(alpha["council"], contract, today)
    assert (now.end_date, now.total_value) == (CORRECTED_END, Decimal("900000.00"))


def test_with_no_history_by_then_the_contract_is_worked_out_from_its_events(alpha):
    """A contract recorded before its history was kept: no row before the "as at" day, so the
    pack works the state out as it always did (here: its end date and value as they are)."""
    contract = make_contract(alpha["people"][Role.COMMISSIONER], end_date=FIRST_END)
    _written_days_ago(contract, 10)
    _corrected(contract)
    with rls.council_scope(alpha["council"]):
        ContractHistory.objects.filter(pgh_obj_id=contract.pk).delete()
    before = _contract_then(alpha["council"], contract, timezone.localdate() - timedelta(days=5))
    assert (before.end_date, before.status) == (CORRECTED_END, "active")


def test_a_recommendation_as_at_a_day_is_read_from_its_history(alpha):
    auditor = alpha["people"][Role.AUDITOR]
    report = make_report(auditor, report_date=date(2024, 9, 30))
    recommendation = make_recommendation(auditor, report)
    _written_days_ago(recommendation, 10)
    today = timezone.localdate()
    services.recommendation_change_status(
        actor=auditor, recommendation=recommendation, status="in_progress", note="Started."
    )

    def line(as_at):
        with rls.council_scope(alpha["council"]):
            [section] = recommendations(_pack(alpha["council"], PackKind.RECOMMENDATIONS, as_at))
        [row] = [r for r in section.context["reports"] if r["report"].pk == report.pk]
        return next(x for x in row["lines"] if x["recommendation"].pk == recommendation.pk)

    before = line(today - timedelta(days=5))
    assert (before["status"], before["status_on"]) == ("Open", date(2024, 9, 30))
    now = line(today)
    assert (now["status"], now["status_on"]) == ("In progress", today)
    with rls.council_scope(alpha["council"]):
        labels = list(
            RecommendationHistory.objects.filter(pgh_obj_id=recommendation.pk)
            .order_by("pgh_id")
            .values_list("pgh_label", "status")
        )
        assert Recommendation.objects.get(pk=recommendation.pk).status == "in_progress"
    assert labels == [("recorded", "open"), ("changed", "in_progress")]
