"""The demo registers of the five seed councils: loaded through the services, stable when re-run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from contracts.models import (
    DPS,
    Award,
    Contract,
    ContractEvent,
    ContractSpend,
    ContractStatus,
    DPSMembership,
    DPSMembershipEvent,
    ExpiryReminder,
    ExtensionApproval,
    ExtensionStatus,
    Lot,
    MembershipStatus,
    MonitoringKind,
    MonitoringRecord,
    PackageType,
    SpendLine,
)
from contracts.models import Extension as ExtensionModel
from contracts.services.register import contract_expiry_reminders_send
from providers.models import Provider, ProviderEvent, Registration, Service
from shortbreaks.councils.models import Council, Role, Tier, User
from tests.clock import FROZEN_TODAY, frozen_today_module, london  # noqa: F401

# The seed records history up to today and then runs the daily jobs, so what it leaves depends
# on the day: the module (its seed included) runs on one fixed day, FROZEN_TODAY.
pytestmark = pytest.mark.usefixtures("frozen_today_module")

COUNTED = (
    Provider,
    ProviderEvent,
    Registration,
    Service,
    DPS,
    DPSMembership,
    DPSMembershipEvent,
    Contract,
    ContractEvent,
    Lot,
    Award,
    ExtensionModel,
    ExtensionApproval,
    MonitoringRecord,
    ContractSpend,
    SpendLine,
    ExpiryReminder,
)


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seeding_twice_gives_the_same_rows(seeded):
    before = _counts()
    assert all(before.values()), before
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
    herefordshire = Contract.objects.get(reference="HC-T3-DPS-2017")
    assert herefordshire.extensions.count() == 1
    assert herefordshire.end_date == date(2023, 3, 31)


def test_herefordshire_dps_history_and_approved_extension(seeded):
    dps = DPS.objects.get(council__slug="herefordshire", title__icontains="Tier 3")
    assert dps.start_date == date(2017, 4, 1)
    statuses = {m.provider.name: m.status for m in dps.memberships.select_related("provider")}
    assert statuses == {
        "Our Place Schools": MembershipStatus.APPROVED,
        "Newcross Healthcare Solutions Ltd": MembershipStatus.APPROVED,
        "Aspire Living": MembershipStatus.APPROVED,
        "Crossroads Care": MembershipStatus.EXITED,
    }
    assert all(m.checks_complete for m in dps.memberships.all())
    crossroads = dps.memberships.get(provider__name="Crossroads Care")
    assert crossroads.status_date.year == 2020
    assert [e.to_status for e in crossroads.events.all()] == [
        "applied",
        "under_assessment",
        "approved",
        "exited",
    ]

    contract = Contract.objects.get(council__slug="herefordshire", reference="HC-T3-DPS-2017")
    assert contract.dps == dps
    # Extended to 31 March 2023, and expired once that day passed.
    assert contract.status == ContractStatus.EXPIRED
    assert contract.end_date == date(2023, 3, 31)
    extension = contract.extensions.get()
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.previous_end_date == date(2022, 3, 31)
    assert extension.added_value == Decimal("420000.00")
    assert extension.decision_maker == "Cabinet member children and families"
    assert extension.decided_on == date(2022, 3, 16)
    assert extension.key_decision is False
    assert {a.role for a in extension.approvals.all()} >= {"finance", "legal", "procurement"}
    assert contract.total_value == Decimal("1177764.76") + Decimal("420000.00")
    spend = dict(contract.spend.values_list("financial_year", "amount"))
    assert spend == {
        2017: Decimal("190041.76"),
        2018: Decimal("150096.47"),
        2019: Decimal("112715.53"),
        2020: Decimal("284741.76"),
        2021: Decimal("440169.24"),
    }
    assert contract.contract_manager.username == "contract-manager@herefordshire.example"


def test_shropshire_extension_was_decided_by_emt_despite_the_refused_exemption(seeded):
    contract = Contract.objects.get(council__slug="shropshire", reference="SC-SB-2022")
    assert [lot.name for lot in contract.lots.all()] == [
        "Specialised overnight stays",
        "Community short breaks",
        "All In",
    ]
    providers = set(Award.objects.filter(lot__contract=contract).values_list("provider__name"))
    assert len(providers) == 2
    assert contract.annual_value == Decimal("1930000.00")
    extension = contract.extensions.get()
    assert extension.legal_basis == "cpr_exemption"
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.decision_maker == "Executive Management Team"
    assert extension.decided_on == date(2025, 3, 4)
    assert extension.decided_despite_refusal is True
    legal = extension.approvals.get(role="legal")
    assert legal.decision == "refuse"
    assert contract.end_date == extension.new_end_date == date(2026, 3, 31)
    # On FROZEN_TODAY the extended end date has passed: the daily job expired the contract.
    assert contract.status == ContractStatus.EXPIRED
    assert contract.events.last().summary == "Expired: the end date 31/03/2026 passed."
    assert "despite the refused CPR exemption" in contract.events.get(kind="decision").summary
    meeting = contract.monitoring.get(provider__isnull=True)  # not the one asked of a provider
    assert "Withholding payments" in meeting.sanction_considered
    assert meeting.sanction_outcome.startswith("Set aside")


def test_warwickshire_has_its_three_contracts_and_the_spend_table(seeded):
    contracts = Contract.objects.filter(council__slug="warwickshire")
    assert contracts.count() == 3
    assert {(c.start_date, c.end_date) for c in contracts} == {
        (date(2022, 4, 1), date(2025, 3, 31))
    }
    assert sorted(c.kind for c in contracts) == ["block", "framework", "lead_provider"]
    block = contracts.get(kind="block")
    assert block.lots.get().awards.get().capacity == "4 overnight beds"
    spend = ContractSpend.objects.filter(contract__in=contracts, financial_year=2023)
    assert sorted(spend.values_list("amount", flat=True)) == [
        Decimal("212000.00"),
        Decimal("235000.00"),
        Decimal("664000.00"),
    ]
    lines = {
        (line.financial_year, line.package_type): (line.budget, line.outturn)
        for line in SpendLine.objects.filter(council__slug="warwickshire")
    }
    assert lines[(2023, PackageType.COMMISSIONED)] == (None, Decimal("1110561"))
    assert lines[(2024, PackageType.COMMISSIONED)] == (Decimal("1177248"), None)
    assert lines[(2023, PackageType.HOME_CARE)][1] == Decimal("2040302")
    assert lines[(2024, PackageType.DIRECT_PAYMENTS)][0] == Decimal("1449050")
    total_2023 = sum(
        outturn
        for (year, kind), (_, outturn) in lines.items()
        if year == 2023 and kind != PackageType.DIRECT_PAYMENTS
    )
    assert total_2023 == Decimal("3633199")


def test_medway_rocc_sla_and_its_kpi_return(seeded):
    sla = Contract.objects.get(council__slug="medway", kind="sla")
    assert sla.lots.get().awards.get().provider.name == "Rivermead Inclusive Trust"
    assert "2027" in sla.procurement_route
    # The return the council recorded (the demo also asks the provider for this quarter's).
    kpi = sla.monitoring.get(kind=MonitoringKind.KPI_RETURN, provider__isnull=True)
    assert (kpi.sessions_delivered, kpi.sessions_target) == (829, 455)


def test_birmingham_contracts_end_in_march_2025(seeded):
    contracts = Contract.objects.filter(council__slug="birmingham")
    assert contracts.count() >= 2
    assert {c.end_date for c in contracts} == {date(2025, 3, 31)}


def test_every_council_offers_each_tier_and_an_uncontracted_universal_service(seeded):
    for council in Council.objects.all():
        services = Service.objects.filter(council=council)
        assert set(services.values_list("tier", flat=True)) == set(Tier.values), council.slug
        assert all(s.categories for s in services)
        uncontracted = services.filter(tier=Tier.UNIVERSAL).exclude(provider__awards__isnull=False)
        assert uncontracted.exists(), council.slug


def test_named_contract_managers_receive_expiry_reminders(seeded, mailoutbox):
    manager = User.objects.get(username="contract-manager@medway.example")
    sla = Contract.objects.get(council__slug="medway", kind="sla")
    assert sla.contract_manager == manager
    assert manager.memberships.filter(council=sla.council, role=Role.CONTRACT_MANAGER).exists()
    # The seed sent the 12-month reminder; the 6-month one comes from 30 September 2026.
    assert list(sla.reminders.values_list("months_before", flat=True)) == [12]
    # The reminder's email is a notification, sent once its transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = contract_expiry_reminders_send(today=date(2026, 11, 1))
    assert sent == 1
    assert mailoutbox[0].to == [manager.email]
    assert sla.reference in mailoutbox[0].subject
    assert contract_expiry_reminders_send(today=date(2026, 11, 1)) == 0


# ----------------------------------------------------------------------------------------------
# The seed ends as the daily jobs would leave the demo on the day it runs

ENDED_31_MARCH_2025 = (
    ("birmingham", "BCC-SB-2020-03"),
    ("birmingham", "BCT-SB-2020-01"),
    ("birmingham", "BCT-SB-2020-02"),
    ("warwickshire", "WCC-SB-2022-01"),
    ("warwickshire", "WCC-SB-2022-02"),
    ("warwickshire", "WCC-SB-2022-03"),
)
RUNNING = (ContractStatus.ACTIVE, ContractStatus.EXTENDED)


def test_after_the_seed_no_contract_past_its_end_reads_active_or_extended(seeded):
    today = timezone.localdate()
    assert today == FROZEN_TODAY
    running = Contract.objects.filter(status__in=RUNNING)
    # Besides the one DPS call-off the demo's brokerage awards today (brokerage/demo.py).
    assert running.filter(call_off_lot__isnull=False).count() == 1
    running = running.filter(call_off_lot__isnull=True)
    assert list(running.values_list("reference", flat=True)) == ["MC-SLA-ROCC-2024"]
    for contract in running:
        # Its own end date, or the new end date of an approved extension, is still to come.
        assert contract.end_date >= today, contract.reference
    past = Contract.objects.filter(end_date__lt=today)
    assert set(past.values_list("status", flat=True)) == {ContractStatus.EXPIRED}
    for slug, reference in ENDED_31_MARCH_2025:
        contract = past.get(council__slug=slug, reference=reference)
        assert contract.end_date == date(2025, 3, 31)
        assert not contract.extensions.filter(status=ExtensionStatus.APPROVED).exists()
    # An approved extension keeps a contract running only until its new end date.
    for extension in ExtensionModel.objects.filter(status=ExtensionStatus.APPROVED):
        assert extension.new_end_date < today
        assert extension.contract.status == ContractStatus.EXPIRED
    for contract in past:
        expired = contract.events.filter(kind="status", params__status="expired")
        assert expired.count() == 1, contract.reference
    assert "contracts expired: 8, expiry reminders sent: 1" in seeded


def test_herefordshires_dps_contract_reads_expired_not_extended(seeded, client_for):
    contract = Contract.objects.get(council__slug="herefordshire", reference="HC-T3-DPS-2017")
    reader = User.objects.get(username="commissioner@herefordshire.example")
    client = client_for(reader)
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'govuk-tag--orange">Expired</strong>' in detail
    assert "govuk-tag--turquoise" not in detail
    register = client.get(reverse("contracts:list")).content.decode()
    assert "HC-T3-DPS-2017" in register
    assert 'govuk-tag--orange">Expired</strong>' in register
    assert "govuk-tag--turquoise" not in register  # the "Extended" tag


def test_the_seed_leaves_the_reminders_that_are_due(seeded):
    # On 15 June 2026 only Medway's SLA, ending on 31 March 2027, is within 12 months of its end.
    reminder = ExpiryReminder.objects.select_related("contract", "recipient").get()
    assert reminder.contract.reference == "MC-SLA-ROCC-2024"
    assert (reminder.months_before, reminder.end_date) == (12, date(2027, 3, 31))
    assert reminder.recipient.username == "contract-manager@medway.example"


@pytest.mark.parametrize(
    ("day", "medway", "reminders", "line"),
    [
        # The 3-month threshold: the nearest one only (the job did not run on 30 September).
        (
            date(2026, 12, 31),
            ContractStatus.ACTIVE,
            [12, 3],
            "contracts expired: 0, expiry reminders sent: 1",
        ),
        (
            date(2027, 3, 31),
            ContractStatus.ACTIVE,
            [12, 3],
            "contracts expired: 0, expiry reminders sent: 1",
        ),
        (
            date(2027, 4, 1),
            ContractStatus.EXPIRED,
            [12],
            "contracts expired: 1, expiry reminders sent: 0",
        ),
    ],
    ids=["3-months-before", "end-date", "day-after"],
)
def test_seeding_again_on_a_later_day_leaves_that_days_demo(
    seeded, mailoutbox, day, medway, reminders, line
):
    before = ContractEvent.objects.count()
    with (
        time_machine.travel(london(day), tick=True),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
    mailoutbox = [m for m in mailoutbox if " ends on " in m.subject]  # the expiry reminders
    sla = Contract.objects.get(council__slug="medway", reference="MC-SLA-ROCC-2024")
    assert sla.status == medway
    assert sorted(sla.reminders.values_list("months_before", flat=True), reverse=True) == reminders
    assert len(mailoutbox) == len(reminders) - 1
    assert f"Daily jobs run as on {day:%d/%m/%Y}: pack grants ended: 0, {line}." in out.getvalue()
    assert ContractEvent.objects.count() == before + (medway == ContractStatus.EXPIRED)
    assert not Contract.objects.filter(status__in=RUNNING, end_date__lt=day).exists()


def test_the_joint_commission_is_read_by_herefordshire_and_changed_only_by_shropshire(seeded):
    from django.http import Http404

    from contracts.selectors import register as register_selectors
    from contracts.services import register as contract_services
    from shortbreaks.errors import TransitionNotAllowed

    joint = Contract.objects.get(council__slug="shropshire", reference="SC-FBSB-2026")
    assert joint.status == ContractStatus.DRAFT
    assert list(joint.participations.values_list("council__slug", "status")) == [
        ("herefordshire", "accepted")
    ]
    reader = User.objects.get(username="commissioner@herefordshire.example")
    assert register_selectors.access_contract_by_id(actor=reader, contract_id=joint.pk) == joint
    with pytest.raises(Http404):
        register_selectors.access_contract_for_change(actor=reader, contract_id=joint.pk)
    with pytest.raises(TransitionNotAllowed):
        contract_services.contract_update(actor=reader, contract=joint, title="Changed")
