"""Packages of support, delivery and overnight stays in the API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import DeliveryRecord, OvernightStay, Package, PackageLine, PackageStatus
from referrals.services import overnights as overnight_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.referrals.builders import (
    authorised_assessment,
    completed_assessment,
    make_child,
    make_package,
)
from tests.roles import NOT_CHILD_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

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


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _line_json(offer, **fields) -> dict:
    data = {
        "service": offer["service"].pk,
        "provider": offer["provider"].pk,
        "lot": offer["lot"].pk,
        "funding_route": "commissioned",
        "ratio": "1:1",
        "hours_per_week": "5",
        "unit_rate": "28.50",
        "start_on": "2025-03-03",
    }
    data.update(fields)
    return data


# ----------------------------------------------------------------------------------------------
# Reading packages


def test_a_package_reads_with_its_lines_and_computed_costs(alpha, client_for):
    package = _package(alpha, status="approved", lines=THREE_LINES)
    response = client_for(alpha["sw"]).get(reverse("api-package", args=[package.pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "approved"
    assert data["child"] == {"id": alpha["child"].pk, "name": alpha["child"].full_name}
    costs = [
        (line["ratio"], line["cost_per_week"], line["cost_per_year"]) for line in data["lines"]
    ]
    assert costs == [
        ("1:1", "142.50", "7410.00"),
        ("2:1", "382.50", "19890.00"),
        ("1:1", "96.92", "5040.00"),
    ]
    assert data["lines"][2]["nights_per_year"] == 24
    assert data["lines"][2]["hours_per_week"] is None
    assert data["lines"][0]["lot"]["contract_reference"] == "SB-MARKERALPHA"
    assert (data["cost_per_week"], data["cost_per_year"]) == ("621.92", "32340.00")
    assert [d["decision"] for d in data["panel_decisions"]] == ["approved"]
    assert AccessLogEntry.objects.filter(
        user=alpha["sw"], action="view", object_type="referrals.package", object_id=str(package.pk)
    ).exists()


def test_the_package_list_filters_by_child_and_status(world, alpha, client_for):
    proposed = _package(alpha)
    other_child = make_child(alpha["sw"], first_name="Other")
    active = _package(alpha, status="active", child=other_child)
    _package(world["bravo"], status="active")
    client = client_for(alpha["sw"])
    everything = client.get(reverse("api-packages")).json()["results"]
    assert {p["id"] for p in everything} == {proposed.pk, active.pk}
    assert MARKER_B not in str(everything)
    by_child = client.get(reverse("api-packages"), {"child": other_child.pk}).json()["results"]
    assert [p["id"] for p in by_child] == [active.pk]
    by_status = client.get(reverse("api-packages"), {"status": "proposed"}).json()["results"]
    assert [p["id"] for p in by_status] == [proposed.pk]
    bad = client.get(reverse("api-packages"), {"status": "lost"})
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_the_package_list_query_count_does_not_grow_with_packages_or_lines(
    alpha, client_for, django_assert_num_queries
):
    client = client_for(alpha["sw"])
    client.get(reverse("api-packages"))  # the session settles
    first = _package(alpha, lines=THREE_LINES)
    with django_assert_num_queries(10):  # 9 (lines, their services, their providers), and the log
        assert len(client.get(reverse("api-packages")).json()["results"]) == 1
    for n in range(3):
        child = make_child(alpha["sw"], first_name=f"More{n}")
        _package(alpha, child=child, lines=THREE_LINES * 2)
    _package(alpha, assessment=first.assessment, lines=THREE_LINES)
    with django_assert_num_queries(10):
        results = client.get(reverse("api-packages")).json()["results"]
    assert len(results) == 5
    assert sum(len(p["lines"]) for p in results) == 3 + 6 * 3 + 3


# ----------------------------------------------------------------------------------------------
# Proposing, lines, starting


def test_a_package_is_proposed_on_an_authorised_assessment(alpha, client_for):
    assessment = authorised_assessment(alpha["sw"], alpha["tm"], alpha["child"])
    response = _post(
        client_for(alpha["sw"]),
        reverse("api-packages"),
        {"child": alpha["child"].pk, "assessment": assessment.pk, "start_on": "2025-04-01"},
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "proposed"
    assert data["review_interval_months"] == 6
    assert data["lines"] == []
    assert Package.objects.get(pk=data["id"]).assessment == assessment


def test_proposing_without_an_authorised_assessment_is_refused(world, alpha, client_for):
    client = client_for(alpha["sw"])
    completed = completed_assessment(alpha["sw"], alpha["child"])
    response = _post(
        client,
        reverse("api-packages"),
        {"child": alpha["child"].pk, "assessment": completed.pk, "start_on": "2025-04-01"},
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "A package is proposed on an authorised assessment."}

    bravo = world["bravo"]
    theirs = authorised_assessment(bravo["sw"], bravo["tm"], bravo["child"])
    response = _post(
        client,
        reverse("api-packages"),
        {"child": alpha["child"].pk, "assessment": theirs.pk, "start_on": "2025-04-01"},
    )
    assert response.status_code == 400
    assert response.json() == {"assessment": ["Choose one of this child's assessments."]}
    response = _post(
        client,
        reverse("api-packages"),
        {"child": bravo["child"].pk, "assessment": theirs.pk, "start_on": "2025-04-01"},
    )
    assert response.status_code == 400
    assert response.json() == {"child": ["Choose one of the council's children."]}
    assert not Package.objects.exists()


def test_lines_are_added_and_listed_with_costs(alpha, client_for):
    package = _package(alpha, lines=[])
    client = client_for(alpha["sw"])
    url = reverse("api-package-lines", args=[package.pk])
    response = _post(
        client, url, _line_json(alpha["offer"], ratio="2:1", hours_per_week="8.5", unit_rate="45")
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["cost_per_week"], response.json()["cost_per_year"]) == (
        "382.50",
        "19890.00",
    )
    response = _post(
        client,
        url,
        _line_json(
            alpha["offer"],
            lot=None,
            funding_route="direct_payment",
            hours_per_week=None,
            nights_per_year=24,
            unit_rate="210",
        ),
    )
    assert response.status_code == 201, response.json()
    listed = client.get(url).json()["results"]
    assert [(line["cost_per_week"], line["cost_per_year"]) for line in listed] == [
        ("382.50", "19890.00"),
        ("96.92", "5040.00"),
    ]


def test_a_line_on_another_councils_contract_lot_is_refused(world, alpha, client_for):
    package = _package(alpha, lines=[])
    response = _post(
        client_for(alpha["sw"]),
        reverse("api-package-lines", args=[package.pk]),
        _line_json(alpha["offer"], lot=world["bravo"]["offer"]["lot"].pk),
    )
    assert response.status_code == 400
    assert response.json() == {"lot": ["Choose a lot on one of the council's own contracts."]}
    assert MARKER_B not in response.content.decode()
    assert not PackageLine.objects.filter(package=package).exists()


def test_a_line_the_service_refuses_answers_400_with_the_field(alpha, client_for):
    package = _package(alpha, lines=[])
    url = reverse("api-package-lines", args=[package.pk])
    client = client_for(alpha["sw"])
    both = _post(client, url, _line_json(alpha["offer"], nights_per_year=12))
    assert both.status_code == 400
    assert both.json() == {"hours_per_week": ["Enter either hours a week or nights a year."]}
    spot = _post(client, url, _line_json(alpha["offer"], funding_route="spot_purchase"))
    assert spot.status_code == 400
    assert spot.json() == {"lot": ["Only a commissioned service is bought under a contract lot."]}
    approved = _package(alpha, status="approved", assessment=package.assessment)
    late = _post(
        client, reverse("api-package-lines", args=[approved.pk]), _line_json(alpha["offer"])
    )
    assert late.status_code == 409
    assert late.json() == {"detail": "Lines cannot be added to a package that is approved."}


def test_starting_before_panel_approval_answers_409_and_after_it_starts(alpha, client_for):
    client = client_for(alpha["sw"])
    proposed = _package(alpha)
    response = _post(
        client, reverse("api-package-activate", args=[proposed.pk]), {"on": "2025-03-03"}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Only a package the panel approved can start."}
    proposed.refresh_from_db()
    assert proposed.status == PackageStatus.PROPOSED

    approved = _package(alpha, status="approved", assessment=proposed.assessment)
    response = _post(
        client, reverse("api-package-activate", args=[approved.pk]), {"on": "2025-03-10"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert response.json()["next_review_due"] == "2025-09-10"
    missing_date = _post(client, reverse("api-package-activate", args=[approved.pk]), {})
    assert missing_date.status_code == 400
    assert "on" in missing_date.json()


# ----------------------------------------------------------------------------------------------
# Delivery


def test_delivery_is_recorded_and_listed(alpha, client_for):
    package = _package(alpha, status="active")
    line = package.lines.get()
    client = client_for(alpha["sw"])
    url = reverse("api-package-delivery", args=[package.pk])
    week = {
        "line": line.pk,
        "period_start": "2025-03-03",
        "period_end": "2025-03-09",
        "hours_delivered": "3",
        "hours_not_delivered": "2",
    }
    no_reason = _post(client, url, week)
    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["Choose why hours were not delivered."]}
    created = _post(client, url, {**week, "reason": "staff_shortage"})
    assert created.status_code == 201, created.json()
    listed = client.get(url).json()["results"]
    assert [(d["hours_delivered"], d["hours_not_delivered"], d["reason"]) for d in listed] == [
        ("3.00", "2.00", "staff_shortage")
    ]


def test_delivery_is_refused_before_start_and_for_another_packages_line(alpha, client_for):
    approved = _package(alpha, status="approved")
    active = _package(alpha, status="active", assessment=approved.assessment)
    client = client_for(alpha["sw"])
    week = {"period_start": "2025-03-03", "period_end": "2025-03-09", "hours_delivered": "5"}
    early = _post(
        client,
        reverse("api-package-delivery", args=[approved.pk]),
        {**week, "line": approved.lines.get().pk},
    )
    assert early.status_code == 409
    assert early.json() == {"detail": "Delivery is recorded once a package has started."}
    crossed = _post(
        client,
        reverse("api-package-delivery", args=[active.pk]),
        {**week, "line": approved.lines.get().pk},
    )
    assert crossed.status_code == 400
    assert crossed.json() == {"line": ["Choose one of the package's lines."]}
    assert not DeliveryRecord.objects.exists()


# ----------------------------------------------------------------------------------------------
# Overnight stays


def test_17_consecutive_nights_pass_and_the_18th_answers_400_until_acknowledged(alpha, client_for):
    client = client_for(alpha["sw"])
    url = reverse("api-child-overnights", args=[alpha["child"].pk])
    first = timezone.localdate() - timedelta(days=60)
    response = _post(client, url, {"first_night": first.isoformat(), "nights": 17})
    assert response.status_code == 201, response.json()
    assert response.json()["longest_stay_in_12_months"] == 17
    assert response.json()["past_threshold"] is False

    eighteenth = {"first_night": (first + timedelta(days=17)).isoformat()}
    preview = client.get(url, eighteenth).json()
    assert [w["kind"] for w in preview["warnings"]] == ["consecutive"]
    assert preview["warnings"][0]["nights"] == 18
    refused = _post(client, url, eighteenth)
    assert refused.status_code == 400
    assert refused.json() == {
        "acknowledge_threshold": [
            "This stay would make 18 consecutive nights, more than 17: the child would become "
            "looked after under the full regime."
        ]
    }
    assert OvernightStay.objects.filter(child=alpha["child"]).count() == 17
    accepted = _post(client, url, {**eighteenth, "acknowledge_threshold": True})
    assert accepted.status_code == 201
    assert accepted.json()["longest_stay_in_12_months"] == 18
    assert accepted.json()["past_threshold"] is True
    assert accepted.json()["stays"] == [
        {
            "first_night": first.isoformat(),
            "last_night": (first + timedelta(days=17)).isoformat(),
            "nights": 18,
        }
    ]


def test_75_nights_in_12_months_pass_and_the_76th_answers_400(alpha, client_for):
    client = client_for(alpha["sw"])
    url = reverse("api-child-overnights", args=[alpha["child"].pk])
    start = timezone.localdate() - timedelta(days=300)
    for n in range(5):
        first = (start + timedelta(days=22 * n)).isoformat()
        response = _post(client, url, {"first_night": first, "nights": 15})
        assert response.status_code == 201, (n, response.json())
    summary = client.get(url).json()
    assert summary["nights_in_12_months"] == 75
    assert summary["warnings"] == []
    another = {"first_night": (start + timedelta(days=120)).isoformat(), "nights": 1}
    refused = _post(client, url, another)
    assert refused.status_code == 400
    assert refused.json()["acknowledge_threshold"][0].startswith(
        "This stay would make 76 nights in 12 months, more than 75"
    )
    assert _post(client, url, {**another, "acknowledge_threshold": True}).status_code == 201
    assert OvernightStay.objects.filter(child=alpha["child"]).count() == 76


def test_overnight_input_is_checked(world, alpha, client_for):
    client = client_for(alpha["sw"])
    url = reverse("api-child-overnights", args=[alpha["child"].pk])
    assert _post(client, url, {"first_night": "2025-01-01", "nights": 0}).status_code == 400
    assert _post(client, url, {"nights": 2}).status_code == 400
    theirs = _package(world["bravo"], lines=[{"nights_per_year": 20, "unit_rate": Decimal(200)}])
    crossed = _post(client, url, {"first_night": "2025-01-01", "line": theirs.lines.get().pk})
    assert crossed.status_code == 400
    assert crossed.json() == {"line": ["Choose a line of this child's package."]}
    assert not OvernightStay.objects.exists()


# ----------------------------------------------------------------------------------------------
# Who may, and across councils


def _endpoints(child: int, package: int):
    return [
        ("get", reverse("api-packages")),
        ("post", reverse("api-packages")),
        ("get", reverse("api-package", args=[package])),
        ("get", reverse("api-package-lines", args=[package])),
        ("post", reverse("api-package-lines", args=[package])),
        ("post", reverse("api-package-activate", args=[package])),
        ("get", reverse("api-package-delivery", args=[package])),
        ("post", reverse("api-package-delivery", args=[package])),
        ("get", reverse("api-child-overnights", args=[child])),
        ("post", reverse("api-child-overnights", args=[child])),
    ]


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_people_who_do_not_keep_childrens_records_get_403_everywhere(alpha, client_for, role):
    package = _package(alpha, status="approved")
    client = client_for(alpha["people"][role])
    for method, url in _endpoints(alpha["child"].pk, package.pk):
        response = _post(client, url, {"on": "2025-03-03"}) if method == "post" else client.get(url)
        assert response.status_code == 403, (role, method, url)
        assert alpha["child"].last_name not in response.content.decode()
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED


def test_an_auditor_reads_but_changes_nothing(alpha, client_for):
    package = _package(alpha, status="approved")
    client = client_for(alpha["people"][Role.AUDITOR])
    for method, url in _endpoints(alpha["child"].pk, package.pk):
        if method == "get":
            assert client.get(url).status_code == 200, url
        else:
            assert _post(client, url, {"on": "2025-03-03"}).status_code == 403, url
    package.refresh_from_db()
    assert package.status == PackageStatus.APPROVED


def test_another_councils_ids_answer_404_exactly_like_missing_ones(world, alpha, client_for):
    theirs = _package(world["bravo"], status="approved")
    client = client_for(alpha["sw"])
    for (method, their_url), (_, missing_url) in zip(
        _endpoints(world["bravo"]["child"].pk, theirs.pk),
        _endpoints(999_997, 999_999),
        strict=True,
    ):
        if their_url == reverse("api-packages"):
            continue
        if method == "post":
            their, missing = _post(client, their_url), _post(client, missing_url)
        else:
            their, missing = client.get(their_url), client.get(missing_url)
        assert their.status_code == missing.status_code == 404, their_url
        assert their.json() == missing.json()
        assert MARKER_B not in their.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == PackageStatus.APPROVED


def test_recording_through_the_service_and_api_agree_on_the_summary(alpha, client_for):
    """Nights recorded by the service show in the API's counts for the 12 months to today."""
    today = timezone.localdate()
    overnight_services.overnight_stay_record(
        actor=alpha["sw"], child=alpha["child"], first_night=today - timedelta(days=5), nights=3
    )
    overnight_services.overnight_stay_record(
        actor=alpha["sw"], child=alpha["child"], first_night=date(2000, 1, 1), nights=2
    )
    data = (
        client_for(alpha["sw"])
        .get(reverse("api-child-overnights", args=[alpha["child"].pk]))
        .json()
    )
    assert data["nights_in_12_months"] == 3
    assert data["longest_stay_in_12_months"] == 3
    assert [stay["nights"] for stay in data["stays"]] == [3, 2]
    assert (data["max_consecutive_nights"], data["max_nights_in_12_months"]) == (17, 75)
