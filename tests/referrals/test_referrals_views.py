"""Referrals in the browser: logging one, every transition and its refusals, roles, tenancy."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import ChildTier, Referral, ReferralEvent, ReferralStatus
from referrals.services import documents as document_services
from shortbreaks.accesslog.models import AccessLogEntry
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.referrals.builders import make_child, make_referral, screened_referral
from tests.referrals.test_uploads import PDF_BYTES, upload
from tests.roles import NOT_CHILD_READERS

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

CREATE = {
    "received_on_0": "6",
    "received_on_1": "1",
    "received_on_2": "2025",
    "source": "3A",
    "referrer": "Dr Patel, Riverside Surgery",
    "request": "Breaks at weekends so that mother can rest.",
    "primary_need": "N2",
}
OUTCOMES = [
    ReferralStatus.ACCEPTED_FOR_ASSESSMENT,
    ReferralStatus.SIGNPOSTED_UNIVERSAL,
    ReferralStatus.REFERRED_TARGETED,
    ReferralStatus.NO_FURTHER_ACTION,
]


@pytest.fixture
def sw(world, client_for):
    return client_for(world["alpha"]["sw"])


def text(response) -> str:
    return response.content.decode()


def comparable(response, pk) -> str:
    body = text(response).replace(f"/{pk}/", "/ID/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def transition_data(status: str, reason: str = "", on: date | None = None) -> dict:
    on = on or timezone.localdate()
    return {
        "status": status,
        f"{status}-on_0": str(on.day),
        f"{status}-on_1": str(on.month),
        f"{status}-on_2": str(on.year),
        f"{status}-reason": reason,
    }


def referral_url(referral) -> str:
    return reverse("referrals:referral", args=[referral.pk])


def transition_url(referral) -> str:
    return reverse("referrals:referral-transition", args=[referral.pk])


# ---------------------------------------------------------------------------------------------
# Logging a referral, with "check your answers"


def test_a_social_worker_logs_a_referral_checking_their_answers(world, sw):
    child = world["alpha"]["child"]
    url = reverse("referrals:referral-create", args=[child.pk])
    page = text(sw.get(url))
    assert "Log a referral" in page
    assert child.full_name in page

    response = sw.post(url, CREATE)
    check_url = reverse("referrals:referral-create-check", args=[child.pk])
    assert response.status_code == 302 and response["Location"] == check_url
    assert not Referral.objects.exists()

    check = text(sw.get(check_url))
    assert "Check your answers before logging the referral" in check
    assert "6 January 2025" in check
    assert "Health services: GP" in check
    assert "Dr Patel, Riverside Surgery" in check
    assert "N2: child&#x27;s disability or illness" in check
    assert 'Change<span class="govuk-visually-hidden"> primary need</span>' in check

    # "Change" shows what was answered.
    again = text(sw.get(url))
    assert "Breaks at weekends so that mother can rest." in again
    assert 'value="N2"' in again and "checked" in again

    response = sw.post(check_url, follow=True)
    referral = Referral.objects.get()
    assert response.redirect_chain[-1][0] == referral_url(referral)
    page = text(response)
    assert "Referral logged." in page
    assert "Received" in page
    assert referral.child == child and referral.council == world["alpha"]["council"]
    assert referral.source == "3A" and referral.primary_need == "N2"
    assert referral.created_by == world["alpha"]["sw"]
    assert "Referral received from health services: gp." in page
    # The answers are gone from the session: the check page sends back to the form.
    assert sw.get(check_url)["Location"] == url


def test_missing_answers_are_shown_in_the_error_summary(world, sw):
    child = world["alpha"]["child"]
    page = text(sw.post(reverse("referrals:referral-create", args=[child.pk]), {}))
    assert "<title>Error: Log a referral" in page
    assert "There is a problem" in page
    for message in (
        "Enter the date the referral was received",
        "Choose where the referral came from",
        "Enter what the referral asks for",
        "Choose the primary need, N0 to N9",
    ):
        assert message in page
    assert not Referral.objects.exists()


def test_a_refusal_from_the_service_comes_back_on_the_form(world, sw):
    child = world["alpha"]["child"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        **CREATE,
        "received_on_0": str(tomorrow.day),
        "received_on_1": str(tomorrow.month),
        "received_on_2": str(tomorrow.year),
    }
    sw.post(reverse("referrals:referral-create", args=[child.pk]), data)
    response = sw.post(reverse("referrals:referral-create-check", args=[child.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "The date received cannot be in the future." in page
    assert "There is a problem" in page
    assert 'value="Dr Patel, Riverside Surgery"' in page
    assert not Referral.objects.exists()


def test_another_councils_child_is_exactly_as_missing(world, sw):
    other = world["bravo"]["child"]
    for name in ("referrals:referral-create", "referrals:referral-create-check"):
        foreign = sw.get(reverse(name, args=[other.pk]))
        missing = sw.get(reverse(name, args=[999_999]))
        assert foreign.status_code == missing.status_code == 404
        assert comparable(foreign, other.pk) == comparable(missing, 999_999)
        assert MARKER_B not in text(foreign)
    assert sw.post(reverse("referrals:referral-create", args=[other.pk]), CREATE).status_code == 404
    assert not Referral.objects.exists()


# ---------------------------------------------------------------------------------------------
# The referral page


def test_the_referral_page_shows_summary_status_history_and_writes_the_access_log(world, sw):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    page = text(sw.get(referral_url(referral)))
    assert "Referral received 6 January 2025" in page
    assert alpha["child"].full_name in page
    assert "Head teacher, Meole Brace School" in page
    assert "Short breaks so the family can rest." in page
    assert '<strong class="govuk-tag govuk-tag--blue">Received</strong>' in page
    assert "No documents are attached yet." in page
    assert 'enctype="multipart/form-data"' in page
    # Only the step the state allows is offered.
    assert 'value="screening"' in page
    assert 'value="accepted_for_assessment"' not in page
    assert AccessLogEntry.objects.filter(
        action="view", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_the_council_list_of_referrals_filters_by_status(world, sw):
    alpha = world["alpha"]
    received = make_referral(alpha["sw"], alpha["child"], request="First MARKERONE")
    screened_referral(alpha["sw"], alpha["child"], request="Second")
    make_referral(world["bravo"]["sw"], world["bravo"]["child"])
    page = text(sw.get(reverse("referrals:referral-list")))
    assert "Referrals, newest first" in page
    assert page.count(f'href="{reverse("referrals:child", args=[alpha["child"].pk])}"') == 2
    assert MARKER_B not in page
    page = text(sw.get(reverse("referrals:referral-list"), {"status": "received"}))
    assert "Referrals with status received, newest first" in page
    assert page.count("View<span") == 1
    assert referral_url(received) in page
    assert "Accepted for assessment</strong>" not in page


def test_the_council_list_of_referrals_pages_newest_first_keeping_the_status(world, sw):
    alpha = world["alpha"]
    made = [
        make_referral(alpha["sw"], alpha["child"], received_on=date(2024, 1, 1) + timedelta(n))
        for n in range(52)
    ]
    newest_first = [referral_url(referral) for referral in reversed(made)]
    first = text(sw.get(reverse("referrals:referral-list"), {"status": "received"}))
    assert re.findall(r'href="(/referrals/\d+/)"', first) == newest_first[:50]
    assert 'href="?status=received&amp;page=2#referrals" rel="next"' in first
    second = text(sw.get(reverse("referrals:referral-list"), {"status": "received", "page": 2}))
    assert re.findall(r'href="(/referrals/\d+/)"', second) == newest_first[50:]
    assert 'href="?status=received&amp;page=1#referrals" rel="prev"' in second
    assert "Page 2, 50 a page" in second
    past = text(sw.get(reverse("referrals:referral-list"), {"page": 3}))
    assert "There are no more referrals." in past
    logged = AccessLogEntry.objects.filter(object_type="referrals.referral", action="list")
    assert "page=2" in logged.order_by("id")[1].path


@pytest.mark.parametrize("count", [1, 6])
def test_the_referral_list_query_count_is_pinned(world, sw, count, django_assert_num_queries):
    alpha = world["alpha"]
    for index in range(count):
        child = make_child(alpha["sw"], last_name=f"Listed{index}")
        make_referral(alpha["sw"], child)
    # Session and person, roles and council, referrals with their children, permissions and
    # councils for the header, the session's last-seen time (with their savepoints).
    with django_assert_num_queries(11):  # 10, and the access log's row
        response = sw.get(reverse("referrals:referral-list"))
    assert text(response).count("View<span") == count


@pytest.mark.parametrize("count", [1, 5])
def test_the_referral_page_query_count_is_pinned(world, sw, count, django_assert_num_queries):
    alpha = world["alpha"]
    referral = screened_referral(alpha["sw"], alpha["child"])
    for index in range(count):
        document_services.referral_document_add(
            actor=alpha["sw"], referral=referral, upload=upload(f"f{index}.pdf", PDF_BYTES)
        )
    # Session and person, roles and council, the referral and child, the access log, events
    # with their actors, documents with their uploaders, permissions and councils for the
    # header, the session's last-seen time (with their savepoints).
    with django_assert_num_queries(13):
        response = sw.get(referral_url(referral))
    page = text(response)
    assert page.count('href="/referrals/documents/') == count
    assert page.count("Screened by the team.") == 1


# ---------------------------------------------------------------------------------------------
# Transitions


def test_received_moves_to_screening_with_a_dated_history(world, sw):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    on = date(2025, 1, 7)
    response = sw.post(
        transition_url(referral), transition_data("screening", "Checking eligibility.", on)
    )
    assert response.status_code == 302 and response["Location"] == referral_url(referral)
    referral.refresh_from_db()
    assert referral.status == "screening" and referral.status_date == on
    page = text(sw.get(referral_url(referral)))
    assert "Referral moved to screening." in page
    assert "7 January 2025" in page and "Checking eligibility." in page
    for status in OUTCOMES:
        assert f'value="{status}"' in page


@pytest.mark.parametrize("status", OUTCOMES)
def test_each_outcome_from_screening(world, sw, status):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    sw.post(transition_url(referral), transition_data("screening"))
    response = sw.post(transition_url(referral), transition_data(status, f"Decided: {status}."))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == status
    event = ReferralEvent.objects.filter(referral=referral).last()
    assert (event.from_status, event.to_status) == ("screening", status)
    assert event.actor == alpha["sw"]
    page = text(sw.get(referral_url(referral)))
    assert f"Decided: {status}." in page
    assert ReferralStatus(status).label.replace("'", "&#x27;") in page
    # An outcome is final: no more steps are offered.
    assert "Change the status" not in page
    # An accepted referral leads on to its assessment.
    start = reverse("referrals:assessment-create", args=[alpha["child"].pk])
    assert (f'href="{start}?referral={referral.pk}"' in page) is (
        status == "accepted_for_assessment"
    )
    alpha["child"].refresh_from_db()
    expected = ChildTier.UNIVERSAL if status == "signposted_universal" else ChildTier.NONE
    assert alpha["child"].tier == expected


def test_an_outcome_needs_its_reason(world, sw):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    sw.post(transition_url(referral), transition_data("screening"))
    response = sw.post(transition_url(referral), transition_data("accepted_for_assessment", ""))
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: Referral received" in page
    assert "There is a problem" in page
    assert "Enter the reason." in page
    assert 'href="#id_accepted_for_assessment-reason"' in page
    referral.refresh_from_db()
    assert referral.status == "screening"


def test_a_step_from_the_wrong_status_is_refused_with_a_message(world, sw):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    response = sw.post(
        transition_url(referral), transition_data("accepted_for_assessment", "Too soon.")
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Only a referral in screening can be accepted for assessment." in page
    referral.refresh_from_db()
    assert referral.status == "received"
    assert ReferralEvent.objects.filter(referral=referral).count() == 1

    done = screened_referral(alpha["sw"], alpha["child"])
    page = text(sw.post(transition_url(done), transition_data("screening")))
    assert "Only a referral just received can be moved to screening." in page


def test_a_date_before_the_last_change_and_a_bad_status_are_refused(world, sw):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    page = text(
        sw.post(transition_url(referral), transition_data("screening", "", date(2024, 1, 1)))
    )
    assert "The date cannot be before the referral" in page
    page = text(sw.post(transition_url(referral), {"status": "lost"}))
    assert "Choose a status to move the referral to." in page
    page = text(sw.post(transition_url(referral), {"status": "screening"}))
    assert "Enter the date of the change" in page
    referral.refresh_from_db()
    assert referral.status == "received"


def test_another_councils_referral_is_exactly_as_missing(world, sw):
    bravo = world["bravo"]
    referral = make_referral(bravo["sw"], bravo["child"])
    foreign = sw.get(referral_url(referral))
    missing = sw.get(reverse("referrals:referral", args=[999_999]))
    assert foreign.status_code == missing.status_code == 404
    assert comparable(foreign, referral.pk) == comparable(missing, 999_999)
    assert MARKER_B not in text(foreign)
    response = sw.post(transition_url(referral), transition_data("screening"))
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "received"


# ---------------------------------------------------------------------------------------------
# Who may do what


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_without_childrens_records_are_refused_everything(world, client_for, role):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    client = client_for(alpha["people"][role])
    for url in (
        reverse("referrals:referral-list"),
        referral_url(referral),
        reverse("referrals:referral-create", args=[alpha["child"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert alpha["child"].full_name not in text(response)
    assert client.post(transition_url(referral), transition_data("screening")).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "received"


def test_an_auditor_reads_but_changes_nothing(world, client_for):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    auditor = client_for(alpha["people"]["auditor"])
    page = text(auditor.get(referral_url(referral)))
    assert "Referral received 6 January 2025" in page
    accepted = text(auditor.get(referral_url(screened_referral(alpha["sw"], alpha["child"]))))
    assert "Accepted for assessment</strong>" in accepted
    assert "Start the assessment" not in accepted
    assert "Change the status" not in page
    assert "Attach a document" not in page
    assert auditor.get(reverse("referrals:referral-list")).status_code == 200
    create = reverse("referrals:referral-create", args=[alpha["child"].pk])
    assert auditor.get(create).status_code == 403
    assert auditor.post(create, CREATE).status_code == 403
    assert auditor.post(transition_url(referral), transition_data("screening")).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "received"


def test_a_team_manager_moves_referrals_on(world, client_for):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    client = client_for(alpha["tm"])
    assert client.post(transition_url(referral), transition_data("screening")).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "screening"


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    response = client.get(referral_url(referral))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))
