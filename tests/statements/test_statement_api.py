"""The statement API: per role, across councils, bad input, frozen versions, publishing."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from shortbreaks.councils.models import Role
from statements import services
from statements.models import StatementEventKind, StatementStatus, StatementVersion
from tests.conftest import MARKER_B
from tests.statements.statement_builders import complete_draft, offer_every_category, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def commissioner(people):
    return people[Role.COMMISSIONER]


@pytest.fixture
def offer(commissioner):
    return offer_every_category(commissioner, "Alpha")


def api(name, *args):
    return reverse(name, args=args)


def patch(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


def test_list_and_create(client_for, commissioner):
    client = client_for(commissioner)
    response = client.post(api("api-statements"))
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["number"] == 1
    listed = client.get(api("api-statements")).json()
    assert [v["number"] for v in listed] == [1]
    # Only one open version at a time.
    assert client.post(api("api-statements")).status_code == 409


def test_patch_written_fields_then_409_once_frozen(client_for, commissioner, offer):
    client = client_for(commissioner)
    version = complete_draft(commissioner)
    response = patch(client, api("api-statement", version.pk), {"meeting_needs": "Rest and work"})
    assert response.status_code == 200
    assert response.json()["meeting_needs"] == "Rest and work"
    response = patch(client, api("api-statement", version.pk), {"lead_officer_contact": "x" * 301})
    assert response.status_code == 400
    assert "lead_officer_contact" in response.json()
    response = patch(
        client, api("api-statement", version.pk), {"category_explanations": {"swimming": "no"}}
    )
    assert response.status_code == 400
    services.statement_publish(actor=commissioner, version=version)
    response = patch(client, api("api-statement", version.pk), {"meeting_needs": "changed"})
    assert response.status_code == 409
    version.refresh_from_db()
    assert version.meeting_needs == "Rest and work"


def test_check_gives_every_check(client_for, commissioner, offer):
    version = complete_draft(commissioner, how_to_apply="")
    data = client_for(commissioner).get(api("api-statement-check", version.pk)).json()
    assert data["ok"] is False
    assert len(data["checks"]) == 10
    failing = [c for c in data["checks"] if not c["ok"]]
    assert [c["key"] for c in failing] == ["how_to_apply"]
    assert set(failing[0]) == {"key", "label", "ok", "reason"}


def test_publish_refused_with_reasons_then_accepted(client_for, commissioner, offer):
    client = client_for(commissioner)
    version = complete_draft(commissioner, views_summary="", how_to_apply="")
    response = client.post(api("api-statement-publish", version.pk))
    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert len(body["reasons"]) == 2
    version.refresh_from_db()
    assert version.status == StatementStatus.DRAFT
    patch(client, api("api-statement", version.pk), {"views_summary": "v", "how_to_apply": "a"})
    response = client.post(api("api-statement-publish", version.pk))
    assert response.status_code == 202
    assert response.json()["status"] == "published"
    assert response.json()["pdf_job"]["status"] in ("queued", "done")
    assert client.post(api("api-statement-publish", version.pk)).status_code == 409


def test_feedback_for_staff_newest_first(client_for, commissioner, offer):
    version = published(commissioner)
    services.feedback_submit(version=version, views="first")
    services.feedback_submit(version=version, views="second")
    data = client_for(commissioner).get(api("api-statement-feedback", version.pk)).json()
    assert [f["views"] for f in data["results"]] == ["second", "first"]


@pytest.mark.parametrize("name", ["api-statement", "api-statement-check", "api-statement-feedback"])
def test_another_councils_version_is_a_404(two_councils, client_for, commissioner, name):
    theirs = services.statement_draft_create(
        actor=two_councils["bravo"]["people"][Role.COMMISSIONER]
    )
    response = client_for(commissioner).get(api(name, theirs.pk))
    assert response.status_code == 404
    assert MARKER_B not in response.content.decode()
    assert client_for(commissioner).post(api("api-statement-publish", theirs.pk)).status_code == 404
    response = patch(client_for(commissioner), api("api-statement", theirs.pk), {"title": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("commissioner", 200, 201),
        ("contract_manager", 200, 403),
        ("team_manager", 200, 403),
        ("auditor", 200, 403),
        ("council_admin", 200, 403),
        ("social_worker", 403, 403),
        ("finance_officer", 403, 403),
    ],
)
def test_roles(people, client_for, role, read, write):
    client = client_for(people[role])
    assert client.get(api("api-statements")).status_code == read
    assert client.post(api("api-statements")).status_code == write


def test_only_commissioners_publish(people, client_for, offer):
    version = complete_draft(people[Role.COMMISSIONER])
    response = client_for(people[Role.AUDITOR]).post(api("api-statement-publish", version.pk))
    assert response.status_code == 403
    assert StatementVersion.objects.get().status == StatementStatus.DRAFT


def test_anonymous_is_refused():
    assert Client().get(api("api-statements")).status_code in (401, 403)


def test_list_query_count(client_for, commissioner, offer, django_assert_max_num_queries):
    published(commissioner)
    for _ in range(3):
        draft = services.statement_draft_create(actor=commissioner)
        services.statement_update(actor=commissioner, version=draft, views_summary="v")
        services.statement_publish(actor=commissioner, version=draft)
    client = client_for(commissioner)
    with django_assert_max_num_queries(10):
        assert len(client.get(api("api-statements")).json()) == 4


def test_publishing_during_an_open_consultation_needs_confirming(client_for, commissioner, offer):
    from datetime import timedelta

    from django.utils import timezone

    version = complete_draft(commissioner)
    today = timezone.localdate()
    services.statement_consultation_start(
        actor=commissioner, version=version, closes_on=today + timedelta(days=10), today=today
    )
    client = client_for(commissioner)
    url = api("api-statement-publish", version.pk)
    refused = client.post(url)
    assert refused.status_code == 409
    assert refused.json()["confirmation_needed"] is True
    assert "still give their views" in refused.json()["detail"]
    unconfirmed = client.post(
        url, data=json.dumps({"confirm_open_consultation": False}), content_type="application/json"
    )
    assert unconfirmed.status_code == 409
    bad = client.post(
        url,
        data=json.dumps({"confirm_open_consultation": "perhaps"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    version.refresh_from_db()
    assert version.status == StatementStatus.CONSULTATION
    confirmed = client.post(
        url, data=json.dumps({"confirm_open_consultation": True}), content_type="application/json"
    )
    assert confirmed.status_code == 202
    assert confirmed.json()["status"] == "published"
    [event] = version.events.filter(kind=StatementEventKind.PUBLISHED_EARLY)
    assert "before its consultation closed" in event.summary


def test_a_closed_consultation_publishes_without_confirming(client_for, commissioner, offer):
    from datetime import timedelta

    from django.utils import timezone

    version = complete_draft(commissioner)
    today = timezone.localdate()
    services.statement_consultation_start(
        actor=commissioner, version=version, closes_on=today + timedelta(days=10), today=today
    )
    StatementVersion.objects.filter(pk=version.pk).update(
        consultation_closes_on=today - timedelta(days=1)
    )
    response = client_for(commissioner).post(api("api-statement-publish", version.pk))
    assert response.status_code == 202
