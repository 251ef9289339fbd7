"""DPS pages: the list, create, the detail with its members, applying, and a membership's page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from contracts.models import DPS, PRE_APPROVAL_CHECKS, DPSMembership, MembershipStatus
from contracts.services import dps as services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_provider
from tests.conftest import MARKER_B
from tests.contracts import test_dps_services
from tests.dates import date_boxes
from tests.per_module import world_per_module
from tests.roles import CONTRACT_MANAGERS, CONTRACT_READERS

# The shared DPS fixture and builder live with the service tests.
_dps_world_built, dps_world = world_per_module(test_dps_services.build_dps_world, name="dps_world")
approved_membership = test_dps_services.approved_membership


def _membership_url(membership: DPSMembership) -> str:
    return reverse(
        "contracts:dps-membership",
        kwargs={"dps_id": membership.dps_id, "membership_id": membership.pk},
    )


def _comparable(response, pk) -> str:
    body = response.content.decode().replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.fixture
def member(dps_world):
    """Our Place has applied to alpha's DPS and is under assessment."""
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    membership = services.dps_membership_apply(
        actor=actor, dps=alpha["dps"], provider=alpha["providers"][0], on=date(2024, 1, 8)
    )
    return services.dps_membership_transition(
        actor=actor,
        membership=membership,
        action="start_assessment",
        on=date(2024, 1, 15),
        reason="Documents received.",
    )


# ---------------------------------------------------------------------------------------------
# The list


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_list_is_for_those_who_read_contracts(dps_world, client_for, role):
    response = client_for(dps_world["alpha"]["people"][role]).get(reverse("contracts:dps-list"))
    assert response.status_code == (200 if role in CONTRACT_READERS else 403)


def test_the_list_needs_sign_in(db, client):
    response = client.get(reverse("contracts:dps-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_list_shows_status_openness_and_members_by_status(dps_world, member, client_for):
    alpha = dps_world["alpha"]
    approved_membership(alpha["commissioner"], alpha["dps"], alpha["providers"][1])
    response = client_for(alpha["commissioner"]).get(reverse("contracts:dps-list"))
    body = response.content.decode()
    assert "Tier 3 DPS" in body and "Closed DPS" in body
    assert MARKER_B not in body
    row = body.split("Tier 3 DPS")[1].split("</tr>")[0]
    assert '<strong class="govuk-tag govuk-tag--green">Active</strong>' in row
    assert "<li>Under assessment: 1</li>" in row
    assert "<li>Approved: 1</li>" in row
    assert "<li>Applied: 0</li>" in row
    closed_row = body.split("Closed DPS")[1].split("</tr>")[0]
    assert ">No<" in closed_row
    assert 'href="/contracts/dps/new/"' in body


def test_the_list_narrows_to_systems_with_applications_to_assess(dps_world, member, client_for):
    alpha = dps_world["alpha"]
    services.dps_create(actor=alpha["commissioner"], title="Empty DPS", start_date=date(2020, 4, 1))
    client = client_for(alpha["commissioner"])
    everything = client.get(reverse("contracts:dps-list")).content.decode()
    assert "Empty DPS" in everything
    narrowed = client.get(reverse("contracts:dps-list") + "?to_assess=1").content.decode()
    assert "Tier 3 DPS" in narrowed  # an application under assessment
    assert "Empty DPS" not in narrowed
    assert "Showing only the systems with applications to assess" in narrowed
    assert MARKER_B not in narrowed


def test_the_list_offers_no_create_button_to_an_auditor(dps_world, client_for):
    response = client_for(dps_world["alpha"]["people"][Role.AUDITOR]).get(
        reverse("contracts:dps-list")
    )
    assert response.status_code == 200
    assert reverse("contracts:dps-create") not in response.content.decode()


def _add_systems(commissioner, providers, count: int) -> None:
    for number in range(count):
        dps = services.dps_create(
            actor=commissioner, title=f"Extra DPS {number}", start_date=date(2020, 4, 1)
        )
        for provider in providers:
            services.dps_membership_apply(
                actor=commissioner, dps=dps, provider=provider, on=date(2021, 1, 1)
            )


def test_the_list_costs_the_same_queries_for_few_and_many(
    dps_world, client_for, django_assert_num_queries
):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    client.get(reverse("contracts:dps-list"))  # the session's first request writes it
    _add_systems(alpha["commissioner"], alpha["providers"], 2)
    with django_assert_num_queries(7):
        few = client.get(reverse("contracts:dps-list"))
    _add_systems(alpha["commissioner"], alpha["providers"], 8)
    with django_assert_num_queries(7):
        many = client.get(reverse("contracts:dps-list"))
    assert few.content.decode().count("Extra DPS") == 2
    assert many.content.decode().count("Extra DPS") == 10
    assert "<li>Applied: 3</li>" in many.content.decode()


# ---------------------------------------------------------------------------------------------
# Create


def test_a_commissioner_creates_a_dps(dps_world, client_for):
    client = client_for(dps_world["alpha"]["people"][Role.CONTRACT_MANAGER])
    assert client.get(reverse("contracts:dps-create")).status_code == 200
    response = client.post(
        reverse("contracts:dps-create"),
        {
            "title": "Short breaks DPS 2025",
            "categories": "Lot 1: overnight\nLot 2: community",
            **date_boxes("start_date", "1/4/2025"),
            **date_boxes("end_date", "31/3/2029"),
            "open_to_applications": "no",
        },
        follow=True,
    )
    dps = DPS.objects.get(title="Short breaks DPS 2025")
    assert response.redirect_chain[-1][0] == reverse("contracts:dps-detail", args=[dps.pk])
    assert (dps.start_date, dps.end_date) == (date(2025, 4, 1), date(2029, 3, 31))
    assert dps.open_to_applications is False
    assert dps.council == dps_world["alpha"]["dps"].council
    body = response.content.decode()
    assert "<li>Lot 2: community</li>" in body
    assert "31 March 2029" in body


def test_creating_with_bad_input_shows_the_error_summary_and_saves_nothing(dps_world, client_for):
    client = client_for(dps_world["alpha"]["commissioner"])
    before = DPS.objects.count()
    response = client.post(
        reverse("contracts:dps-create"),
        {"title": "", **date_boxes("start_date", "31/2/2025"), "open_to_applications": "yes"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body
    assert "Enter the title of the DPS." in body
    assert "The start date must be a real date" in body
    backwards = client.post(
        reverse("contracts:dps-create"),
        {
            "title": "Backwards",
            **date_boxes("start_date", "1/4/2025"),
            **date_boxes("end_date", "1/4/2024"),
            "open_to_applications": "yes",
        },
    )
    assert "The end date must be after the start date." in backwards.content.decode()
    assert DPS.objects.count() == before


@pytest.mark.parametrize("role", sorted(CONTRACT_READERS - CONTRACT_MANAGERS))
def test_readers_cannot_create(dps_world, client_for, role):
    client = client_for(dps_world["alpha"]["people"][role])
    assert client.get(reverse("contracts:dps-create")).status_code == 403
    response = client.post(
        reverse("contracts:dps-create"),
        {"title": "No", **date_boxes("start_date", "1/4/2025"), "open_to_applications": "yes"},
    )
    assert response.status_code == 403
    assert not DPS.objects.filter(title="No").exists()


# ---------------------------------------------------------------------------------------------
# Detail and its members table


def test_the_detail_page_lists_members_with_status_and_dates(dps_world, member, client_for):
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    exited = approved_membership(actor, alpha["dps"], alpha["providers"][2], on=date(2017, 6, 1))
    services.dps_membership_transition(
        actor=actor, membership=exited, action="exit", on=date(2020, 3, 31), reason="Left."
    )
    response = client_for(alpha["people"][Role.AUDITOR]).get(
        reverse("contracts:dps-detail", args=[alpha["dps"].pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Tier 3 DPS' in body
    assert "<li>Community short breaks</li>" in body
    our_place = body.split("Our Place")[1].split("</tr>")[0]
    assert 'govuk-tag--yellow">Under assessment<' in our_place
    assert "15 January 2024" in our_place and "8 January 2024" in our_place
    crossroads = body.split("Crossroads Care")[1].split("</tr>")[0]
    assert 'govuk-tag--grey">Exited<' in crossroads
    assert "31 March 2020" in crossroads and "1 June 2017" in crossroads
    assert _membership_url(member) in body
    assert MARKER_B not in body
    # An auditor reads; the button to record an application is not for them.
    assert reverse("contracts:dps-apply", args=[alpha["dps"].pk]) not in body
    assert AccessLogEntry.objects.filter(
        object_type="contracts.dps", object_id=str(alpha["dps"].pk), action="view"
    ).exists()


def test_the_detail_page_offers_the_application_button_to_a_commissioner(dps_world, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    open_page = client.get(reverse("contracts:dps-detail", args=[alpha["dps"].pk]))
    assert reverse("contracts:dps-apply", args=[alpha["dps"].pk]) in open_page.content.decode()
    closed_page = client.get(reverse("contracts:dps-detail", args=[alpha["closed"].pk]))
    assert reverse("contracts:dps-apply", args=[alpha["closed"].pk]) not in (
        closed_page.content.decode()
    )


def test_the_detail_page_costs_the_same_queries_for_few_and_many_members(
    dps_world, client_for, django_assert_num_queries
):
    alpha = dps_world["alpha"]
    actor = alpha["commissioner"]
    url = reverse("contracts:dps-detail", args=[alpha["dps"].pk])
    client = client_for(actor)
    client.get(url)  # the session's first request writes it
    services.dps_membership_apply(
        actor=actor, dps=alpha["dps"], provider=alpha["providers"][0], on=date(2024, 1, 1)
    )
    with django_assert_num_queries(10):
        client.get(url)
    for number in range(6):
        provider = make_provider(actor, name=f"Extra provider {number}")
        approved_membership(actor, alpha["dps"], provider)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("Extra provider") == 6


@pytest.mark.parametrize("role", sorted(CONTRACT_READERS))
def test_another_councils_dps_is_not_found_as_a_missing_one(dps_world, client_for, role):
    client = client_for(dps_world["alpha"]["people"][role])
    theirs = dps_world["bravo"]["dps"]
    for name in ("contracts:dps-detail", "contracts:dps-apply"):
        other = client.get(reverse(name, args=[theirs.pk]))
        missing = client.get(reverse(name, args=[theirs.pk + 10_000]))
        if name == "contracts:dps-apply" and role not in CONTRACT_MANAGERS:
            assert other.status_code == missing.status_code == 403
            continue
        assert other.status_code == missing.status_code == 404
        assert _comparable(other, theirs.pk) == _comparable(missing, theirs.pk + 10_000)
        assert MARKER_B not in other.content.decode()


# ---------------------------------------------------------------------------------------------
# Applying


def test_a_provider_applies_from_the_council_providers(dps_world, member, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    url = reverse("contracts:dps-apply", args=[alpha["dps"].pk])
    page = client.get(url).content.decode()
    # Only the council's providers not yet on the DPS are offered.
    assert "Aspire Living" in page and "Crossroads Care" in page
    assert f'value="{alpha["providers"][0].pk}"' not in page
    assert MARKER_B not in page
    provider = alpha["providers"][1]
    response = client.post(
        url,
        {"provider": provider.pk, **date_boxes("on", "2/2/2024"), "reason": "Applied online."},
        follow=True,
    )
    membership = DPSMembership.objects.get(dps=alpha["dps"], provider=provider)
    assert response.redirect_chain[-1][0] == _membership_url(membership)
    assert membership.status == MembershipStatus.APPLIED
    assert "Applied online." in response.content.decode()


def test_applying_with_another_councils_provider_or_twice_is_refused(dps_world, member, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    url = reverse("contracts:dps-apply", args=[alpha["dps"].pk])
    for provider in (dps_world["bravo"]["providers"][0], alpha["providers"][0]):
        response = client.post(url, {"provider": provider.pk, **date_boxes("on", "2/2/2024")})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Choose one of the council&#x27;s providers that is not on this DPS." in body
        assert MARKER_B not in body
    assert alpha["dps"].memberships.count() == 1


def test_applying_to_a_closed_dps_shows_the_reason(dps_world, client_for):
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    url = reverse("contracts:dps-apply", args=[alpha["closed"].pk])
    assert "This DPS is not open to applications." in client.get(url).content.decode()
    response = client.post(
        url, {"provider": alpha["providers"][0].pk, **date_boxes("on", "2/2/2024")}
    )
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "This DPS is not open to applications." in body
    assert not alpha["closed"].memberships.exists()


# ---------------------------------------------------------------------------------------------
# A membership: the checklist, the history, the transitions


def test_the_membership_page_shows_checklist_history_and_allowed_transitions(
    dps_world, member, client_for
):
    client = client_for(dps_world["alpha"]["commissioner"])
    response = client.get(_membership_url(member))
    body = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Registration with CQC or Ofsted",
        "Insurance",
        "Safeguarding policy",
        "DBS checks",
        "Financial standing",
    ):
        assert label in body
    assert body.count('type="checkbox"') == 5
    history = body.split("History</caption>")[1].split("</table>")[0]
    assert "8 January 2024" in history and "Applied to join." in history
    assert "15 January 2024" in history and "Documents received." in history
    assert escape(dps_world["alpha"]["commissioner"].get_full_name()) in history
    # Under assessment with checks still to do: exit, nothing else (approval is offered once
    # the checks are done, as the server makes it only then).
    assert 'name="do_exit"' in body and 'name="do_approve"' not in body
    for action in ("start_assessment", "suspend", "reinstate"):
        assert f'name="do_{action}"' not in body
    assert AccessLogEntry.objects.filter(
        object_type="contracts.dpsmembership", object_id=str(member.pk), action="view"
    ).exists()


def test_checks_are_saved_then_approval_follows(dps_world, member, client_for):
    client = client_for(dps_world["alpha"]["commissioner"])
    url = _membership_url(member)
    refused = client.post(
        url, {"do_approve": "", **date_boxes("approve-on", "1/2/2024"), "approve-reason": "Ready."}
    )
    body = refused.content.decode()
    assert "<title>Error: " in body
    summary = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert (
        "The pre-approval checks are not complete: Registration with CQC or Ofsted, Insurance, "
        "Safeguarding policy, DBS checks, Financial standing." in summary
    )
    member.refresh_from_db()
    assert member.status == MembershipStatus.UNDER_ASSESSMENT

    saved = client.post(
        url,
        {
            "save_checks": "",
            "checks-done": [
                "check_registration",
                "check_insurance",
                "check_safeguarding_policy",
                "check_dbs",
            ],
        },
        follow=True,
    )
    assert "Pre-approval checks saved." in saved.content.decode()
    member.refresh_from_db()
    assert member.check_dbs and not member.check_financial_standing
    missing_one = client.post(
        url, {"do_approve": "", **date_boxes("approve-on", "1/2/2024"), "approve-reason": "Ready."}
    )
    assert "not complete: Financial standing." in missing_one.content.decode()

    client.post(url, {"save_checks": "", "checks-done": list(PRE_APPROVAL_CHECKS)})
    approved = client.post(
        url,
        {"do_approve": "", **date_boxes("approve-on", "1/2/2024"), "approve-reason": "Ready."},
        follow=True,
    )
    member.refresh_from_db()
    assert member.status == MembershipStatus.APPROVED
    assert member.status_date == date(2024, 2, 1)
    body = approved.content.decode()
    assert "is now approved." in body
    assert 'name="do_suspend"' in body and 'name="do_exit"' in body
    assert 'name="do_approve"' not in body


def test_suspend_reinstate_and_exit_through_the_page(dps_world, client_for):
    alpha = dps_world["alpha"]
    membership = approved_membership(alpha["commissioner"], alpha["dps"], alpha["providers"][1])
    client = client_for(alpha["people"][Role.CONTRACT_MANAGER])
    url = _membership_url(membership)
    for action, on, expected in (
        ("suspend", "1/3/2024", MembershipStatus.SUSPENDED),
        ("reinstate", "1/4/2024", MembershipStatus.APPROVED),
        ("exit", "31/3/2025", MembershipStatus.EXITED),
    ):
        response = client.post(
            url,
            {
                f"do_{action}": "",
                **date_boxes(f"{action}-on", on),
                f"{action}-reason": f"Reason to {action}.",
            },
            follow=True,
        )
        membership.refresh_from_db()
        assert membership.status == expected
        assert f"Reason to {action}." in response.content.decode()
    # Exited: nothing more to do.
    assert 'name="do_' not in client.get(url).content.decode()


def test_a_forbidden_transition_shows_the_reason(dps_world, client_for):
    alpha = dps_world["alpha"]
    membership = services.dps_membership_apply(
        actor=alpha["commissioner"],
        dps=alpha["dps"],
        provider=alpha["providers"][0],
        on=date(2024, 1, 1),
    )
    client = client_for(alpha["commissioner"])
    response = client.post(
        _membership_url(membership),
        {"do_suspend": "", **date_boxes("suspend-on", "2/1/2024"), "suspend-reason": "Concerns."},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Only an approved membership can be moved to suspended." in body
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPLIED


def test_a_transition_needs_a_date_and_a_reason(dps_world, member, client_for):
    client = client_for(dps_world["alpha"]["commissioner"])
    response = client.post(
        _membership_url(member), {"do_exit": "", **date_boxes("exit-on", None), "exit-reason": ""}
    )
    body = response.content.decode()
    assert "Enter the date" in body and "Enter the reason." in body
    backdated = client.post(
        _membership_url(member),
        {"do_exit": "", **date_boxes("exit-on", "1/1/2020"), "exit-reason": "Left."},
    )
    assert "The date cannot be before the last change." in backdated.content.decode()
    member.refresh_from_db()
    assert member.status == MembershipStatus.UNDER_ASSESSMENT


@pytest.mark.parametrize("role", sorted(CONTRACT_READERS - CONTRACT_MANAGERS))
def test_readers_see_the_membership_but_no_forms_and_cannot_post(
    dps_world, member, client_for, role
):
    client = client_for(dps_world["alpha"]["people"][role])
    page = client.get(_membership_url(member))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<form method="post" novalidate>' not in body
    assert "Safeguarding policy: " in body
    refused = client.post(
        _membership_url(member),
        {"do_exit": "", **date_boxes("exit-on", "1/2/2024"), "exit-reason": "x"},
    )
    assert refused.status_code == 403
    member.refresh_from_db()
    assert member.status == MembershipStatus.UNDER_ASSESSMENT


def test_a_social_worker_cannot_open_a_membership(dps_world, member, client_for):
    client = client_for(dps_world["alpha"]["people"][Role.SOCIAL_WORKER])
    assert client.get(_membership_url(member)).status_code == 403


def test_another_councils_membership_is_not_found_as_a_missing_one(dps_world, client_for):
    bravo = dps_world["bravo"]
    theirs = approved_membership(bravo["commissioner"], bravo["dps"], bravo["providers"][0])
    alpha = dps_world["alpha"]
    client = client_for(alpha["commissioner"])
    missing_id = theirs.pk + 10_000
    urls = [
        # Their membership under their DPS, and under ours.
        (_membership_url(theirs), reverse(
            "contracts:dps-membership",
            kwargs={"dps_id": bravo["dps"].pk, "membership_id": missing_id},
        )),
        (reverse(
            "contracts:dps-membership",
            kwargs={"dps_id": alpha["dps"].pk, "membership_id": theirs.pk},
        ), reverse(
            "contracts:dps-membership",
            kwargs={"dps_id": alpha["dps"].pk, "membership_id": missing_id},
        )),
    ]  # fmt: skip
    for other_url, missing_url in urls:
        other, missing = client.get(other_url), client.get(missing_url)
        assert other.status_code == missing.status_code == 404
        assert MARKER_B not in other.content.decode()
        posted = client.post(other_url, {"do_suspend": "", **date_boxes("suspend-on", "1/1/2025"),
                                         "suspend-reason": "x"})  # fmt: skip
        assert posted.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == MembershipStatus.APPROVED


def test_a_membership_of_another_dps_is_not_found_under_this_one(dps_world, member, client_for):
    alpha = dps_world["alpha"]
    url = reverse(
        "contracts:dps-membership",
        kwargs={"dps_id": alpha["closed"].pk, "membership_id": member.pk},
    )
    assert client_for(alpha["commissioner"]).get(url).status_code == 404
