"""The brokerage API: list, create, detail, send, answers, award, withdraw, spot purchase; each
refusal (another council's id 404, the wrong role 403, bad input 400, a state 409); provider
staff see and answer only what was sent to their provider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from brokerage.models import BrokerageInvitation, BrokerageRequest, RequestStatus
from brokerage.services.requests import (
    brokerage_request_raise,
    brokerage_request_send,
    brokerage_request_withdraw,
)
from providers import services as provider_services
from shortbreaks import rls
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.brokerage.builders import answer, brokerage_world, sent_request
from tests.clock import FROZEN_TODAY, frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.factories import UserFactory
from tests.per_module import world_per_module

pytestmark = pytest.mark.usefixtures("frozen_today")

TODAY = FROZEN_TODAY
DEADLINE = TODAY + timedelta(days=7)


def _url(name: str, request=None) -> str:
    return reverse(name, kwargs={"request_id": request.pk} if request is not None else {})


def _post(client, url, data=None, method="post"):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def _build_worlds(two_councils) -> dict:
    return {
        slug: brokerage_world(two_councils[slug]["people"], marker)
        for slug, marker in (("alpha", "A"), (("bravo"), MARKER_B))
    }


# Every test reads the same records: built once for the module (tests/per_module.py).
_worlds_built, worlds = world_per_module(_build_worlds, name="worlds")


@pytest.fixture
def alpha(worlds):
    return worlds["alpha"]


def provider_user(world, provider):
    """A person who works for `provider`, acting for it in its council."""
    user = UserFactory()
    provider_services.provider_account_open(user=user, provider=provider)
    user.refresh_from_db()
    return user


def test_a_social_worker_raises_and_sends(alpha, client_for):
    client = client_for(alpha["sw"])
    created = _post(
        client,
        _url("api-brokerage-requests"),
        {"line": alpha["line"].pk, "needs_summary": "Isabella needs a buddy at weekends."},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft"
    assert "Isabella" not in body["needs_summary"]
    assert body["area"] == "HR4"
    assert body["lot"] == alpha["lot"].pk
    request = BrokerageRequest.objects.get(pk=body["id"])
    sent = _post(client, _url("api-brokerage-request-send", request), {"deadline": str(DEADLINE)})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "sent"
    assert len(sent.json()["invitations"]) == 3


def test_the_whole_journey_to_an_award(alpha, client_for):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    staff = client_for(alpha["commissioner"])
    for provider, price in zip(alpha["providers"], ["25.00", "30.00", "20.00"], strict=True):
        answered = _post(
            staff,
            _url("api-brokerage-request-responses", request),
            {
                "provider": provider.pk,
                "can_meet": True,
                "price_per_unit": price,
                "start_date": "2026-07-06",
            },
        )
        assert answered.status_code == 201, answered.json()
        assert answered.json()["on_behalf"] is True
    ranked = staff.get(_url("api-brokerage-request-responses", request)).json()
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert ranked[0]["provider"] == alpha["providers"][2].pk
    awarded = _post(
        staff, _url("api-brokerage-request-award", request), {"response": ranked[0]["id"]}
    )
    assert awarded.status_code == 200, awarded.json()
    assert awarded.json()["status"] == "awarded"
    assert awarded.json()["contract_reference"].endswith(f"-BR{request.pk}")
    again = _post(
        staff, _url("api-brokerage-request-award", request), {"response": ranked[1]["id"]}
    )
    assert again.status_code == 409
    assert "already awarded" in again.json()["detail"]
    outcomes = {
        r["provider"]: r["outcome"]
        for r in staff.get(_url("api-brokerage-request-responses", request)).json()
    }
    assert sorted(outcomes.values()) == ["awarded", "not_chosen", "not_chosen"]


def test_another_councils_request_is_404_everywhere(worlds, client_for):
    theirs = sent_request(worlds["bravo"], today=TODAY, deadline=DEADLINE)
    client = client_for(worlds["alpha"]["commissioner"])
    for name in ("api-brokerage-request", "api-brokerage-request-responses"):
        assert client.get(_url(name, theirs)).status_code == 404
    for name, data in (
        ("api-brokerage-request-send", {"deadline": str(DEADLINE + timedelta(days=3))}),
        ("api-brokerage-request-award", {"response": 1}),
        ("api-brokerage-request-withdraw", {"reason": "No"}),
    ):
        assert _post(client, _url(name, theirs), data).status_code == 404
    listed = client.get(_url("api-brokerage-requests")).json()["results"]
    assert MARKER_B not in str(listed)


def test_a_line_of_another_council_is_refused_as_missing(worlds, client_for):
    client = client_for(worlds["alpha"]["sw"])
    response = _post(client, _url("api-brokerage-requests"), {"line": worlds["bravo"]["line"].pk})
    assert response.status_code == 400
    assert "line" in response.json()


@pytest.mark.parametrize(
    "role,status",
    [
        (Role.COMMISSIONER, 403),
        (Role.FINANCE_OFFICER, 403),
        (Role.COUNCIL_ADMIN, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_the_wrong_role_cannot_raise(alpha, two_councils, client_for, role, status):
    client = client_for(two_councils["alpha"]["people"][role])
    response = _post(client, _url("api-brokerage-requests"), {"line": alpha["line"].pk})
    assert response.status_code == status


def test_finance_officers_cannot_read_and_social_workers_cannot_award(
    alpha, two_councils, client_for
):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    finance = client_for(two_councils["alpha"]["people"][Role.FINANCE_OFFICER])
    assert finance.get(_url("api-brokerage-requests")).status_code == 403
    chosen = answer(alpha, request, alpha["providers"][0], "26.00", today=TODAY)
    sw = client_for(alpha["sw"])
    assert (
        _post(sw, _url("api-brokerage-request-award", request), {"response": chosen.pk}).status_code
        == 403
    )
    assert (
        _post(
            sw,
            _url("api-brokerage-request-spot-purchase", request),
            {"provider": alpha["outsider"].pk, "unit_rate": "30", "reason": "x"},
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "data,field",
    [
        (
            {"provider": "P", "can_meet": True, "price_per_unit": "-3", "start_date": "2026-07-06"},
            "price_per_unit",
        ),
        (
            {
                "provider": "P",
                "can_meet": True,
                "price_per_unit": "abc",
                "start_date": "2026-07-06",
            },
            "price_per_unit",
        ),
        (
            {"provider": "P", "can_meet": True, "price_per_unit": "0", "start_date": "2026-07-06"},
            "price_per_unit",
        ),
        ({"provider": "P", "can_meet": True, "start_date": "2026-07-06"}, "price_per_unit"),
        ({"provider": "P", "can_meet": True, "price_per_unit": "20"}, "start_date"),
        ({"provider": "P"}, "can_meet"),
        ({"can_meet": False}, "provider"),
    ],
)
def test_bad_answers_are_400(alpha, client_for, data, field):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    data = {k: (alpha["providers"][0].pk if v == "P" else v) for k, v in data.items()}
    response = _post(
        client_for(alpha["sw"]), _url("api-brokerage-request-responses", request), data
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not request.responses.exists()


def test_an_answer_after_the_deadline_is_400(alpha, client_for):
    import time_machine

    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    with time_machine.travel(DEADLINE + timedelta(days=1, hours=12)):
        client = client_for(alpha["sw"])
        response = _post(
            client,
            _url("api-brokerage-request-responses", request),
            {"provider": alpha["providers"][0].pk, "can_meet": False},
        )
    assert response.status_code == 400
    assert "deadline" in response.json()


def test_a_bad_deadline_is_400_and_a_withdrawn_request_is_409(alpha, client_for):
    request = brokerage_request_raise(actor=alpha["sw"], line=alpha["line"], today=TODAY)
    client = client_for(alpha["sw"])
    url = _url("api-brokerage-request-send", request)
    assert _post(client, url, {"deadline": str(TODAY)}).status_code == 400
    assert _post(client, url, {"deadline": "not a date"}).status_code == 400
    assert (
        _post(
            client, _url("api-brokerage-request-withdraw", request), {"reason": "Moved."}
        ).status_code
        == 200
    )
    assert _post(client, url, {"deadline": str(DEADLINE)}).status_code == 409


def test_provider_staff_see_and_answer_only_their_own(alpha, worlds, client_for):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    # Another request, sent to the second member only.
    brokerage_request_withdraw(actor=alpha["sw"], request=request, reason="Re-sent")
    other = brokerage_request_raise(actor=alpha["sw"], line=alpha["line"], today=TODAY)
    other = brokerage_request_send(
        actor=alpha["sw"],
        request=other,
        deadline=DEADLINE,
        providers=[alpha["providers"][1]],
        today=TODAY,
    )
    first = provider_user(alpha, alpha["providers"][0])
    client = client_for(first)
    listed = client.get(_url("api-brokerage-requests"))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [request.pk]
    seen = listed.json()["results"][0]
    assert seen["line"] is None and seen["package"] is None and seen["removed"] == []
    assert [i["provider"] for i in seen["invitations"]] == [alpha["providers"][0].pk]
    assert client.get(_url("api-brokerage-request", other)).status_code == 404
    assert (
        _post(
            client, _url("api-brokerage-request-responses", other), {"can_meet": False}
        ).status_code
        == 404
    )
    # Their own, still open one: the second provider answers it.
    second = client_for(provider_user(alpha, alpha["providers"][1]))
    answered = _post(
        second,
        _url("api-brokerage-request-responses", other),
        {
            "can_meet": True,
            "price_per_unit": "28.00",
            "start_date": "2026-07-06",
            "comments": "Two staff ready.",
        },
    )
    assert answered.status_code == 201, answered.json()
    assert answered.json()["on_behalf"] is False
    own = second.get(_url("api-brokerage-request-responses", other)).json()
    assert [r["provider"] for r in own] == [alpha["providers"][1].pk]
    assert own[0]["rank"] is None
    # Provider staff change nothing else.
    for name, data in (
        ("api-brokerage-request-award", {"response": own[0]["id"]}),
        ("api-brokerage-request-withdraw", {"reason": "No"}),
        ("api-brokerage-request-send", {"deadline": str(DEADLINE + timedelta(days=2))}),
    ):
        assert _post(second, _url(name, other), data).status_code == 403
    assert (
        _post(second, _url("api-brokerage-requests"), {"line": alpha["line"].pk}).status_code == 403
    )
    # Nor do they get another council's requests.
    theirs = sent_request(worlds["bravo"], today=TODAY, deadline=DEADLINE)
    assert second.get(_url("api-brokerage-request", theirs)).status_code == 404


def test_reads_write_the_access_log(alpha, client_for):
    request = sent_request(alpha, today=TODAY, deadline=DEADLINE)
    client = client_for(alpha["sw"])
    client.get(_url("api-brokerage-requests"))
    client.get(_url("api-brokerage-request", request))
    with rls.all_councils():
        rows = AccessLogEntry.objects.filter(object_type="brokerage.brokeragerequest")
        assert {row.action for row in rows} >= {"list", "view"}


def _more_requests(world, count):
    line = world["line"]
    for _ in range(count):
        extra = BrokerageRequest.objects.create(
            council=line.council,
            line=line,
            dps=world["dps"],
            lot=world["lot"],
            status=RequestStatus.WITHDRAWN,
            age_band="8-11",
            needs_summary="Needs",
            ratio="1:1",
            hours_per_week=5,
            area="HR4",
            start_date=TODAY,
            outcomes="Outcomes",
        )
        for provider in world["providers"]:
            BrokerageInvitation.objects.create(
                council=line.council, request=extra, provider=provider, sent_on=TODAY
            )


def test_the_list_costs_the_same_queries_for_few_and_many(
    alpha, client_for, django_assert_num_queries
):
    sent_request(alpha, today=TODAY, deadline=DEADLINE)
    client = client_for(alpha["sw"])
    url = _url("api-brokerage-requests")
    client.get(url)
    with django_assert_num_queries(8):
        few = client.get(url)
    _more_requests(alpha, 5)
    with django_assert_num_queries(8):
        many = client.get(url)
    assert len(few.json()["results"]) == 1
    assert len(many.json()["results"]) == 6
