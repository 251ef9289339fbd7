"""Direct payments: the amount and schedule from the package, payments, recoveries and the
balance, reviews, and the refusals (another council's record 404, a role that may not 403, bad
amounts 400) in pages and API alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from directpayments import selectors, services
from directpayments.models import (
    Agreement,
    AgreementEvent,
    Payment,
    PaymentPeriod,
    Recovery,
    ReviewOutcome,
    ScheduledPayment,
)
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.directpayments.builders import dp_world, make_agreement
from tests.per_module import world_per_module
from tests.referrals.builders import make_child

pytestmark = pytest.mark.usefixtures("frozen_today")

API = "/api/v1/direct-payments/"


def _build_world(two_councils) -> dict:
    return dp_world(two_councils)


# Every test reads the same records: built once for the module (tests/per_module.py).
_world_built, world = world_per_module(_build_world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _paid(council, agreement, amount="433.33", on=date(2025, 4, 1)):
    return services.payment_record(
        actor=council["finance"], agreement=agreement, paid_on=on, amount=Decimal(amount)
    )


# ----------------------------------------------------------------------------------------------
# Services


def test_the_amount_comes_from_the_direct_payment_lines_and_the_schedule_from_the_agreement(
    world,
):
    agreement = make_agreement(world["alpha"])
    # 5 hours a week at £20 is £5,200 a year: £433.33 a month; the commissioned line is not paid.
    assert agreement.amount_per_period == Decimal("433.33")
    schedule = list(ScheduledPayment.objects.filter(agreement=agreement))
    assert [s.due_on for s in schedule][:2] == [date(2025, 4, 1), date(2025, 5, 1)]
    assert len(schedule) == 12
    assert {s.amount for s in schedule} == {Decimal("433.33")}
    assert agreement.next_check_due == date(2025, 7, 1)
    assert AgreementEvent.objects.filter(agreement=agreement, kind="created").exists()


def test_weekly_and_four_weekly_amounts(world):
    weekly = make_agreement(world["alpha"], period=PaymentPeriod.WEEKLY, end_on=date(2025, 4, 29))
    assert weekly.amount_per_period == Decimal("100.00")
    assert weekly.schedule.count() == 5
    four = make_agreement(world["alpha"], period=PaymentPeriod.FOUR_WEEKLY)
    assert four.amount_per_period == Decimal("400.00")


def test_a_child_without_a_direct_payment_line_gets_no_agreement(world):
    alpha = world["alpha"]
    other = make_child(alpha["sw"], first_name="Kim", last_name="Lee")
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=alpha["sw"],
            child=other,
            recipient_name="Pat Lee",
            recipient_relationship="father",
            purpose="Breaks",
            period=PaymentPeriod.MONTHLY,
            start_on=date(2025, 4, 1),
            end_on=date(2026, 3, 31),
            method="managed_account",
        )
    assert not Agreement.objects.exists()


def test_an_end_before_the_start_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_agreement(world["alpha"], end_on=date(2025, 3, 1))
    assert "end_on" in error.value.message_dict


def test_a_recovery_reduces_the_balance(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    _paid(alpha, agreement)
    _paid(alpha, agreement, on=date(2025, 5, 1))
    assert services.agreement_balance(agreement=agreement) == Decimal("866.66")
    services.recovery_record(
        actor=alpha["finance"],
        agreement=agreement,
        recovered_on=date(2025, 6, 10),
        amount=Decimal("200.00"),
        reason="Unspent at the quarterly check",
    )
    assert services.agreement_balance(agreement=agreement) == Decimal("666.66")
    listed = selectors.agreement_list(actor=alpha["finance"]).get()
    assert (listed.paid, listed.recovered, listed.balance) == (
        Decimal("866.66"),
        Decimal("200.00"),
        Decimal("666.66"),
    )


def test_a_recovery_above_the_balance_is_refused(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    _paid(alpha, agreement, amount="100")
    with pytest.raises(ValidationError) as error:
        services.recovery_record(
            actor=alpha["finance"],
            agreement=agreement,
            recovered_on=date(2025, 6, 10),
            amount=Decimal("100.01"),
            reason="Unspent",
        )
    assert "more than the balance" in error.value.message_dict["amount"][0]
    assert not Recovery.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-5", "0.001"])
def test_payments_of_nothing_or_less_are_refused(world, amount):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    with pytest.raises(ValidationError):
        _paid(alpha, agreement, amount=amount)
    assert not Payment.objects.exists()


def test_only_finance_officers_record_payments(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    with pytest.raises(PermissionDenied):
        services.payment_record(
            actor=alpha["sw"], agreement=agreement, paid_on=date(2025, 4, 1), amount=Decimal(10)
        )


def test_a_review_that_ends_the_payment_stops_the_schedule_and_later_payments(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    services.agreement_review_record(
        actor=alpha["sw"],
        agreement=agreement,
        held_on=date(2025, 9, 15),
        outcome=ReviewOutcome.END,
        notes="The family chose commissioned support instead.",
    )
    agreement.refresh_from_db()
    assert agreement.ended_on == date(2025, 9, 15)
    assert agreement.schedule.filter(due_on__gt=date(2025, 9, 15)).count() == 0
    with pytest.raises(TransitionNotAllowed):
        _paid(alpha, agreement, on=date(2025, 10, 1))


def test_spend_by_financial_year_counts_payments_less_recoveries(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha, start_on=date(2025, 3, 3))
    _paid(alpha, agreement, amount="100", on=date(2025, 3, 3))  # 2024/25
    _paid(alpha, agreement, amount="300", on=date(2025, 4, 3))  # 2025/26
    services.recovery_record(
        actor=alpha["finance"],
        agreement=agreement,
        recovered_on=date(2026, 1, 5),
        amount=Decimal("50"),
        reason="Unspent",
    )
    make_agreement(world["bravo"])
    assert selectors.spend_by_financial_year(council=alpha["council"]) == {
        2024: Decimal("100"),
        2025: Decimal("250"),
    }


# ----------------------------------------------------------------------------------------------
# Pages


def test_finance_officers_list_the_councils_agreements_in_constant_queries(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    make_agreement(alpha)
    client = client_for(alpha["finance"])
    client.get("/direct-payments/")  # the session and permissions warm up
    with django_assert_num_queries(8) as one:
        response = client.get("/direct-payments/")
    assert response.status_code == 200
    make_agreement(alpha)
    make_agreement(alpha)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/direct-payments/")
    assert response.content.decode().count("DP-") == 3
    assert AccessLogEntry.objects.filter(object_type="directpayments.agreement").exists()


def test_the_list_shows_no_other_councils_agreement(world, client_for):
    make_agreement(world["bravo"])
    response = client_for(world["alpha"]["finance"]).get("/direct-payments/")
    assert MARKER_B not in response.content.decode()


def test_another_councils_agreement_and_child_are_not_found(world, client_for):
    theirs = make_agreement(world["bravo"])
    client = client_for(world["alpha"]["finance"])
    assert client.get(f"/direct-payments/{theirs.pk}/").status_code == 404
    assert client.get(f"/direct-payments/{theirs.pk}/payments/new/").status_code == 404
    assert client.get(f"/children/{world['bravo']['child'].pk}/direct-payments/").status_code == 404


@pytest.mark.parametrize(
    ("role", "path", "method"),
    [
        (Role.COMMISSIONER, "/direct-payments/", "get"),
        (Role.CONTRACT_MANAGER, "/direct-payments/{id}/", "get"),
        (Role.SOCIAL_WORKER, "/direct-payments/{id}/payments/new/", "get"),
        (Role.SOCIAL_WORKER, "/direct-payments/{id}/recoveries/new/", "post"),
        (Role.FINANCE_OFFICER, "/direct-payments/{id}/reviews/new/", "get"),
        (Role.AUDITOR, "/direct-payments/{id}/payments/new/", "post"),
    ],
)
def test_the_wrong_role_is_refused(world, client_for, role, path, method):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    client = client_for(alpha["people"][role])
    response = getattr(client, method)(path.format(id=agreement.pk))
    assert response.status_code == 403


def test_a_social_worker_sets_up_a_direct_payment_from_the_childs_page(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["sw"])
    child_page = client.get(f"/children/{alpha['child'].pk}/")
    assert f"/children/{alpha['child'].pk}/direct-payments/" in child_page.content.decode()
    response = client.post(
        f"/children/{alpha['child'].pk}/direct-payments/new/",
        {
            "recipient_name": "Alex Jones",
            "recipient_relationship": "mother",
            "purpose": "Weekend personal assistant",
            "period": "monthly",
            "start_on_0": "1",
            "start_on_1": "4",
            "start_on_2": "2025",
            "end_on_0": "31",
            "end_on_1": "3",
            "end_on_2": "2026",
            "method": "managed_account",
            "check_interval_months": "3",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/direct-payments/{agreement.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "£433.33" in page


def test_a_finance_officer_records_a_payment_and_a_recovery_in_the_browser(world, client_for):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    client = client_for(alpha["finance"])
    response = client.post(
        f"/direct-payments/{agreement.pk}/payments/new/",
        {"paid_on_0": "1", "paid_on_1": "4", "paid_on_2": "2025", "amount": "£433.33"},
    )
    assert response.status_code == 302
    too_much = client.post(
        f"/direct-payments/{agreement.pk}/recoveries/new/",
        {
            "recovered_on_0": "1",
            "recovered_on_1": "6",
            "recovered_on_2": "2025",
            "amount": "500",
            "reason": "Unspent",
        },
    )
    assert too_much.status_code == 400
    assert "cannot be more than the balance" in too_much.content.decode()
    negative = client.post(
        f"/direct-payments/{agreement.pk}/payments/new/",
        {"paid_on_0": "1", "paid_on_1": "5", "paid_on_2": "2025", "amount": "-10"},
    )
    assert negative.status_code == 400
    response = client.post(
        f"/direct-payments/{agreement.pk}/recoveries/new/",
        {
            "recovered_on_0": "1",
            "recovered_on_1": "6",
            "recovered_on_2": "2025",
            "amount": "33.33",
            "reason": "Unspent",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/direct-payments/{agreement.pk}/").content.decode()
    assert "£400.00" in page or "£400" in page


# ----------------------------------------------------------------------------------------------
# API


def test_the_api_sets_up_an_agreement_and_records_payments_and_recoveries(world):
    alpha = world["alpha"]
    created = api(alpha["sw"]).post(
        API,
        {
            "child": alpha["child"].pk,
            "recipient_name": "Alex Jones",
            "recipient_relationship": "mother",
            "purpose": "Weekend personal assistant",
            "period": "monthly",
            "start_on": "2025-04-01",
            "end_on": "2026-03-31",
            "method": "prepaid_card",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    agreement_id = created.json()["id"]
    assert created.json()["amount_per_period"] == "433.33"
    finance = api(alpha["finance"])
    paid = finance.post(
        f"{API}{agreement_id}/payments/",
        {"paid_on": "2025-04-01", "amount": "433.33"},
        format="json",
    )
    assert paid.status_code == 201, paid.json()
    recovered = finance.post(
        f"{API}{agreement_id}/recoveries/",
        {"recovered_on": "2025-06-01", "amount": "33.33", "reason": "Unspent"},
        format="json",
    )
    assert recovered.status_code == 201, recovered.json()
    detail = finance.get(f"{API}{agreement_id}/").json()
    assert detail["balance"] == "400.00"
    assert len(finance.get(f"{API}{agreement_id}/payments/").json()) == 1
    assert len(finance.get(f"{API}{agreement_id}/recoveries/").json()) == 1


def test_the_api_refuses_bad_amounts_with_400(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    finance = api(alpha["finance"])
    negative = finance.post(
        f"{API}{agreement.pk}/payments/", {"paid_on": "2025-04-01", "amount": "-1"}, format="json"
    )
    assert negative.status_code == 400
    too_much = finance.post(
        f"{API}{agreement.pk}/recoveries/",
        {"recovered_on": "2025-06-01", "amount": "1", "reason": "Unspent"},
        format="json",
    )
    assert too_much.status_code == 400
    assert "amount" in too_much.json()


def test_the_api_answers_404_for_another_councils_agreement_or_child(world):
    alpha, bravo = world["alpha"], world["bravo"]
    theirs = make_agreement(bravo)
    finance = api(alpha["finance"])
    assert finance.get(f"{API}{theirs.pk}/").status_code == 404
    assert finance.get(f"{API}{theirs.pk}/payments/").status_code == 404
    assert (
        finance.post(
            f"{API}{theirs.pk}/payments/", {"paid_on": "2025-04-01", "amount": "1"}, format="json"
        ).status_code
        == 404
    )
    response = api(alpha["sw"]).post(
        API,
        {
            "child": bravo["child"].pk,
            "recipient_name": "X",
            "recipient_relationship": "Y",
            "purpose": "Z",
            "period": "monthly",
            "start_on": "2025-04-01",
            "end_on": "2026-03-31",
            "method": "prepaid_card",
        },
        format="json",
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_the_api_refuses_the_wrong_role_with_403(world):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    assert api(alpha["people"][Role.COMMISSIONER]).get(API).status_code == 403
    response = api(alpha["sw"]).post(
        f"{API}{agreement.pk}/payments/", {"paid_on": "2025-04-01", "amount": "1"}, format="json"
    )
    assert response.status_code == 403


def test_the_api_list_runs_constant_queries(world, django_assert_num_queries):
    alpha = world["alpha"]
    make_agreement(alpha)
    client = api(alpha["finance"])
    client.get(API)
    with django_assert_num_queries(4) as one:
        assert client.get(API).status_code == 200
    make_agreement(alpha)
    make_agreement(alpha)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(API)
    assert len(response.json()["results"]) == 3


def test_the_spend_page_counts_direct_payments_from_their_records(world, client_for):
    alpha = world["alpha"]
    agreement = make_agreement(alpha)
    _paid(alpha, agreement, amount="433.33", on=date(2025, 4, 1))
    _paid(alpha, agreement, amount="433.33", on=date(2026, 4, 1))
    page = client_for(alpha["finance"]).get("/contracts/spend/").content.decode()
    assert "Direct payments paid, less unspent money recovered" in page
    assert "2025/26" in page and "2026/27" in page
    assert "£433.33" in page
    bravo_page = client_for(world["bravo"]["finance"]).get("/contracts/spend/").content.decode()
    assert "£433.33" not in bravo_page
