"""The identity bar and sub navigation at the top of a child's record."""

from datetime import date
from html import escape

import pytest
from django.urls import reverse

from referrals.services import overnights as overnight_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import make_package

pytestmark = pytest.mark.usefixtures("frozen_today")

# The summary of the child's record: the session, the person, their roles with their council, the
# child, the access log's row, the packages and the overnight summary for the alerts, the carers,
# the tier's changes, what is due next and the count of each section, each in one query.
QUERIES = 14


def _page(client_for, person, child) -> str:
    response = client_for(person).get(reverse("referrals:child", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_bar_names_the_child_and_the_sections_of_the_record(world, client_for):
    alpha = world["alpha"]
    child = alpha["child"]

    page = _page(client_for, alpha["sw"], child)

    start = page.index('class="moj-identity-bar')
    bar = page[start : page.index("</nav>", start)]
    assert child.full_name in bar
    assert f"Child id {child.council_child_id}" in bar
    born = child.date_of_birth
    assert f"Born {born.day} {born:%B %Y}" in bar
    assert "Tier: none yet" in bar
    assert f"Keyworker: {escape(str(alpha['sw']))}" in bar
    assert 'id="alerts"' not in bar  # nothing needs attention
    assert f'aria-current="page" href="{reverse("referrals:child", args=[child.pk])}"' in bar
    for words in (
        "Referrals",
        "Assessments",
        "Packages",
        "Reviews",
        "Documents",
        "Overnights",
        "Timeline",
    ):
        assert f">{words}</a>" in bar
    for section in ("referrals", "assessments", "packages", "reviews", "documents"):
        assert reverse(f"referrals:child-{section}", args=[child.pk]) in bar
    assert reverse("referrals:child-timeline", args=[child.pk]) in bar
    assert reverse("referrals:overnights", args=[child.pk]) in bar
    assert (
        AccessLogEntry.objects.filter(
            action="view", object_type="referrals.child", object_id=str(child.pk)
        ).count()
        == 1
    )


def test_nights_near_the_limit_and_an_overdue_review_are_alerts(world, client_for):
    alpha = world["alpha"]
    child = alpha["child"]
    package = make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
    overnight_services.overnight_stay_record(
        actor=alpha["sw"], child=child, first_night=date(2026, 5, 1), nights=15
    )
    package.refresh_from_db()
    assert package.next_review_due < date(2026, 6, 15)

    page = _page(client_for, alpha["sw"], child)

    start = page.index('id="alerts"')
    alerts = page[start : page.index("</nav>", start)]
    assert "A stay of 15 nights (the limit is 17)" in alerts
    assert reverse("referrals:overnights", args=[child.pk]) in alerts
    due = package.next_review_due
    assert f"Review overdue since {due.day} {due:%B %Y}" in alerts


def test_the_page_costs_the_same_however_many_alerts(world, client_for, django_assert_num_queries):
    alpha = world["alpha"]
    child = alpha["child"]
    client = client_for(alpha["sw"])
    url = reverse("referrals:child", args=[child.pk])
    client.get(url)  # warm the session and permission caches

    with django_assert_num_queries(QUERIES):
        client.get(url)
    make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
    with django_assert_num_queries(QUERIES):
        client.get(url)
    # Another overdue package and nights near the limit: more alerts, no more queries.
    make_package(alpha["sw"], alpha["tm"], child, alpha["offer"], start_on=date(2025, 4, 7))
    overnight_services.overnight_stay_record(
        actor=alpha["sw"], child=child, first_night=date(2026, 5, 1), nights=15
    )
    with django_assert_num_queries(QUERIES):
        page = client.get(url).content.decode()
    assert page.count("Review overdue since") == 2


def test_the_timeline_is_an_moj_timeline_under_the_same_navigation(world, client_for):
    alpha = world["alpha"]
    child = alpha["child"]
    make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])

    response = client_for(alpha["sw"]).get(reverse("referrals:child-timeline", args=[child.pk]))

    page = response.content.decode()
    timeline = reverse("referrals:child-timeline", args=[child.pk])
    assert f'aria-current="page" href="{timeline}"' in page
    assert 'class="moj-timeline"' in page
    assert page.count('class="moj-timeline__item"') >= 3
    assert '<time datetime="2025-03-03">3 March 2025</time>' in page  # the package started


def test_another_councils_child_is_not_found(world, client_for):
    response = client_for(world["alpha"]["sw"]).get(
        reverse("referrals:child", args=[world["bravo"]["child"].pk])
    )
    assert response.status_code == 404


def test_roles_that_do_not_read_children_are_refused(world, client_for):
    person = world["alpha"]["people"][Role.COMMISSIONER]
    response = client_for(person).get(reverse("referrals:child", args=[world["alpha"]["child"].pk]))
    assert response.status_code == 403
