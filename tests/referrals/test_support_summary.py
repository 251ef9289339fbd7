"""Support in numbers read from each council's summary: the same figures as the live counts, worked
out by the hourly task or by the first read, read back in a pinned number of queries however much
the council holds, and never another council's."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from directpayments import services as dp_services
from referrals import summary, tasks, trends
from referrals.models import SupportSummary, SupportSummaryMonth
from referrals.selectors import aggregates as aggregate_selectors
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.builders import make_service
from tests.clock import FROZEN_AT, FROZEN_TODAY, frozen_today  # noqa: F401
from tests.directpayments.builders import DP_LINE, make_agreement
from tests.referrals.builders import make_child, make_package

pytestmark = pytest.mark.usefixtures("frozen_today")

PAGE = "/aggregates/"
EXPORT = "/aggregates/export.csv"
API = "/api/v1/aggregates/"
TRENDS_API = "/api/v1/aggregates/trends/"


def _support(world, slug: str, count: int, **line) -> list:
    side = world[slug]
    return [
        make_package(
            side["sw"],
            side["tm"],
            make_child(side["sw"], first_name=f"Summed{n}"),
            side["offer"],
            lines=[line],
        )
        for n in range(count)
    ]


def _deliver(world, slug: str, packages, start: date, hours: str) -> None:
    for package in packages:
        package_services.delivery_record_add(
            actor=world[slug]["sw"],
            line=package.lines.get(),
            period_start=start,
            period_end=start + timedelta(days=6),
            hours_delivered=Decimal(hours),
        )


def _commissioner(world, slug="alpha"):
    return world[slug]["people"][Role.COMMISSIONER]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _busy(world):
    """Alpha: six children supported from March 2025, hours delivered in two months (five
    children in May, two in April), nights away, a direct payment; bravo: support of its own."""
    alpha = world["alpha"]
    packages = _support(world, "alpha", 6)
    _deliver(world, "alpha", packages[:5], date(2026, 5, 4), "3.5")
    _deliver(world, "alpha", packages[:2], date(2026, 4, 6), "2")
    for package in packages[:5]:
        overnight_services.overnight_stay_record(
            actor=alpha["sw"], child=package.child, first_night=date(2026, 5, 8), nights=2
        )
    make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], lines=[DP_LINE])
    dp_services.payment_record(
        actor=alpha["people"][Role.FINANCE_OFFICER],
        agreement=make_agreement(alpha),
        paid_on=date(2026, 4, 1),
        amount=Decimal("300"),
    )
    _deliver(world, "bravo", _support(world, "bravo", 5), date(2026, 5, 4), "100")
    return packages


def test_the_summary_holds_what_the_live_counts_give(world):
    _busy(world)
    commissioner = _commissioner(world)
    council_id = commissioner.active_council_id
    kept = summary.summary_refresh(council_id=council_id)

    assert summary.running_exact(kept) == aggregate_selectors.council_aggregates(
        council_id=council_id, today=FROZEN_TODAY
    )
    live = trends.support_trends(actor=commissioner)["months"]
    summed = summary.support_trends(summary=kept)["months"]
    assert summed == live
    assert len(summed) == 24 and summed[0]["month"] == date(2024, 7, 1)
    # And by hand: May's hours are five children's 3.5 each, its nights five children's two.
    may = {row["month"]: row for row in summed}[date(2026, 5, 1)]
    assert may["hours_delivered"] == Decimal("17.50") and may["hours_children"] == 5
    assert (may["nights"], may["nights_children"]) == (10, 5)
    assert may["children_by_tier"]["specialist"] == 7  # and the child with a direct payment
    april = {row["month"]: row for row in summed}[date(2026, 4, 1)]
    assert april["hours_delivered"] is None  # two children: fewer than 5
    # The API's shape, from the summary or from the live counts alike.
    assert trends.support_trends_published(
        actor=commissioner, trends={"months": summed}
    ) == trends.support_trends_published(actor=commissioner)


def test_the_figures_say_when_they_were_worked_out(world, client_for):
    _support(world, "alpha", 5)
    page = client_for(_commissioner(world)).get(PAGE).content.decode()
    assert "Figures as at 10:00 on 15 June 2026." in page
    data = _api(_commissioner(world)).get(API).json()
    assert data["as_at"].startswith("2026-06-15T10:00")
    trend = _api(_commissioner(world)).get(TRENDS_API).json()
    assert trend["as_at"] == data["as_at"]
    assert SupportSummary.objects.get(council=world["alpha"]["council"]).on == FROZEN_TODAY


def test_the_first_read_works_the_summary_out_and_later_reads_keep_it(world, client_for):
    packages = _support(world, "alpha", 5)
    council = world["alpha"]["council"]
    assert not SupportSummary.objects.filter(council=council).exists()
    client = client_for(_commissioner(world))
    assert "Children with support running: 5." in client.get(PAGE).content.decode()
    assert SupportSummaryMonth.objects.filter(council=council).count() == 24
    # Support recorded since shows when the summary is worked out again, not before.
    _support(world, "alpha", 2)
    assert "Children with support running: 5." in client.get(PAGE).content.decode()
    tasks.refresh_support_summaries()
    assert "Children with support running: 7." in client.get(PAGE).content.decode()
    # A summary worked out before today is worked out again by the first read.
    _deliver(world, "alpha", packages, date(2026, 6, 1), "1")
    with time_machine.travel(FROZEN_AT + timedelta(days=1), tick=False):
        kept = summary.summary_for(actor=_commissioner(world))
        assert kept.refreshed_at == FROZEN_AT + timedelta(days=1)
    assert kept.on == date(2026, 6, 16)
    june = summary.support_trends(summary=kept)["months"][-1]
    assert (june["month"], june["hours_delivered"]) == (date(2026, 6, 1), Decimal("5.00"))


def test_the_page_csv_and_api_read_the_summary_in_a_pinned_number_of_queries(
    world, client_for, django_assert_num_queries
):
    _support(world, "alpha", 5)
    person = _commissioner(world)
    client, api = client_for(person), _api(person)
    client.get(PAGE)  # worked out here, once
    # The summary and its months, and the 6 every page of this kind makes.
    with django_assert_num_queries(8) as page_queries:
        assert client.get(PAGE).status_code == 200
    # The summary, and the two every API request makes.
    with django_assert_num_queries(3):
        assert api.get(API).status_code == 200
    with django_assert_num_queries(4):
        assert api.get(TRENDS_API).status_code == 200
    # Far more support, worked out again: the same queries.
    packages = _support(world, "alpha", 12)
    _deliver(world, "alpha", packages, date(2026, 5, 4), "2")
    tasks.refresh_support_summaries()
    with django_assert_num_queries(len(page_queries.captured_queries)):
        response = client.get(PAGE)
    assert "Children with support running: 17." in response.content.decode()
    with django_assert_num_queries(3):
        assert api.get(API).json()["totals"]["children"] == 17
    # The CSV: the summary, without the months, and its download written to the access log.
    with django_assert_num_queries(7) as csv_queries:
        assert client.get(EXPORT).status_code == 200
    assert not any("supportsummarymonth" in q["sql"] for q in csv_queries.captured_queries)


def test_another_councils_summary_is_never_read(world, client_for):
    _busy(world)
    alpha, bravo = world["alpha"]["council"], world["bravo"]["council"]
    tasks.refresh_support_summaries()
    kept = {row.council_id for row in SupportSummary.objects.all()}
    assert {alpha.pk, bravo.pk} <= kept
    # Bravo's hundred hours a week each are in its summary and nowhere on alpha's pages.
    bravo_may = SupportSummaryMonth.objects.get(council=bravo, month=date(2026, 5, 1))
    assert bravo_may.hours_delivered == Decimal("500.00")
    page = client_for(_commissioner(world)).get(PAGE).content.decode()
    assert ">500</td>" not in page and "MARKERBRAVO" not in page
    months = _api(_commissioner(world)).get(TRENDS_API).json()["months"]
    assert {m["month"]: m["hours_delivered"] for m in months}["2026-05-01"] == "17.50"
    # Row-level security: in alpha's scope, bravo's summary rows are not there at all.
    with rls.council_scope(alpha):
        assert set(SupportSummary.objects.values_list("council_id", flat=True)) == {alpha.pk}
        assert set(SupportSummaryMonth.objects.values_list("council_id", flat=True)) == {alpha.pk}
    with rls.no_scope():
        assert not SupportSummary.objects.exists()


def test_the_summaries_are_locked_by_row_level_security():
    owned = rls.council_owned_models()
    assert SupportSummary in owned and SupportSummaryMonth in owned


def test_the_summaries_are_worked_out_every_hour_for_every_council(world):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "referrals.refresh_support_summaries"
    ]
    assert entry["schedule"].minute == {5} and len(entry["schedule"].hour) == 24
    assert tasks.refresh_support_summaries.name == "referrals.refresh_support_summaries"
    _support(world, "bravo", 5)
    # Sent by beat with no council: it walks the councils, each in its own scope.
    with rls.no_scope():
        counted = tasks.refresh_support_summaries.apply().get()
    assert counted >= 2
    bravo = SupportSummary.objects.get(council=world["bravo"]["council"])
    assert bravo.running["totals"]["children"] == 5


def test_a_month_that_has_left_the_24_is_dropped(world):
    _support(world, "alpha", 5)
    council_id = world["alpha"]["council"].pk
    summary.summary_refresh(council_id=council_id)
    with time_machine.travel(FROZEN_AT + timedelta(days=31)):
        kept = summary.summary_refresh(council_id=council_id)
        months = summary.support_trends(summary=kept)["months"]
    assert [m["month"] for m in months][:: len(months) - 1] == [
        date(2024, 8, 1),
        date(2026, 7, 1),
    ]
    assert not SupportSummaryMonth.objects.filter(
        council_id=council_id, month=date(2024, 7, 1)
    ).exists()


def test_a_read_that_waited_for_a_refresh_keeps_what_it_worked_out(world):
    _support(world, "alpha", 5)
    council_id = world["alpha"]["council"].pk
    first = summary.summary_refresh(council_id=council_id)
    _support(world, "alpha", 1)
    kept = summary.summary_refresh(council_id=council_id, if_stale=True)
    assert (kept.pk, kept.refreshed_at) == (first.pk, first.refreshed_at)
    assert kept.running["totals"]["children"] == 5
    again = summary.summary_refresh(council_id=council_id)
    assert again.running["totals"]["children"] == 6


def test_the_csv_is_kept_with_the_summary_as_the_live_figures_give_it(world, client_for):
    _busy(world)
    commissioner = _commissioner(world)
    alpha, bravo = world["alpha"]["council"], world["bravo"]["council"]
    tasks.refresh_support_summaries()
    kept = SupportSummary.objects.get(council=alpha)
    live = aggregate_selectors.aggregates_labelled(actor=commissioner)
    assert kept.running_csv == aggregate_selectors.aggregates_csv(live)
    rows = list(csv.reader(io.StringIO(kept.running_csv)))
    assert rows[0] == ["table", "label", *aggregate_selectors.EXPORT_COLUMNS]
    totals = rows[-1]
    assert totals[:3] == ["All support running", "All", str(kept.running["totals"]["children"])]
    # Bravo's five children are in bravo's CSV, never in alpha's.
    assert "MARKERBRAVO" not in kept.running_csv
    bravo_rows = list(
        csv.reader(io.StringIO(SupportSummary.objects.get(council=bravo).running_csv))
    )
    assert bravo_rows[-1][:3] == ["All support running", "All", "5"]
    assert all("MARKERALPHA" not in cell for row in bravo_rows for cell in row)
    # The download is the kept CSV as it is.
    response = client_for(commissioner).get(EXPORT)
    assert response.content.decode() == kept.running_csv
    assert response["Content-Disposition"] == (
        'attachment; filename="support-in-numbers-2026-06-15.csv"'
    )


def test_a_summary_kept_before_its_csv_was_is_worked_out_again_by_the_download(world, client_for):
    _support(world, "alpha", 5)
    council = world["alpha"]["council"]
    summary.summary_refresh(council_id=council.pk)
    SupportSummary.objects.filter(council=council).update(running_csv="")
    _support(world, "alpha", 1)
    export = client_for(_commissioner(world)).get(EXPORT).content.decode()
    kept = SupportSummary.objects.get(council=council)
    assert export == kept.running_csv != ""
    assert kept.running["totals"]["children"] == 6


def test_a_page_of_services_read_from_the_json_is_that_page_of_the_whole_table(world):
    """The page and the API read one page of the table by service out of the summary's JSON;
    each page, and one past the last, is what paging the whole table gives."""
    _busy(world)
    commissioner = _commissioner(world)
    provider = world["alpha"]["offer"]["provider"]
    for n in range(4):
        _support(world, "alpha", n + 3, service=make_service(commissioner, provider, title=f"C{n}"))
    summary.summary_refresh(council_id=commissioner.active_council_id)
    whole = summary.summary_for(actor=commissioner)
    services = len(whole.running["by_service"])
    assert services >= 5
    whole_lots = summary.support_running(actor=commissioner, summary=whole)["by_lot"]
    assert len(whole_lots) >= 2
    # Read back from the column, the tiers and statuses come in the live figures' order.
    live = aggregate_selectors.council_aggregates(council_id=commissioner.active_council_id)
    exact = summary.running_exact(whole)
    for table in ("children_by_tier", "packages_by_status"):
        assert list(exact[table].items()) == list(live[table].items())
    for size in (1, 2, 50):
        for page in range(1, services // size + 3):
            read = summary.summary_for(actor=commissioner, services=(page, size))
            assert not hasattr(whole, "services_read") and hasattr(read, "services_read")
            assert summary.support_running(
                actor=commissioner, summary=read, service_page=page, size=size
            ) == summary.support_running(
                actor=commissioner, summary=whole, service_page=page, size=size
            )
            # The table by lot read a page at a time as well, a page of its own.
            lot = max(1, page - 1)
            both = summary.summary_for(actor=commissioner, services=(page, size), lots=lot)
            assert hasattr(both, "lots_read") and not hasattr(read, "lots_read")
            paged = summary.support_running(
                actor=commissioner, summary=both, service_page=page, size=size, lot_page=lot
            )
            assert paged == summary.support_running(
                actor=commissioner, summary=whole, service_page=page, size=size, lot_page=lot
            )
            assert paged["by_lot"] == (whole_lots[(lot - 1) * size : lot * size])
            assert (
                paged["by_service"]
                == summary.support_running(
                    actor=commissioner, summary=read, service_page=page, size=size
                )["by_service"]
            )
