"""Grants and allowances in the browser: the waiting list, schemes, applying, deciding, paying."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import ChildTier, GrantApplication, GrantScheme, GrantStatus, PaymentStatus
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


def today():
    return timezone.localdate()


def apply(world, slug="alpha", *, child=None, days_ago=10):
    return grant_services.grant_application_create(
        actor=world[slug]["sw"],
        child=child or world[slug]["child"],
        scheme=world[slug]["scheme"],
        received_on=today() - timedelta(days=days_ago),
        answers={"Does the child live in the council's area?": "Yes"},
    )


def date_parts(name: str, value) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def text(response) -> str:
    return response.content.decode()


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def application_url(application) -> str:
    return reverse("referrals:grant-application", args=[application.pk])


# ---------------------------------------------------------------------------------------------
# The grants page: the waiting list and the backlog


def test_the_waiting_list_is_oldest_first_with_days_waiting_and_long_waits_in_red(
    world, client_for
):
    alpha = world["alpha"]
    recent = apply(world, days_ago=10)
    oldest = apply(world, child=make_child(alpha["sw"], last_name="Oldest"), days_ago=200)
    middle = apply(world, child=make_child(alpha["sw"], last_name="Middle"), days_ago=57)
    decided = apply(world, child=make_child(alpha["sw"], last_name="Decided"), days_ago=300)
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=decided,
        decision="declined",
        decided_on=today(),
        reason="Lives outside the area.",
    )
    apply(world, "bravo", days_ago=400)

    response = client_for(alpha["sw"]).get(reverse("referrals:grants"))

    assert response.status_code == 200
    page = text(response)
    rows = re.findall(r'href="/grants/applications/(\d+)/"', page)
    assert rows == [str(oldest.pk), str(middle.pk), str(recent.pk)]
    assert re.search(r'govuk-tag--red">200 days', page)
    assert re.search(r'govuk-tag--red">57 days', page)
    assert re.search(r'govuk-tag--grey">10 days', page)
    assert "Decided" not in page
    assert MARKER_B not in page
    assert "Applications still waiting, by the month they arrived, oldest first" in page
    backlog = page[: page.index('id="trend-grants"')]  # not the 24 months charted below it
    months = re.findall(
        r'<th scope="row" class="govuk-table__header">([A-Za-z]+ \d{4})</th>', backlog
    )
    expected = [f"{(today() - timedelta(days=days)):%B %Y}" for days in (200, 57, 10)]
    assert months == sorted(set(expected), key=expected.index)


def test_the_grants_page_makes_the_same_queries_however_many_wait(
    world, client_for, django_assert_num_queries
):
    alpha = world["alpha"]
    client = client_for(alpha["sw"])
    apply(world, days_ago=5)
    client.get(reverse("referrals:grants"))  # the session is warm
    # 12, the access log's row, and the chart of the waiting list by month (one query)
    with django_assert_num_queries(11) as few:
        client.get(reverse("referrals:grants"))
    for number in range(6):
        apply(world, child=make_child(alpha["sw"]), days_ago=30 * number + 1)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:grants"))
    assert text(response).count('href="/grants/applications/') == 7


def test_the_waiting_list_pages_oldest_first_and_counts_every_wait(
    world, client_for, django_assert_num_queries
):
    """A page holds 50; the counts above the table are of all that wait, counted by the
    database; each page's rows go in the access log with the page number."""
    alpha = world["alpha"]
    applications = [
        apply(world, child=make_child(alpha["sw"], last_name=f"Waiting{n:02d}"), days_ago=120 - n)
        for n in range(53)
    ]
    client = client_for(alpha["sw"])
    first = text(client.get(reverse("referrals:grants")))
    rows = re.findall(r'href="/grants/applications/(\d+)/"', first)
    assert rows == [str(a.pk) for a in applications[:50]]
    assert "53 applications waiting, 53 of them for longer than 56 days." in first
    assert 'href="?page=2#waiting-list" rel="next"' in first
    assert 'rel="prev"' not in first
    with django_assert_num_queries(11):  # as many as the first page's
        second = text(client.get(reverse("referrals:grants"), {"page": 2}))
    rows = re.findall(r'href="/grants/applications/(\d+)/"', second)
    assert rows == [str(a.pk) for a in applications[50:]]
    assert 'href="?page=1#waiting-list" rel="prev"' in second
    assert 'rel="next"' not in second
    logged = AccessLogEntry.objects.filter(object_type="referrals.grantapplication").order_by("id")
    assert "page=2" in logged.last().path
    # A page past the end is empty, and says so; a page that is no number is the first.
    assert "No more applications are waiting." in text(
        client.get(reverse("referrals:grants"), {"page": 9})
    )
    assert re.findall(
        r'href="/grants/applications/(\d+)/"',
        text(client.get(reverse("referrals:grants"), {"page": "x"})),
    ) == [str(a.pk) for a in applications[:50]]


def test_an_empty_waiting_list_says_so(world, client_for):
    response = client_for(world["alpha"]["tm"]).get(reverse("referrals:grants"))
    assert "No applications are waiting for a decision." in text(response)
    assert "There is no backlog." in text(response)


# ---------------------------------------------------------------------------------------------
# Schemes


def test_a_social_worker_adds_a_scheme_and_sees_it_listed(world, client_for):
    client = client_for(world["alpha"]["sw"])
    response = client.post(
        reverse("referrals:grant-scheme-create"),
        {
            "name": "Targeted short breaks allowance",
            "year": "2026/27",
            "eligibility_criteria": "Disabled children living in Herefordshire.",
            "max_amount": "£1,000",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("referrals:grant-schemes")
    scheme = GrantScheme.objects.get(name="Targeted short breaks allowance")
    assert (scheme.year, scheme.max_amount, scheme.council) == (
        2026,
        Decimal("1000.00"),
        world["alpha"]["council"],
    )
    page = text(response)
    assert "Targeted short breaks allowance 2026/27 saved." in page
    assert "Disabled children living in Herefordshire." in page
    assert MARKER_B not in page


def test_a_scheme_needs_its_answers_and_a_name_unique_in_its_year(world, client_for):
    client = client_for(world["alpha"]["sw"])
    url = reverse("referrals:grant-scheme-create")
    response = client.post(url, {})
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: " in page
    assert "Enter the name of the scheme" in page
    assert "Enter who is eligible" in page
    response = client.post(
        url,
        {
            "name": f"Short break grant {MARKER_A}",
            "year": "2025/26",
            "eligibility_criteria": "Same again.",
        },
    )
    assert "The council already has this scheme for that year." in text(response)
    assert GrantScheme.objects.filter(council=world["alpha"]["council"]).count() == 1


# ---------------------------------------------------------------------------------------------
# Applying for a child, with check your answers


def test_a_social_worker_records_an_application_after_checking_the_answers(world, client_for):
    alpha = world["alpha"]
    child = alpha["child"]
    client = client_for(alpha["sw"])
    url = reverse("referrals:grant-application-create", args=[child.pk])

    form = client.get(url)
    assert "A disabled child aged 0 to 17 living in the area." in text(form)
    assert MARKER_B not in text(form)

    received = today() - timedelta(days=3)
    response = client.post(
        url,
        {
            "scheme": str(alpha["scheme"].pk),
            **date_parts("received_on", received),
            "lives_in_area": "yes",
            "needs": "Autism; needs 1:1 support outside the home.",
            "other_support": "",
            "use_of_grant": "Swimming lessons with a support worker.",
        },
    )
    check_url = reverse("referrals:grant-application-create-check", args=[child.pk])
    assert response.status_code == 302 and response["Location"] == check_url
    check = text(client.get(check_url))
    assert "Check the application before saving it" in check
    assert "Swimming lessons with a support worker." in check
    assert "Not answered" in check  # the optional question left blank
    assert not GrantApplication.objects.exists()

    response = client.post(check_url, follow=True)

    application = GrantApplication.objects.get()
    assert response.redirect_chain[-1][0] == application_url(application)
    assert (application.child, application.scheme, application.received_on) == (
        child,
        alpha["scheme"],
        received,
    )
    assert application.status == GrantStatus.RECEIVED
    assert application.answers == {
        "Does the child live in the council's area?": "Yes",
        "What is the child's disability or additional need?": (
            "Autism; needs 1:1 support outside the home."
        ),
        "What would the family use the grant or allowance for?": (
            "Swimming lessons with a support worker."
        ),
    }
    assert "Application saved." in text(response)


def test_an_application_form_shows_its_errors(world, client_for):
    child = world["alpha"]["child"]
    url = reverse("referrals:grant-application-create", args=[child.pk])
    response = client_for(world["alpha"]["sw"]).post(url, {})
    page = text(response)
    assert "<title>Error: " in page
    for message in (
        "Choose the scheme",
        "Enter the date the application was received",
        "Enter the child&#x27;s disability or additional need",
    ):
        assert message in page
    # Another council's scheme is not a choice.
    response = client_for(world["alpha"]["sw"]).post(url, {"scheme": world["bravo"]["scheme"].pk})
    assert "Choose the scheme" in text(response)


def test_a_second_waiting_application_on_the_same_scheme_is_refused_on_the_check_page(
    world, client_for
):
    alpha = world["alpha"]
    child = alpha["child"]
    client = client_for(alpha["sw"])
    client.post(
        reverse("referrals:grant-application-create", args=[child.pk]),
        {
            "scheme": str(alpha["scheme"].pk),
            **date_parts("received_on", today()),
            "lives_in_area": "no",
            "needs": "Hearing.",
            "use_of_grant": "A holiday club.",
        },
    )
    apply(world)  # someone else saves one meanwhile
    response = client.post(reverse("referrals:grant-application-create-check", args=[child.pk]))
    assert response.status_code == 200
    assert "This child already has an application on" in text(response)
    assert GrantApplication.objects.filter(child=child).count() == 1


# ---------------------------------------------------------------------------------------------
# The application page and the decision


def test_viewing_an_application_shows_it_and_writes_the_access_log(world, client_for):
    alpha = world["alpha"]
    application = apply(world)
    response = client_for(alpha["tm"]).get(application_url(application))
    page = text(response)
    assert alpha["child"].full_name in page
    assert "Does the child live in the council&#x27;s area?" in page
    assert "Record the decision" in page
    entry = AccessLogEntry.objects.get(object_type="referrals.grantapplication")
    assert (entry.user, entry.action, entry.object_id) == (
        alpha["tm"],
        "view",
        str(application.pk),
    )


def test_approving_checks_the_answers_then_moves_the_child_to_the_targeted_tier(world, client_for):
    alpha = world["alpha"]
    application = apply(world)
    client = client_for(alpha["tm"])
    review = today() + timedelta(days=365)
    response = client.post(
        reverse("referrals:grant-application-decide", args=[application.pk]),
        {
            "decision": "approved",
            "amount": "£450",
            "reason": "",
            **date_parts("decided_on", today()),
            **date_parts("review_on", review),
        },
    )
    check_url = reverse("referrals:grant-application-decide-check", args=[application.pk])
    assert response["Location"] == check_url
    check = text(client.get(check_url))
    assert "£450.00" in check and "targeted tier" in check
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED

    response = client.post(check_url, follow=True)

    application.refresh_from_db()
    assert (application.status, application.amount, application.review_on) == (
        GrantStatus.APPROVED,
        Decimal("450.00"),
        review,
    )
    assert application.payment_status == PaymentStatus.AWAITING_PAYMENT
    child = alpha["child"]
    child.refresh_from_db()
    assert child.tier == ChildTier.TARGETED
    assert child.tier_changes.get().to_tier == ChildTier.TARGETED
    page = text(response)
    assert "Application approved." in page
    assert "Targeted" in page and "Awaiting payment" in page
    assert "Record the decision" not in page
    assert "Update the payment" in page
    child_page = text(client.get(reverse("referrals:child", args=[child.pk])))
    assert re.search(r"Now: <strong[^>]*>\s*Targeted", child_page)
    assert "£450.00" in child_page  # the tier change's reason names the award


def test_the_payment_moves_on_from_the_application_page(world, client_for):
    alpha = world["alpha"]
    application = apply(world)
    grant_services.grant_application_decide(
        actor=alpha["sw"],
        application=application,
        decision="approved",
        decided_on=today(),
        amount=Decimal("300"),
    )
    client = client_for(alpha["sw"])
    url = reverse("referrals:grant-application-payment", args=[application.pk])
    response = client.post(url, {"payment_status": "awaiting_payment"})
    assert "Choose what has happened to the payment" in text(response)
    response = client.post(url, {"payment_status": "paid"}, follow=True)
    application.refresh_from_db()
    assert application.payment_status == PaymentStatus.PAID
    assert "Payment status saved." in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approved"}, "Enter the amount awarded, in pounds"),
        ({"decision": "approved", "amount": "0"}, "The amount awarded must be more than £0"),
        ({"decision": "declined", "reason": "  "}, "Enter why the application was declined"),
        ({}, "Choose approve or decline"),
    ],
)
def test_a_decision_without_its_amount_or_reason_is_refused_on_the_page(
    world, client_for, data, message
):
    application = apply(world)
    response = client_for(world["alpha"]["sw"]).post(
        reverse("referrals:grant-application-decide", args=[application.pk]),
        {**data, **date_parts("decided_on", today())},
    )
    assert response.status_code == 200
    assert "<title>Error: " in text(response)
    assert message in text(response)
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED


def test_an_amount_over_the_schemes_most_comes_back_from_the_service_beside_the_field(
    world, client_for
):
    application = apply(world)
    client = client_for(world["alpha"]["sw"])
    client.post(
        reverse("referrals:grant-application-decide", args=[application.pk]),
        {"decision": "approved", "amount": "900", **date_parts("decided_on", today())},
    )
    response = client.post(
        reverse("referrals:grant-application-decide-check", args=[application.pk])
    )
    assert "The scheme awards at most £500.00." in text(response)
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED


def test_deciding_twice_is_refused_with_the_reason(world, client_for):
    alpha = world["alpha"]
    application = apply(world)
    client = client_for(alpha["sw"])
    client.post(
        reverse("referrals:grant-application-decide", args=[application.pk]),
        {"decision": "approved", "amount": "100", **date_parts("decided_on", today())},
    )
    grant_services.grant_application_decide(
        actor=alpha["tm"],
        application=application,
        decision="declined",
        decided_on=today(),
        reason="Over the income limit.",
    )
    response = client.post(
        reverse("referrals:grant-application-decide-check", args=[application.pk])
    )
    assert response.status_code == 200
    assert "This application is already declined." in text(response)
    application.refresh_from_db()
    assert (application.status, application.amount) == (GrantStatus.DECLINED, None)
    alpha["child"].refresh_from_db()
    assert alpha["child"].tier == ChildTier.NONE


# ---------------------------------------------------------------------------------------------
# Who may do what, and tenancy


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_people_who_may_not_read_children_are_refused_every_grants_page(world, client_for, role):
    application = apply(world)
    client = client_for(world["alpha"]["people"][role])
    child = world["alpha"]["child"]
    for url in (
        reverse("referrals:grants"),
        reverse("referrals:grant-schemes"),
        reverse("referrals:grant-scheme-create"),
        reverse("referrals:grant-application-create", args=[child.pk]),
        application_url(application),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert child.last_name not in text(response)
    response = client.post(
        reverse("referrals:grant-application-decide", args=[application.pk]),
        {"decision": "declined", "reason": "No.", **date_parts("decided_on", today())},
    )
    assert response.status_code == 403


def test_an_auditor_reads_but_cannot_decide_or_add(world, client_for):
    application = apply(world)
    client = client_for(world["alpha"]["people"][Role.AUDITOR])
    assert client.get(reverse("referrals:grants")).status_code == 200
    page = text(client.get(application_url(application)))
    assert world["alpha"]["child"].full_name in page
    assert "Record the decision" not in page
    assert "Add a scheme" not in text(client.get(reverse("referrals:grant-schemes")))
    for url, data in (
        (
            reverse("referrals:grant-application-decide", args=[application.pk]),
            {"decision": "declined", "reason": "No.", **date_parts("decided_on", today())},
        ),
        (reverse("referrals:grant-application-decide-check", args=[application.pk]), {}),
        (reverse("referrals:grant-application-payment", args=[application.pk]), {}),
        (reverse("referrals:grant-scheme-create"), {"name": "X"}),
    ):
        assert client.post(url, data).status_code == 403, url
    application.refresh_from_db()
    assert application.status == GrantStatus.RECEIVED


def test_another_councils_application_is_exactly_as_missing(world, client_for):
    theirs = apply(world, "bravo")
    client = client_for(world["alpha"]["tm"])
    missing_id = GrantApplication.objects.order_by("-pk").first().pk + 100
    for name in ("referrals:grant-application", "referrals:grant-application-decide-check"):
        other = client.get(reverse(name, args=[theirs.pk]))
        missing = client.get(reverse(name, args=[missing_id]))
        assert other.status_code == missing.status_code == 404
        assert without_csrf(text(other)) == without_csrf(text(missing))
        assert MARKER_B not in text(other)
    response = client.post(
        reverse("referrals:grant-application-decide", args=[theirs.pk]),
        {"decision": "declined", "reason": "No.", **date_parts("decided_on", today())},
    )
    assert response.status_code == 404
    their_child = world["bravo"]["child"]
    url = reverse("referrals:grant-application-create", args=[their_child.pk])
    assert client.get(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == GrantStatus.RECEIVED
