"""Packages of support, delivery and overnight stays in the browser."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import (
    DeliveryRecord,
    FundingRoute,
    OvernightStay,
    Package,
    PackageLine,
    PackageStatus,
)
from referrals.services import overnights as overnight_services
from referrals.services import packages as package_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_provider, make_service
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.dates import date_boxes
from tests.referrals.builders import (
    authorised_assessment,
    completed_assessment,
    make_child,
    make_package,
)
from tests.roles import NOT_CHILD_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

# A 1:1 line of 5 hours a week at £28.50, a 2:1 line of 8.5 hours at £45 and 24 nights a year
# at £210: £142.50 + £382.50 + £96.92 a week; £7,410 + £19,890 + £5,040 a year.
THREE_LINES = [
    {},
    {"ratio": "2:1", "hours_per_week": Decimal("8.5"), "unit_rate": Decimal("45.00")},
    {"nights_per_year": 24, "unit_rate": Decimal("210.00")},
]


@pytest.fixture
def alpha(world):
    return world["alpha"]


def _package(side, status="proposed", lines=None, child=None, assessment=None):
    return make_package(
        side["sw"],
        side["tm"],
        child or side["child"],
        side["offer"],
        status=status,
        lines=lines,
        assessment=assessment,
    )


def _line_post(offer, **fields) -> dict:
    data = {
        "service": offer["service"].pk,
        "provider": offer["provider"].pk,
        "funding_route": FundingRoute.COMMISSIONED,
        "lot": offer["lot"].pk,
        "ratio": "1:1",
        "hours_per_week": "5",
        "nights_per_year": "",
        "unit_rate": "28.50",
        **date_boxes("start_on", "3/3/2025"),
        "end_on": "",
    }
    data.update(fields)
    return data


# ----------------------------------------------------------------------------------------------
# The package page


def test_the_package_page_shows_each_line_with_its_costs_computed_and_the_totals(alpha, client_for):
    package = _package(alpha, lines=THREE_LINES)
    response = client_for(alpha["sw"]).get(reverse("referrals:package", args=[package.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Package of support",
        "Proposed",
        alpha["child"].full_name,
        alpha["offer"]["service"].title,
        alpha["offer"]["provider"].name,
        "SB-MARKERALPHA Lot 1: Lot 1",
        "Commissioned",
        "2:1",
        "5 hours a week",
        "8.50 hours a week",
        "24 nights a year",
        "£28.50",
        "£142.50",
        "£7,410.00",
        "£382.50",
        "£19,890.00",
        "£96.92",
        "£5,040.00",
        "£621.92",
        "£32,340.00",
    ):
        assert text in page, text
    assert MARKER_B not in page
    assert AccessLogEntry.objects.filter(
        user=alpha["sw"], action="view", object_type="referrals.package", object_id=str(package.pk)
    ).exists()


def test_the_panel_link_shows_for_team_managers_and_the_start_button_after_approval(
    alpha, client_for
):
    proposed = _package(alpha)
    url = reverse("referrals:package", args=[proposed.pk])
    panel_link = f"/packages/{proposed.pk}/panel/new/"
    as_manager = client_for(alpha["tm"]).get(url).content.decode()
    assert "Record the panel&#x27;s decision" in as_manager or "Record the panel's" in as_manager
    assert panel_link in as_manager
    as_worker = client_for(alpha["sw"]).get(url).content.decode()
    assert panel_link not in as_worker
    assert "Start the package" not in as_worker
    assert "Withdraw the package" in as_worker
    assert "Add a service" in as_worker

    approved = _package(alpha, status="approved", assessment=proposed.assessment)
    page = client_for(alpha["sw"]).get(reverse("referrals:package", args=[approved.pk]))
    page = page.content.decode()
    assert "Start the package" in page
    assert "Add a service" not in page
    assert "Approved" in page
    assert "Meets the eligibility criteria" in page
    assert "Head of Service, Finance Business Partner" in page

    active = _package(alpha, status="active", assessment=proposed.assessment)
    page = client_for(alpha["sw"]).get(reverse("referrals:package", args=[active.pk]))
    page = page.content.decode()
    assert f"/packages/{active.pk}/reviews/new/" in page
    assert "Record a review" in page
    assert "Record delivery" in page
    assert "Withdraw the package" not in page


def test_an_auditor_reads_the_package_page_without_any_button(alpha, client_for):
    package = _package(alpha, status="approved")
    auditor = alpha["people"][Role.AUDITOR]
    page = client_for(auditor).get(reverse("referrals:package", args=[package.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for button in ("Start the package", "Withdraw the package", "Add a service", "Record a"):
        assert button not in body
    response = client_for(auditor).post(
        reverse("referrals:package-activate", args=[package.pk]), {**date_boxes("on", "3/3/2025")}
    )
    assert response.status_code == 403
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED


def test_the_package_page_query_count_does_not_grow_with_lines(
    alpha, client_for, django_assert_num_queries
):
    small = _package(alpha, status="active", lines=[{}])
    big = _package(alpha, status="active", lines=THREE_LINES * 3, assessment=small.assessment)
    for package in (small, big):
        for line in package.lines.all():
            package_services.delivery_record_add(
                actor=alpha["sw"],
                line=line,
                period_start=date(2025, 3, 3),
                period_end=date(2025, 3, 9),
                hours_delivered=Decimal("3"),
                hours_not_delivered=Decimal("2"),
                reason="staff_shortage",
            )
    client = client_for(alpha["sw"])
    client.get(reverse("referrals:package", args=[small.pk]))  # the session settles
    for package in (small, big):
        url = reverse("referrals:package", args=[package.pk])
        with django_assert_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200


# ----------------------------------------------------------------------------------------------
# Proposing a package


def test_a_social_worker_proposes_a_package_on_the_authorised_assessment(alpha, client_for):
    assessment = authorised_assessment(alpha["sw"], alpha["tm"], alpha["child"])
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-create", args=[alpha["child"].pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Propose a package of support" in form.content.decode()
    response = client.post(
        url,
        {
            "assessment": assessment.pk,
            **date_boxes("start_on", "1/4/2025"),
            "end_on": "",
            "review_interval_months": "6",
        },
        follow=True,
    )
    package = Package.objects.get(child=alpha["child"])
    assert response.redirect_chain[-1][0] == reverse("referrals:package", args=[package.pk])
    assert package.status == PackageStatus.PROPOSED
    assert package.start_on == date(2025, 4, 1)
    assert "Package proposed" in response.content.decode()


def test_a_package_is_refused_without_an_authorised_assessment(alpha, client_for):
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-create", args=[alpha["child"].pk])
    # No assessment at all: the page says so and offers to start one.
    page = client.get(url).content.decode()
    assert "has no assessment yet" in page
    assert f"/children/{alpha['child'].pk}/assessments/new/" in page

    assessment = completed_assessment(alpha["sw"], alpha["child"])
    response = client.post(
        url,
        {
            "assessment": assessment.pk,
            **date_boxes("start_on", "1/4/2025"),
            "review_interval_months": "6",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "A package is proposed on an authorised assessment." in page
    assert "<title>Error:" in page
    assert not Package.objects.exists()


def test_bad_input_on_the_propose_form_gives_form_errors(alpha, client_for):
    assessment = authorised_assessment(alpha["sw"], alpha["tm"], alpha["child"])
    response = client_for(alpha["sw"]).post(
        reverse("referrals:package-create", args=[alpha["child"].pk]),
        {
            "assessment": assessment.pk,
            **date_boxes("start_on", "31/2/2025"),
            **date_boxes("end_on", "1/1/2025"),
            "review_interval_months": "99",
        },
    )
    page = response.content.decode()
    assert "The start date must be a real date" in page
    assert "Enter a review interval from 1 to 24 months." in page
    assert not Package.objects.exists()


# ----------------------------------------------------------------------------------------------
# Lines


def test_adding_a_line_computes_its_costs(alpha, client_for):
    package = _package(alpha, lines=[])
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-line-create", args=[package.pk])
    form = client.get(url).content.decode()
    assert "SB-MARKERALPHA Lot 1: Lot 1, awarded to Buddying MARKERALPHA" in form
    assert MARKER_B not in form
    response = client.post(
        url,
        _line_post(alpha["offer"], ratio="2:1", hours_per_week="8.5", unit_rate="45"),
        follow=True,
    )
    page = response.content.decode()
    line = PackageLine.objects.get(package=package)
    assert (line.cost_per_week, line.cost_per_year) == (Decimal("382.50"), Decimal("19890.00"))
    assert "£382.50 a week, £19,890.00 a year" in page

    client.post(
        url,
        _line_post(
            alpha["offer"],
            funding_route=FundingRoute.SPOT_PURCHASE,
            lot="",
            hours_per_week="",
            nights_per_year="24",
            unit_rate="210",
        ),
    )
    nights = PackageLine.objects.get(package=package, nights_per_year=24)
    assert (nights.cost_per_week, nights.cost_per_year) == (Decimal("96.92"), Decimal("5040.00"))


def test_a_line_on_another_councils_contract_lot_is_refused(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    package = _package(alpha, lines=[])
    url = reverse("referrals:package-line-create", args=[package.pk])
    response = client_for(alpha["sw"]).post(
        url, _line_post(alpha["offer"], lot=bravo["offer"]["lot"].pk)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose a lot on one of the council&#x27;s own contracts." in page
    assert MARKER_B not in page
    assert not PackageLine.objects.filter(package=package).exists()


def test_the_services_refusals_show_in_the_error_summary(alpha, client_for):
    package = _package(alpha, lines=[])
    commissioner = alpha["people"][Role.COMMISSIONER]
    other = make_provider(commissioner, name="Not awarded")
    other_service = make_service(commissioner, other, title="Other buddying")
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-line-create", args=[package.pk])
    cases = [
        (
            {"provider": other.pk, "service": other_service.pk},
            "This provider was not awarded this lot.",
        ),
        ({"provider": other.pk}, "Choose a service this provider offers."),
        ({"lot": ""}, "Choose the contract lot this service is commissioned under."),
        (
            {"funding_route": FundingRoute.DIRECT_PAYMENT},
            "Only a commissioned service is bought under a contract lot.",
        ),
        ({"nights_per_year": "12"}, "Enter either hours a week or nights a year."),
        ({"hours_per_week": ""}, "Enter either hours a week or nights a year."),
    ]
    for fields, message in cases:
        page = client.post(url, _line_post(alpha["offer"], **fields)).content.decode()
        assert "govuk-error-summary" in page, message
        assert message.replace("'", "&#x27;") in page, message
    assert not PackageLine.objects.filter(package=package).exists()


def test_a_line_cannot_be_added_once_approved_and_ends_only_after_a_reduce_review(
    alpha, client_for
):
    approved = _package(alpha, status="approved")
    client = client_for(alpha["sw"])
    page = client.post(
        reverse("referrals:package-line-create", args=[approved.pk]), _line_post(alpha["offer"])
    ).content.decode()
    assert "Lines cannot be added to a package that is approved." in page
    assert approved.lines.count() == 1

    active = _package(alpha, status="active", assessment=approved.assessment)
    line = active.lines.get()
    page = client.post(
        reverse("referrals:package-line-end", args=[line.pk]),
        {**date_boxes("end_on", "1/5/2025"), "reason": "Less needed."},
    ).content.decode()
    assert "Support is reduced only after a review with a reassessment" in page
    line.refresh_from_db()
    assert line.end_on is None


# ----------------------------------------------------------------------------------------------
# Starting, withdrawing and delivery


def test_starting_a_package_before_panel_approval_is_refused_with_the_reason(alpha, client_for):
    package = _package(alpha)
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-activate", args=[package.pk])
    check = client.get(url).content.decode()
    assert "Check the package before support starts" in check
    assert "Not approved by the panel" in check
    response = client.post(url, {**date_boxes("on", "3/3/2025")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Only a package the panel approved can start." in page
    package.refresh_from_db()
    assert package.status == PackageStatus.PROPOSED


def test_an_approved_package_starts_after_the_check(alpha, client_for):
    package = _package(alpha, status="approved")
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-activate", args=[package.pk])
    check = client.get(url).content.decode()
    assert "Approved 20 February 2025" in check
    assert "£142.50" in check
    response = client.post(url, {**date_boxes("on", "10/3/2025")}, follow=True)
    assert "Support has started." in response.content.decode()
    package.refresh_from_db()
    assert package.status == PackageStatus.ACTIVE
    assert package.next_review_due == date(2025, 9, 10)


def test_a_package_that_has_not_started_is_withdrawn_with_a_reason(alpha, client_for):
    package = _package(alpha)
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-withdraw", args=[package.pk])
    page = client.post(url, {**date_boxes("on", "1/3/2025"), "reason": ""}).content.decode()
    assert "Enter why the package is withdrawn." in page
    client.post(url, {**date_boxes("on", "1/3/2025"), "reason": "The family moved away."})
    package.refresh_from_db()
    assert package.status == PackageStatus.CEASED

    active = _package(alpha, status="active", assessment=package.assessment)
    page = client.post(
        reverse("referrals:package-withdraw", args=[active.pk]),
        {**date_boxes("on", "1/4/2025"), "reason": "No longer needed."},
    ).content.decode()
    assert "Support that has started can be ceased only by a review" in page


def test_delivery_against_plan_is_recorded_with_why_hours_were_not_delivered(alpha, client_for):
    package = _package(alpha, status="active")
    line = package.lines.get()
    client = client_for(alpha["sw"])
    url = reverse("referrals:package-delivery-create", args=[package.pk])
    data = {
        "line": line.pk,
        **date_boxes("period_start", "3/3/2025"),
        **date_boxes("period_end", "9/3/2025"),
        "hours_delivered": "3",
        "hours_not_delivered": "2",
        "reason": "",
        "notes": "",
    }
    page = client.post(url, data).content.decode()
    assert "Choose why hours were not delivered." in page
    response = client.post(url, {**data, "reason": "provider_withdrew"}, follow=True)
    page = response.content.decode()
    assert "Delivery recorded." in page
    assert "Provider withdrew" in page
    record = DeliveryRecord.objects.get(line=line)
    assert (record.hours_delivered, record.hours_not_delivered) == (Decimal(3), Decimal(2))


def test_delivery_is_refused_before_a_package_starts(alpha, client_for):
    package = _package(alpha, status="approved")
    response = client_for(alpha["sw"]).post(
        reverse("referrals:package-delivery-create", args=[package.pk]),
        {
            "line": package.lines.get().pk,
            **date_boxes("period_start", "3/3/2025"),
            **date_boxes("period_end", "9/3/2025"),
            "hours_delivered": "5",
        },
    )
    assert "Delivery is recorded once a package has started." in response.content.decode()
    assert not DeliveryRecord.objects.exists()


# ----------------------------------------------------------------------------------------------
# Overnight stays


def _record(side, first: date, nights: int, acknowledge: bool = False):
    return overnight_services.overnight_stay_record(
        actor=side["sw"],
        child=side["child"],
        first_night=first,
        nights=nights,
        acknowledge_threshold=acknowledge,
    )


def test_17_consecutive_nights_are_recorded_and_the_18th_needs_acknowledging(alpha, client_for):
    client = client_for(alpha["sw"])
    url = reverse("referrals:overnights", args=[alpha["child"].pk])
    first = timezone.localdate() - timedelta(days=60)
    response = client.post(
        url,
        {
            **date_boxes("first_night", first),
            **date_boxes("last_night", first + timedelta(days=16)),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "17 nights recorded." in page
    assert "17 of 17" in page
    assert "govuk-warning-text" not in page

    eighteenth = {
        **date_boxes("first_night", first + timedelta(days=17)),
        **date_boxes("last_night", None),
    }
    response = client.post(url, eighteenth)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-warning-text" in page
    assert "This stay would make 18 consecutive nights, more than 17" in page
    assert "I understand the child would become looked after" in page
    assert "govuk-error-summary" in page
    assert OvernightStay.objects.filter(child=alpha["child"]).count() == 17

    response = client.post(url, {**eighteenth, "acknowledge_threshold": "on"}, follow=True)
    page = response.content.decode()
    assert "1 night recorded." in page
    assert "18 of 17" in page
    assert "is looked after under the full regime" in page
    assert OvernightStay.objects.filter(child=alpha["child"]).count() == 18


def test_75_nights_in_12_months_are_recorded_and_the_76th_needs_acknowledging(alpha, client_for):
    start = timezone.localdate() - timedelta(days=300)
    # Five stays of 15 nights, a week apart: 75 nights, none longer than 17.
    for n in range(4):
        _record(alpha, start + timedelta(days=22 * n), 15)
    client = client_for(alpha["sw"])
    url = reverse("referrals:overnights", args=[alpha["child"].pk])
    fifth = start + timedelta(days=88)
    response = client.post(
        url,
        {
            **date_boxes("first_night", fifth),
            **date_boxes("last_night", fifth + timedelta(days=14)),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "15 nights recorded." in page
    assert "75 of 75" in page

    next_night = {
        **date_boxes("first_night", start + timedelta(days=120)),
        **date_boxes("last_night", None),
    }
    page = client.post(url, next_night).content.decode()
    assert "This stay would make 76 nights in 12 months, more than 75" in page
    assert OvernightStay.objects.filter(child=alpha["child"]).count() == 75
    client.post(url, {**next_night, "acknowledge_threshold": "on"})
    assert OvernightStay.objects.filter(child=alpha["child"]).count() == 76


def test_the_overnights_page_refuses_bad_dates_and_nights_already_recorded(alpha, client_for):
    first = timezone.localdate() - timedelta(days=10)
    _record(alpha, first, 2)
    client = client_for(alpha["sw"])
    url = reverse("referrals:overnights", args=[alpha["child"].pk])
    page = client.post(
        url, {**date_boxes("first_night", first), **date_boxes("last_night", None)}
    ).content.decode()
    assert "Some of these nights are already recorded." in page
    page = client.post(
        url,
        {**date_boxes("first_night", first), **date_boxes("last_night", first - timedelta(days=2))},
    ).content.decode()
    assert "The last night must be on or after the first." in page
    assert OvernightStay.objects.count() == 2


def test_the_overnights_page_lists_stays_and_writes_the_access_log(alpha, client_for):
    first = timezone.localdate() - timedelta(days=30)
    _record(alpha, first, 3)
    _record(alpha, first + timedelta(days=10), 2)
    auditor = alpha["people"][Role.AUDITOR]
    response = client_for(auditor).get(reverse("referrals:overnights", args=[alpha["child"].pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 of 75" in page
    assert "3 of 17" in page
    assert "Record nights" not in page
    assert AccessLogEntry.objects.filter(
        user=auditor, object_type="referrals.child", object_id=str(alpha["child"].pk)
    ).exists()
    refused = client_for(auditor).post(
        reverse("referrals:overnights", args=[alpha["child"].pk]),
        {**date_boxes("first_night", first - timedelta(days=5))},
    )
    assert refused.status_code == 403


def test_the_overnights_page_query_count_does_not_grow_with_stays(
    alpha, client_for, django_assert_num_queries
):
    client = client_for(alpha["sw"])
    url = reverse("referrals:overnights", args=[alpha["child"].pk])
    client.get(url)  # the session settles
    start = timezone.localdate() - timedelta(days=200)
    _record(alpha, start, 2)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    for n in range(1, 8):
        _record(alpha, start + timedelta(days=5 * n), 3)
    with django_assert_num_queries(11):
        page = client.get(url).content.decode()
    assert "23 of 75" in page


# ----------------------------------------------------------------------------------------------
# Who may, and across councils


def _urls(child: int, package: int, line: int):
    return [
        ("get", reverse("referrals:package", args=[package])),
        ("get", reverse("referrals:package-create", args=[child])),
        ("get", reverse("referrals:package-activate", args=[package])),
        ("get", reverse("referrals:package-withdraw", args=[package])),
        ("get", reverse("referrals:package-line-create", args=[package])),
        ("get", reverse("referrals:package-line-end", args=[line])),
        ("get", reverse("referrals:package-delivery-create", args=[package])),
        ("get", reverse("referrals:overnights", args=[child])),
        ("post", reverse("referrals:package-activate", args=[package])),
        ("post", reverse("referrals:overnights", args=[child])),
    ]


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_people_who_do_not_keep_childrens_records_are_refused_every_page(alpha, client_for, role):
    package = _package(alpha, status="approved")
    client = client_for(alpha["people"][role])
    for method, url in _urls(alpha["child"].pk, package.pk, package.lines.get().pk):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (role, method, url)
        assert alpha["child"].last_name not in response.content.decode()
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED


def _without_token(response, url: str) -> str:
    """The page with its own address and the per-request CSRF token taken out."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode().replace(url, ""))


def test_another_councils_records_are_not_found_exactly_like_missing_ones(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    theirs = _package(bravo, status="approved")
    client = client_for(alpha["sw"])
    for (method, theirs_url), (_, missing_url) in zip(
        _urls(bravo["child"].pk, theirs.pk, theirs.lines.get().pk),
        _urls(999_997, 999_999, 999_998),
        strict=True,
    ):
        their_response = getattr(client, method)(theirs_url)
        missing_response = getattr(client, method)(missing_url)
        assert their_response.status_code == missing_response.status_code == 404, theirs_url
        assert MARKER_B not in their_response.content.decode()
        assert _without_token(their_response, theirs_url) == _without_token(
            missing_response, missing_url
        )
    theirs.refresh_from_db()
    assert theirs.status == PackageStatus.APPROVED


def test_a_child_of_another_council_gets_no_package_from_this_one(world, client_for):
    alpha, bravo = world["alpha"], world["bravo"]
    assessment = authorised_assessment(bravo["sw"], bravo["tm"], bravo["child"])
    response = client_for(alpha["sw"]).post(
        reverse("referrals:package-create", args=[bravo["child"].pk]),
        {
            "assessment": assessment.pk,
            **date_boxes("start_on", "1/4/2025"),
            "review_interval_months": "6",
        },
    )
    assert response.status_code == 404
    assert not Package.objects.exists()


def test_another_childs_assessment_is_not_offered(alpha, client_for):
    other = make_child(alpha["sw"], first_name="Other")
    theirs = authorised_assessment(alpha["sw"], alpha["tm"], other)
    response = client_for(alpha["sw"]).post(
        reverse("referrals:package-create", args=[alpha["child"].pk]),
        {
            "assessment": theirs.pk,
            **date_boxes("start_on", "1/4/2025"),
            "review_interval_months": "6",
        },
    )
    assert "Choose one of this child&#x27;s assessments." in response.content.decode()
    assert not Package.objects.exists()
