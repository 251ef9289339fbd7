"""The brokerage pages: the list and a request's page for council staff and provider staff, the
journey through the forms (raise, check, send, answer, award), and the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from brokerage.models import BrokerageRequest, RequestStatus
from brokerage.services.requests import (
    brokerage_request_raise,
    brokerage_request_send,
    brokerage_request_withdraw,
)
from shortbreaks import rls
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.brokerage.test_api import _more_requests, provider_user
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.dates import date_boxes
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

TODAY = FROZEN_TODAY
DEADLINE = TODAY + timedelta(days=7)


def _build_worlds(two_councils) -> dict:
    return {
        slug: brokerage_world(two_councils[slug]["people"], marker)
        for slug, marker in (("alpha", "A"), ("bravo", MARKER_B))
    }


# Every test reads the same records: built once for the module (tests/per_module.py).
_worlds_built, worlds = world_per_module(_build_worlds, name="worlds")


@pytest.fixture
def alpha(worlds):
    return worlds["alpha"]


def _date(prefix: str, day) -> dict:
    return date_boxes(prefix, day)


def test_the_journey_through_the_pages(alpha, client_for):
    sw = client_for(alpha["sw"])
    raise_url = reverse("brokerage:raise", args=[alpha["line"].pk])
    page = sw.get(raise_url)
    assert page.status_code == 200
    assert "Isabella" not in page.content.decode()
    drafted = sw.post(raise_url, {"lot": alpha["lot"].pk})
    assert drafted.status_code == 302
    request = BrokerageRequest.objects.get()
    detail = sw.get(drafted["Location"]).content.decode()
    assert "Check the text before you send it" in detail
    assert "Isabella" not in detail and "9AB" not in detail
    edited = sw.post(
        reverse("brokerage:edit", args=[request.pk]),
        {
            "age_band": "12-14",
            "needs_summary": "Isabella Featherstonehaugh needs a calm buddy.",
            "ratio": "1:1",
            "area": "HR4",
            **date_boxes("start_date", "6/7/2026"),
            "outcomes": "Time out at weekends.",
        },
    )
    assert edited.status_code == 302
    request.refresh_from_db()
    assert request.needs_summary == "[name removed] [name removed] needs a calm buddy."
    send_url = reverse("brokerage:send", args=[request.pk])
    assert sw.get(send_url).status_code == 200
    sent = sw.post(
        send_url,
        {**_date("deadline", DEADLINE), "providers": [p.pk for p in alpha["providers"]]},
    )
    assert sent.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT
    answer_url = reverse("brokerage:answer", args=[request.pk])
    for provider, price in zip(alpha["providers"], ["25.00", "30.00", "20.00"], strict=True):
        recorded = sw.post(
            answer_url,
            {
                "provider": provider.pk,
                "can_meet": "yes",
                "price_per_unit": price,
                **_date("start_date", TODAY + timedelta(days=20)),
            },
        )
        assert recorded.status_code == 302, recorded.content.decode()
    commissioner = client_for(alpha["commissioner"])
    page = commissioner.get(reverse("brokerage:detail", args=[request.pk])).content.decode()
    assert "Answers, ranked" in page
    assert "Isabella" not in page
    assert "rating from the Care Quality Commission or Ofsted" in page
    best = request.responses.get(provider=alpha["providers"][2])
    award_url = reverse("brokerage:award", args=[request.pk, best.pk])
    assert award_url in page
    assert commissioner.get(award_url).status_code == 200
    assert commissioner.post(award_url).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.AWARDED
    again = commissioner.post(award_url)
    assert again.status_code == 200
    assert "already awarded" in again.content.decode()


def test_form_errors_show_in_the_summary(alpha, client_for):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    sw = client_for(alpha["sw"])
    page = sw.post(
        reverse("brokerage:answer", args=[request.pk]),
        {"provider": alpha["providers"][0].pk, "can_meet": "yes", "price_per_unit": "-4"},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "above 0" in body
    assert not request.responses.exists()


def test_another_councils_request_is_404(worlds, client_for):
    theirs = sent_request(worlds["bravo"], today=TODAY, deadline=DEADLINE)
    client = client_for(worlds["alpha"]["commissioner"])
    for name in ("detail", "send", "answer", "withdraw", "spot-purchase"):
        assert client.get(reverse(f"brokerage:{name}", args=[theirs.pk])).status_code == 404
    assert MARKER_B not in client.get(reverse("brokerage:list")).content.decode()
    assert (
        client_for(worlds["alpha"]["sw"])
        .get(reverse("brokerage:raise", args=[worlds["bravo"]["line"].pk]))
        .status_code
        == 404
    )


def test_the_wrong_role_is_403(alpha, two_councils, client_for):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    finance = client_for(two_councils["alpha"]["people"][Role.FINANCE_OFFICER])
    assert finance.get(reverse("brokerage:list")).status_code == 403
    sw = client_for(alpha["sw"])
    chosen = answer(alpha, request, alpha["providers"][0], "26.00", today=TODAY)
    assert sw.get(reverse("brokerage:award", args=[request.pk, chosen.pk])).status_code == 403
    assert sw.get(reverse("brokerage:weights", args=[alpha["dps"].pk])).status_code == 403
    commissioner = client_for(alpha["commissioner"])
    assert commissioner.get(reverse("brokerage:raise", args=[alpha["line"].pk])).status_code == 403


def test_provider_staff_see_only_their_requests_and_answer(alpha, client_for):
    mine = brokerage_request_raise(actor=alpha["sw"], line=alpha["line"], today=TODAY)
    brokerage_request_send(
        actor=alpha["sw"],
        request=mine,
        deadline=DEADLINE,
        providers=[alpha["providers"][0]],
        today=TODAY,
    )
    brokerage_request_withdraw(actor=alpha["sw"], request=mine, reason="Re-sent")
    other = brokerage_request_raise(actor=alpha["sw"], line=alpha["line"], today=TODAY)
    brokerage_request_send(
        actor=alpha["sw"],
        request=other,
        deadline=DEADLINE,
        providers=[alpha["providers"][1]],
        today=TODAY,
    )
    client = client_for(provider_user(alpha, alpha["providers"][1]))
    listed = client.get(reverse("brokerage:list")).content.decode()
    assert f"Request {other.pk}" in listed and f"Request {mine.pk}<" not in listed
    first = client_for(provider_user(alpha, alpha["providers"][0]))
    assert first.get(reverse("brokerage:detail", args=[other.pk])).status_code == 404
    assert first.get(reverse("brokerage:answer", args=[other.pk])).status_code == 404
    page = client.get(reverse("brokerage:detail", args=[other.pk])).content.decode()
    assert "Answer the request" in page
    assert ">History</h2>" not in page and ">Sent to</h2>" not in page
    assert "Isabella" not in page
    answered = client.post(
        reverse("brokerage:answer", args=[other.pk]),
        {"can_meet": "no", "comments": "No staff in that area."},
    )
    assert answered.status_code == 302
    response = other.responses.get()
    assert response.provider == alpha["providers"][1] and response.on_behalf is False
    assert client.get(reverse("brokerage:send", args=[other.pk])).status_code == 403


def test_pages_write_the_access_log(alpha, client_for):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    client = client_for(alpha["commissioner"])
    client.get(reverse("brokerage:list"))
    client.get(reverse("brokerage:detail", args=[request.pk]))
    with rls.all_councils():
        actions = set(
            AccessLogEntry.objects.filter(object_type="brokerage.brokeragerequest").values_list(
                "action", flat=True
            )
        )
    assert {"list", "view"} <= actions


def test_the_list_page_costs_the_same_queries_for_few_and_many(
    alpha, client_for, django_assert_num_queries
):
    sent_request(alpha, today=TODAY, deadline=DEADLINE)
    client = client_for(alpha["commissioner"])
    url = reverse("brokerage:list")
    client.get(url)
    with django_assert_num_queries(9) as few:
        client.get(url)
    _more_requests(alpha, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Request ") >= 6


def test_weights_page(alpha, client_for):
    client = client_for(alpha["commissioner"])
    url = reverse("brokerage:weights", args=[alpha["dps"].pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"price_weight": 70, "quality_weight": 40})
    assert "add up to 100" in bad.content.decode()
    assert client.post(url, {"price_weight": 70, "quality_weight": 30}).status_code == 302


def test_the_home_page_counts_what_waits(alpha, client_for):
    brokerage_request_raise(actor=alpha["sw"], line=alpha["line"], today=TODAY)
    home = client_for(alpha["sw"]).get(reverse("home")).content.decode()
    assert "1 draft request" in home
    assert "brokerage requests past" not in home
