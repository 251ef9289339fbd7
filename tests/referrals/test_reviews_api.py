"""Reviews through the API: recording them, the refusals (400 with field messages, 409 for a
ceased package, 404 across councils), reading them, and who may do which."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import ChildTier, PackageLine, PackageStatus, Review, ReviewOutcome
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.referrals.builders import make_child, make_package
from tests.referrals.once import built_for_module
from tests.referrals.test_reviews_views import REASONS, VIEWS, record_review, review_world
from tests.roles import NOT_CHILD_READERS

LIST = "/api/v1/reviews/"


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, review_world)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(council, outcome="reduce", **overrides) -> dict:
    body = {
        "package": council["package"].pk,
        "held_on": "2025-09-01",
        "outcome": outcome,
        "reasons": REASONS,
        "family_views": VIEWS,
        "family_told_on": "2025-09-03",
        "reassessment": council["reassessment"].pk,
    }
    body.update(overrides)
    return body


def test_the_url_names_resolve_to_the_api_paths():
    assert reverse("api-reviews") == LIST
    assert reverse("api-review", args=[7]) == "/api/v1/reviews/7/"


def test_a_social_worker_records_a_reduction_that_stops_a_line(world):
    alpha = world["alpha"]
    second = PackageLine.objects.get(package=alpha["package"], hours_per_week=Decimal("2"))
    response = api(alpha["sw"]).post(
        LIST, _body(alpha, end_lines=[second.pk], lines_end_on="2025-09-30"), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    review = Review.objects.get()
    assert data["id"] == review.pk
    assert data["outcome"] == "reduce"
    assert data["package"] == alpha["package"].pk
    assert data["reassessment"] == alpha["reassessment"].pk
    assert data["due_on"] == "2025-09-03"  # the package's own: six months after it started
    second.refresh_from_db()
    assert second.end_on == date(2025, 9, 30)


@pytest.mark.parametrize("outcome", ["reduce", "cease"])
def test_a_reduction_or_cessation_without_its_safeguards_is_400_with_each_field(world, outcome):
    alpha = world["alpha"]
    body = _body(alpha, outcome, family_told_on=None, reassessment=None)
    del body["reasons"], body["family_views"]
    response = api(alpha["sw"]).post(LIST, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["reasons"] == ["Enter the reasons."]
    assert errors["family_views"] == ["Record the family's views."]
    assert errors["family_told_on"] == ["Enter the date the family was told."]
    assert errors["reassessment"] == ["Support is reduced or ceased only after a reassessment."]
    assert not Review.objects.exists()


@pytest.mark.parametrize("missing", ["reasons", "family_views"])
def test_blank_text_is_refused_field_by_field(world, missing):
    alpha = world["alpha"]
    response = api(alpha["sw"]).post(LIST, _body(alpha, **{missing: "   "}), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [missing]


def test_a_review_of_a_ceased_package_is_409(world):
    alpha = world["alpha"]
    record_review(alpha, ReviewOutcome.CEASE)
    response = api(alpha["sw"]).post(LIST, _body(alpha, "continue"), format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "This package has ceased; there is nothing to review."}
    assert Review.objects.count() == 1


def test_ceasing_through_the_api_moves_the_child_down_a_tier(world):
    alpha = world["alpha"]
    response = api(alpha["sw"]).post(LIST, _body(alpha, "cease"), format="json")
    assert response.status_code == 201
    alpha["child"].refresh_from_db()
    alpha["package"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.TARGETED
    assert alpha["package"].status == PackageStatus.CEASED


def test_another_councils_package_or_reassessment_is_exactly_as_missing(world):
    alpha, bravo = world["alpha"], world["bravo"]
    client = api(alpha["sw"])
    theirs = client.post(LIST, _body(alpha, package=bravo["package"].pk), format="json")
    missing = client.post(LIST, _body(alpha, package=999_999), format="json")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    theirs = client.post(LIST, _body(alpha, reassessment=bravo["reassessment"].pk), format="json")
    missing = client.post(LIST, _body(alpha, reassessment=999_999), format="json")
    assert theirs.status_code == missing.status_code == 400
    assert theirs.json() == missing.json()
    assert not Review.objects.exists()


def test_reading_a_review_logs_the_view_and_hides_other_councils(world):
    alpha, bravo = world["alpha"], world["bravo"]
    mine, theirs = record_review(alpha), record_review(bravo)
    client = api(alpha["people"][Role.AUDITOR])
    response = client.get(f"{LIST}{mine.pk}/")
    assert response.status_code == 200
    assert response.json()["reasons"] == REASONS
    assert AccessLogEntry.objects.filter(
        action="view", object_type="referrals.review", object_id=str(mine.pk)
    ).exists()
    other, gone = client.get(f"{LIST}{theirs.pk}/"), client.get(f"{LIST}999999/")
    assert other.status_code == gone.status_code == 404
    assert other.json() == gone.json()


def test_the_list_holds_only_the_councils_reviews_in_a_pinned_number_of_queries(
    world, django_assert_num_queries
):
    alpha, bravo = world["alpha"], world["bravo"]
    record_review(bravo)
    for n in range(4):
        child = make_child(alpha["sw"], first_name=f"Kit{n}")
        package = make_package(alpha["sw"], alpha["tm"], child, alpha["offer"])
        record_review({**alpha, "package": package}, ReviewOutcome.CONTINUE)
    client = api(alpha["sw"])
    with django_assert_num_queries(4):  # 3, and the access log's row
        response = client.get(LIST)
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 4
    assert {r["outcome"] for r in results} == {"continue"}
    package = Review.objects.filter(council=alpha["council"]).first().package
    only = client.get(LIST, {"package": package.pk}).json()["results"]
    assert [r["package"] for r in only] == [package.pk]


@pytest.mark.parametrize(
    "role",
    NOT_CHILD_READERS,
)
def test_people_who_may_not_read_children_get_403_on_reviews(world, role):
    alpha = world["alpha"]
    review = record_review(alpha)
    client = api(alpha["people"][role])
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{review.pk}/").status_code == 403
    assert client.post(LIST, _body(alpha, "continue"), format="json").status_code == 403


def test_an_auditor_reads_but_cannot_record(world):
    alpha = world["alpha"]
    client = api(alpha["people"][Role.AUDITOR])
    assert client.get(LIST).status_code == 200
    assert client.post(LIST, _body(alpha, "continue"), format="json").status_code == 403
    assert not Review.objects.exists()
