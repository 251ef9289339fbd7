"""One grant a year per child and scheme: a second live application is refused (service, staff
pages, API, the parent portal, and the database when two arrive at once), a declined one does not
count, another year's scheme is another grant, approvals and payments never pass the scheme's
maximum, and the migration settles duplicates already recorded."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import GrantApplication, GrantStatus, PaymentStatus
from referrals.services import grants as grant_services
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import make_child
from tests.referrals.once import built_for_module
from tests.statements.test_parents import link, make_parent, signed_in

pytestmark = pytest.mark.usefixtures("frozen_today")

RECEIVED = date(2025, 4, 7)


def build_grants_world(world: dict) -> dict:
    for slug in ("alpha", "bravo"):
        world[slug]["scheme"] = grant_services.grant_scheme_create(
            actor=world[slug]["sw"],
            name="Short break grant",
            year=2025,
            eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
            max_amount=Decimal("600.00"),
        )
    return world


@pytest.fixture(scope="module")
def _world_built(request, django_db_setup, django_db_blocker):
    yield from built_for_module(request, django_db_blocker, build_grants_world)


def apply(world, *, scheme=None, child=None, received_on=RECEIVED):
    alpha = world["alpha"]
    return grant_services.grant_application_create(
        actor=alpha["sw"],
        child=child or alpha["child"],
        scheme=scheme or alpha["scheme"],
        received_on=received_on,
    )


def decide(world, application, decision="approved", amount="450.00", on=date(2025, 5, 1)):
    extra = {"amount": Decimal(amount)} if decision == "approved" else {"reason": "Not eligible."}
    return grant_services.grant_application_decide(
        actor=world["alpha"]["sw"],
        application=application,
        decision=decision,
        decided_on=on,
        **extra,
    )


def taken(application, status: str) -> dict:
    return {
        "scheme": [
            f"This child already has an application on Short break grant 2025/26: application "
            f"{application.pk}, received on 7 April 2025, {status}. A child can have one "
            "application a year on a scheme, unless it is declined."
        ]
    }


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, slug="alpha") -> dict:
    return {
        "child": world[slug]["child"].pk,
        "scheme": world[slug]["scheme"].pk,
        "received_on": "2025-04-07",
    }


# ----------------------------------------------------------------------------------------------
# Refused


def test_a_second_application_in_the_same_year_is_refused_naming_the_first(world):
    first = apply(world)
    with pytest.raises(ValidationError) as waiting:
        apply(world, received_on=date(2025, 4, 20))
    assert waiting.value.message_dict == taken(first, "waiting for a decision")

    decide(world, first)
    with pytest.raises(ValidationError) as approved:
        apply(world, received_on=date(2025, 9, 1))
    assert approved.value.message_dict == taken(first, "approved")
    assert GrantApplication.objects.filter(child=world["alpha"]["child"]).count() == 1


def test_the_database_refuses_a_second_live_application(world):
    first = apply(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantApplication.objects.create(
            council=first.council, child=first.child, scheme=first.scheme, received_on=RECEIVED
        )


def test_the_api_answers_a_second_application_400_with_the_reason(world):
    first = apply(world)
    response = api(world["alpha"]["sw"]).post(
        reverse("api-grant-applications"), body(world), format="json"
    )
    assert response.status_code == 400
    assert response.json() == taken(first, "waiting for a decision")
    assert GrantApplication.objects.filter(child=world["alpha"]["child"]).count() == 1


def test_the_staff_check_page_says_which_application_exists(world, client_for):
    first = apply(world)
    child, scheme = world["alpha"]["child"], world["alpha"]["scheme"]
    client = client_for(world["alpha"]["sw"])
    client.post(
        reverse("referrals:grant-application-create", args=[child.pk]),
        {
            "scheme": str(scheme.pk),
            "received_on_0": "20",
            "received_on_1": "4",
            "received_on_2": "2025",
            "lives_in_area": "yes",
            "needs": "Hearing.",
            "use_of_grant": "A holiday club.",
        },
    )
    response = client.post(reverse("referrals:grant-application-create-check", args=[child.pk]))
    assert response.status_code == 200
    assert f"application {first.pk}, received on 7 April 2025" in response.content.decode()
    assert GrantApplication.objects.filter(child=child).count() == 1


def test_the_parent_portal_says_the_child_already_has_one_and_makes_none(world):
    parent = make_parent(world["alpha"]["council"], "robin.again@example.org")
    link(world, "alpha", parent)
    first = decide(world, apply(world))
    client = signed_in(parent)
    apply_url = reverse("statements:account-apply", args=["alpha"])
    check_url = reverse("statements:account-apply-check", args=["alpha"])
    answers = {
        "child": str(world["alpha"]["child"].pk),
        "relationship": "Mother",
        "breaks_would_let_you": "Rest.",
        "use_of_grant": "A Saturday club.",
    }

    client.post(apply_url, answers)
    response = client.post(check_url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "You have already applied for this child on Short break grant 2025/26" in page
    assert f"application {first.pk}, received on 7 April 2025, approved" in page
    assert GrantApplication.objects.filter(child=world["alpha"]["child"]).count() == 1


def test_an_award_that_would_pass_the_maximum_is_refused_with_the_totals(world):
    child, scheme = world["alpha"]["child"], world["alpha"]["scheme"]
    # A second award already paid before the rule (the migration declines it, still paid).
    GrantApplication.objects.create(
        council=child.council,
        child=child,
        scheme=scheme,
        received_on=date(2025, 4, 1),
        status=GrantStatus.DECLINED,
        amount=Decimal("400.00"),
        payment_status=PaymentStatus.PAID,
    )
    application = apply(world)

    with pytest.raises(ValidationError) as refused:
        decide(world, application, amount="300.00")

    assert refused.value.message_dict == {
        "amount": [
            "This child has already been awarded £400.00 on Short break grant 2025/26; with "
            "£300.00 more that is £700.00, and the scheme awards at most £600.00 a year."
        ]
    }
    application = decide(world, application, amount="200.00")
    scheme.max_amount = Decimal("550.00")  # lowered after the award
    scheme.save()
    with pytest.raises(ValidationError) as unpaid:
        grant_services.grant_payment_set(
            actor=world["alpha"]["sw"], application=application, payment_status="paid"
        )
    assert "already been paid £400.00" in unpaid.value.message_dict["payment_status"][0]
    application.refresh_from_db()
    assert application.payment_status == PaymentStatus.AWAITING_PAYMENT


# ----------------------------------------------------------------------------------------------
# Allowed


def test_after_a_decline_the_child_may_apply_again(world):
    declined = decide(world, apply(world), decision="declined")
    again = apply(world, received_on=date(2025, 6, 1))
    assert declined.status == GrantStatus.DECLINED
    assert again.status == GrantStatus.RECEIVED


def test_another_year_is_another_grant(world):
    decide(world, apply(world))
    next_year = grant_services.grant_scheme_create(
        actor=world["alpha"]["sw"],
        name="Short break grant",
        year=2026,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("600.00"),
    )
    application = apply(world, scheme=next_year, received_on=date(2026, 4, 6))
    approved = decide(world, application, amount="600.00", on=date(2026, 5, 1))
    assert approved.status == GrantStatus.APPROVED


def test_one_grant_a_year_approved_and_paid_up_to_the_maximum(world):
    application = decide(world, apply(world), amount="600.00")
    paid = grant_services.grant_payment_set(
        actor=world["alpha"]["sw"], application=application, payment_status="paid"
    )
    other_child = apply(world, child=make_child(world["alpha"]["sw"]))
    assert paid.payment_status == PaymentStatus.PAID
    assert other_child.status == GrantStatus.RECEIVED
    # Another council's child on its own scheme is its own matter.
    response = api(world["bravo"]["sw"]).post(
        reverse("api-grant-applications"), body(world, "bravo"), format="json"
    )
    assert response.status_code == 201


# ----------------------------------------------------------------------------------------------
# Duplicates recorded before the rule


@pytest.mark.database_owner
def test_the_migration_keeps_the_earliest_live_application_and_declines_the_rest(world):
    migration = importlib.import_module("referrals.migrations.0006_one_live_grant_application")
    child, scheme = world["alpha"]["child"], world["alpha"]["scheme"]
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX grantapp_one_live_per_child_scheme")  # rolled back after

    def make(received_on, **fields):
        return GrantApplication.objects.create(
            council=child.council, child=child, scheme=scheme, received_on=received_on, **fields
        )

    old_decline = make(date(2025, 4, 1), status=GrantStatus.DECLINED, decline_reason="No.")
    kept = make(date(2025, 4, 2))
    paid = make(
        date(2025, 4, 3),
        status=GrantStatus.APPROVED,
        amount=Decimal("800.00"),
        payment_status=PaymentStatus.PAID,
        decided_on=date(2025, 4, 10),
    )
    awaiting = make(
        date(2025, 4, 4),
        status=GrantStatus.APPROVED,
        amount=Decimal("300.00"),
        payment_status=PaymentStatus.AWAITING_PAYMENT,
    )
    third = make(date(2025, 4, 5))

    migration.decline_later_duplicates(
        apps, SimpleNamespace(connection=SimpleNamespace(alias="default"))
    )

    for application in (old_decline, kept, paid, awaiting, third):
        application.refresh_from_db()
    assert (old_decline.status, old_decline.decline_reason) == (GrantStatus.DECLINED, "No.")
    assert kept.status == GrantStatus.RECEIVED
    assert [a.status for a in (paid, awaiting, third)] == [GrantStatus.DECLINED] * 3
    assert (
        f"application {kept.pk}, received on 2 April 2025, is the one kept" in third.decline_reason
    )
    assert (paid.payment_status, paid.decided_on) == (PaymentStatus.PAID, date(2025, 4, 10))
    assert awaiting.payment_status == PaymentStatus.STOPPED
    assert third.decided_on is not None


# ----------------------------------------------------------------------------------------------
# The cap across applications: the API's 409 with the totals, the pages


def _paid_before_the_rule(world, amount="400.00"):
    """An award paid on an earlier application of the same year, declined since and still paid."""
    child, scheme = world["alpha"]["child"], world["alpha"]["scheme"]
    return GrantApplication.objects.create(
        council=child.council,
        child=child,
        scheme=scheme,
        received_on=date(2025, 4, 1),
        status=GrantStatus.DECLINED,
        amount=Decimal(amount),
        payment_status=PaymentStatus.PAID,
    )


def test_the_cap_across_two_applications_answers_409_with_the_totals(world):
    _paid_before_the_rule(world)
    application = apply(world)
    url = reverse("api-grant-application-decide", args=[application.pk])
    client = api(world["alpha"]["sw"])

    refused = client.post(
        url, {"decision": "approved", "amount": "300.00", "decided_on": "2025-05-01"}, format="json"
    )

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "This child has already been awarded £400.00 on Short break grant 2025/26; "
        "with £300.00 more that is £700.00, and the scheme awards at most £600.00 a year.",
        "already_awarded": "400.00",
        "this_award": "300.00",
        "total": "700.00",
        "maximum": "600.00",
    }
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED
    allowed = client.post(
        url, {"decision": "approved", "amount": "200.00", "decided_on": "2025-05-01"}, format="json"
    )
    assert allowed.status_code == 200
    assert allowed.json()["status"] == "approved"


def test_the_decision_check_page_shows_the_cap_in_the_error_summary(world, client_for):
    _paid_before_the_rule(world)
    application = apply(world)
    client = client_for(world["alpha"]["sw"])
    client.post(
        reverse("referrals:grant-application-decide", args=[application.pk]),
        {
            "decision": "approved",
            "amount": "300.00",
            "decided_on_0": "1",
            "decided_on_1": "5",
            "decided_on_2": "2025",
        },
    )
    response = client.post(
        reverse("referrals:grant-application-decide-check", args=[application.pk])
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "with £300.00 more that is £700.00" in page
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED


def test_the_application_page_shows_the_childs_grants_this_year(world, client_for):
    earlier = _paid_before_the_rule(world)
    application = apply(world)
    page = client_for(world["alpha"]["sw"]).get(
        reverse("referrals:grant-application", args=[application.pk])
    )
    body = page.content.decode()
    assert "grants this year" in body
    assert reverse("referrals:grant-application", args=[earlier.pk]) in body
    assert "£400.00" in body
    assert "Awarded this year (awaiting payment or paid): <strong>£400.00</strong>" in body


def test_the_parent_portal_says_the_child_already_has_an_award_this_year(world):
    parent = make_parent(world["alpha"]["council"], "robin.award@example.org")
    link(world, "alpha", parent)
    decide(world, apply(world), amount="450.00")
    page = signed_in(parent).get(reverse("statements:account-apply", args=["alpha"]))
    body = page.content.decode()
    assert "Sam already has an award this year: £450" in body
    assert "A child can have one grant a year." in body
