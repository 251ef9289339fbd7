"""The grants API: schemes, applications, decisions and payments; roles, tenancy, query counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import ChildTier, GrantApplication, GrantScheme, GrantStatus
from referrals.services import grants as grant_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.referrals.builders import make_child
from tests.referrals.once import built_for_module
from tests.roles import NOT_CHILD_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


def build_grants_world(world: dict) -> dict:
    for slug, marker in (("alpha", MARKER_A), ("bravo", MARKER_B)):
        world[slug]["scheme"] = grant_services.grant_scheme_create(
            actor=world[slug]["sw"],
            name=f"Short break grant {marker}",
            year=2025,
            eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
            max_amount=Decimal("500.00"),
        )
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_grants_world)


def apply(world, slug="alpha", *, child=None, received_on=date(2025, 1, 6)):
    return grant_services.grant_application_create(
        actor=world[slug]["sw"],
        child=child or world[slug]["child"],
        scheme=world[slug]["scheme"],
        received_on=received_on,
        answers={"Does the child live in the council's area?": "Yes"},
    )


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def decide_url(application) -> str:
    return reverse("api-grant-application-decide", args=[application.pk])


APPROVE = {"decision": "approved", "amount": "450.00", "decided_on": "2025-03-01"}
DECLINE = {"decision": "declined", "reason": "Lives outside the area.", "decided_on": "2025-03-01"}


# ---------------------------------------------------------------------------------------------
# Schemes


def test_schemes_are_listed_for_the_council_and_added(world, client_for):
    client = client_for(world["alpha"]["tm"])
    response = post(
        client,
        reverse("api-grant-schemes"),
        {
            "name": "Targeted short breaks allowance",
            "year": 2026,
            "eligibility_criteria": "Disabled children in the county.",
            "max_amount": "1000.00",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["max_amount"] == "1000.00"
    listed = client.get(reverse("api-grant-schemes")).json()["results"]
    assert [s["name"] for s in listed] == [
        "Targeted short breaks allowance",
        f"Short break grant {MARKER_A}",
    ]
    again = post(
        client,
        reverse("api-grant-schemes"),
        {"name": "Targeted short breaks allowance", "year": 2026, "eligibility_criteria": "X"},
    )
    assert again.status_code == 400
    assert "name" in again.json()
    assert post(client, reverse("api-grant-schemes"), {"year": 1999}).status_code == 400
    assert GrantScheme.objects.filter(council=world["alpha"]["council"]).count() == 2


# ---------------------------------------------------------------------------------------------
# Applications


def test_an_application_is_recorded_with_the_familys_answers(world, client_for):
    alpha = world["alpha"]
    answers = {"What would the family use the grant for?": "Swimming with a support worker."}
    response = post(
        client_for(alpha["sw"]),
        reverse("api-grant-applications"),
        {
            "child": alpha["child"].pk,
            "scheme": alpha["scheme"].pk,
            "received_on": "2025-02-03",
            "answers": answers,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["answers"], body["child"]) == (
        "received",
        answers,
        alpha["child"].pk,
    )
    assert body["days_waiting"] == (timezone.localdate() - date(2025, 2, 3)).days
    application = GrantApplication.objects.get(pk=body["id"])
    assert application.answers == answers


def test_an_application_refuses_another_councils_child_or_scheme_and_a_second_waiting_one(
    world, client_for
):
    alpha, bravo = world["alpha"], world["bravo"]
    client = client_for(alpha["sw"])
    url = reverse("api-grant-applications")
    base = {"child": alpha["child"].pk, "scheme": alpha["scheme"].pk, "received_on": "2025-02-03"}
    for field, value in (("child", bravo["child"].pk), ("scheme", bravo["scheme"].pk)):
        response = post(client, url, {**base, field: value})
        assert response.status_code == 400
        assert response.json() == {field: [f"No {field} with that id."]}
    assert post(client, url, {**base, "answers": ["not", "a", "dict"]}).status_code == 400
    assert post(client, url, base).status_code == 201
    response = post(client, url, base)
    assert response.status_code == 400
    assert "This child already has an application on" in response.json()["scheme"][0]
    assert not GrantApplication.objects.filter(council=bravo["council"]).exists()


def test_the_list_filters_by_status_and_its_queries_do_not_grow(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    waiting = apply(world)
    declined = apply(world, child=make_child(alpha["sw"]))
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=declined,
        decision="declined",
        decided_on=date(2025, 2, 1),
        reason="Over the income limit.",
    )
    apply(world, "bravo")
    client = client_for(alpha["sw"])
    url = reverse("api-grant-applications")

    client.get(url)  # the session is warm
    with django_assert_num_queries(7) as few:  # 6, and the access log's row
        body = client.get(url).json()
    assert [row["id"] for row in body["results"]] == [declined.pk, waiting.pk]
    assert MARKER_B not in str(body)

    for _ in range(5):
        apply(world, child=make_child(alpha["sw"]))
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).json()
    assert len(body["results"]) == 7

    body = client.get(url, {"status": "declined"}).json()
    assert [(row["id"], row["days_waiting"]) for row in body["results"]] == [(declined.pk, None)]
    body = client.get(url, {"child": alpha["child"].pk}).json()
    assert [row["id"] for row in body["results"]] == [waiting.pk]
    assert client.get(url, {"status": "maybe"}).status_code == 400


def test_reading_an_application_writes_the_access_log(world, client_for):
    application = apply(world)
    auditor = world["alpha"]["people"][Role.AUDITOR]
    response = client_for(auditor).get(reverse("api-grant-application", args=[application.pk]))
    assert response.status_code == 200
    assert response.json()["child_name"] == world["alpha"]["child"].full_name
    entry = AccessLogEntry.objects.get(object_type="referrals.grantapplication", action="view")
    assert (entry.user, entry.object_id) == (auditor, str(application.pk))


# ---------------------------------------------------------------------------------------------
# Decisions and payments


def test_approving_moves_the_child_to_the_targeted_tier_and_a_second_decision_is_409(
    world, client_for
):
    alpha = world["alpha"]
    application = apply(world)
    client = client_for(alpha["tm"])
    response = post(client, decide_url(application), {**APPROVE, "review_on": "2026-03-01"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["amount"], body["payment_status"], body["review_on"]) == (
        "approved",
        "450.00",
        "awaiting_payment",
        "2026-03-01",
    )
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.TARGETED
    assert "£450.00" in alpha["child"].tier_changes.get().reason

    again = post(client, decide_url(application), DECLINE)
    assert again.status_code == 409
    assert again.json() == {"detail": "This application is already approved."}
    application.refresh_from_db()
    assert (application.status, application.decline_reason) == (GrantStatus.APPROVED, "")

    payment = reverse("api-grant-application-payment", args=[application.pk])
    assert post(client, payment, {"payment_status": "paid"}).json()["payment_status"] == "paid"
    assert post(client, payment, {"payment_status": "awaiting_payment"}).status_code == 409


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": "approved", "decided_on": "2025-03-01"}, "amount"),
        ({"decision": "approved", "amount": "-5", "decided_on": "2025-03-01"}, "amount"),
        ({"decision": "approved", "amount": "500.01", "decided_on": "2025-03-01"}, "amount"),
        ({"decision": "declined", "decided_on": "2025-03-01"}, "reason"),
        ({"decision": "declined", "reason": "  ", "decided_on": "2025-03-01"}, "reason"),
        ({"decision": "maybe"}, "decision"),
        ({**DECLINE, "decided_on": "2024-12-01"}, "decided_on"),
    ],
)
def test_a_decision_without_its_amount_or_reason_is_400(world, client_for, data, field):
    application = apply(world)
    response = post(client_for(world["alpha"]["sw"]), decide_url(application), data)
    assert response.status_code == 400
    assert field in response.json()
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED
    world["alpha"]["child"].refresh_from_db()
    assert world["alpha"]["child"].tier == ChildTier.NONE


def test_a_decline_leaves_the_tier(world, client_for):
    application = apply(world)
    response = post(client_for(world["alpha"]["sw"]), decide_url(application), DECLINE)
    assert response.json()["decline_reason"] == "Lives outside the area."
    world["alpha"]["child"].refresh_from_db()
    assert world["alpha"]["child"].tier == ChildTier.NONE


# ---------------------------------------------------------------------------------------------
# Who may do what, and tenancy


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_people_who_may_not_read_children_get_403_everywhere(world, client_for, role):
    application = apply(world)
    client = client_for(world["alpha"]["people"][role])
    for url in (
        reverse("api-grant-schemes"),
        reverse("api-grant-applications"),
        reverse("api-grant-application", args=[application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert world["alpha"]["child"].last_name not in response.content.decode()
    assert post(client, decide_url(application), DECLINE).status_code == 403
    assert (
        post(
            client,
            reverse("api-grant-applications"),
            {"child": world["alpha"]["child"].pk, "scheme": world["alpha"]["scheme"].pk},
        ).status_code
        == 403
    )


def test_an_auditor_reads_but_cannot_decide_apply_or_pay(world, client_for):
    application = apply(world)
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    assert client.get(reverse("api-grant-applications")).status_code == 200
    assert client.get(reverse("api-grant-schemes")).status_code == 200
    assert post(client, decide_url(application), APPROVE).status_code == 403
    payment = reverse("api-grant-application-payment", args=[application.pk])
    assert post(client, payment, {"payment_status": "paid"}).status_code == 403
    assert post(client, reverse("api-grant-schemes"), {"name": "X"}).status_code == 403
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED


def test_another_councils_application_is_exactly_as_missing(world, client_for):
    theirs = apply(world, "bravo")
    client = client_for(world["alpha"]["tm"])
    missing_id = theirs.pk + 1000
    for name in ("api-grant-application",):
        other = client.get(reverse(name, args=[theirs.pk]))
        missing = client.get(reverse(name, args=[missing_id]))
        assert (other.status_code, other.json()) == (missing.status_code, missing.json())
        assert other.status_code == 404
    for name, data in (
        ("api-grant-application-decide", DECLINE),
        ("api-grant-application-payment", {"payment_status": "paid"}),
    ):
        other = post(client, reverse(name, args=[theirs.pk]), data)
        missing = post(client, reverse(name, args=[missing_id]), data)
        assert (other.status_code, other.json()) == (missing.status_code, missing.json())
        assert other.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == GrantStatus.RECEIVED


def test_days_waiting_counts_from_the_day_received(world, client_for):
    received = timezone.localdate() - timedelta(days=42)
    application = apply(world, received_on=received)
    body = (
        client_for(world["alpha"]["sw"])
        .get(reverse("api-grant-application", args=[application.pk]))
        .json()
    )
    assert body["days_waiting"] == 42
