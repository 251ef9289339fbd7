"""The access log: rows on view and on refusal, append-only, filtered by the right people."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from shortbreaks.accesslog.models import APPEND_ONLY_TRIGGER, AccessLogEntry, AppendOnlyError
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.councils.models import Role
from tests.conftest import MARKER_B


def test_viewing_a_record_writes_a_row(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    team = two_councils["alpha"]["team"]
    response = client_for(person).get(
        reverse("councils:team", args=[team.pk]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    row = AccessLogEntry.objects.get(action="view", object_type="councils.team")
    assert row.object_id == str(team.pk)
    assert row.user == person
    assert row.council == two_councils["alpha"]["council"]
    assert row.roles == "social_worker"
    assert row.outcome == "allowed"
    assert row.ip_address == "10.1.2.3"


def test_api_read_writes_a_row(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    team = two_councils["alpha"]["team"]
    assert client_for(person).get(reverse("api-team", args=[team.pk])).status_code == 200
    assert AccessLogEntry.objects.filter(
        user=person, action="view", object_id=str(team.pk)
    ).exists()


@pytest.mark.parametrize("url_name", ["councils:team", "api-team"])
def test_another_councils_id_is_logged_as_a_refusal(two_councils, client_for, url_name):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    theirs = two_councils["bravo"]["team"]
    response = client_for(person).get(reverse(url_name, args=[theirs.pk]))
    assert response.status_code == 404
    row = AccessLogEntry.objects.get(outcome="refused")
    assert row.action == "denied"
    assert row.object_type == "councils.team"
    assert row.object_id == str(theirs.pk)
    # Logged in the actor's own council, where their administrators will see it.
    assert row.council == two_councils["alpha"]["council"]
    assert row.user == person


@pytest.mark.parametrize("url_name", ["accesslog:list", "api-access-log"])
def test_a_role_refusal_is_logged(two_councils, client_for, url_name):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    assert client_for(person).get(reverse(url_name)).status_code == 403
    row = AccessLogEntry.objects.get(outcome="refused")
    assert row.user == person
    assert row.path == reverse(url_name)


def test_an_anonymous_api_refusal_is_logged(db, client):
    assert client.get(reverse("api-teams")).status_code == 401
    row = AccessLogEntry.objects.get(outcome="refused")
    assert row.user is None
    assert row.council is None


def test_rows_cannot_be_changed_or_deleted_through_the_application(two_councils):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    row = access_log_record(actor=person, action="view", obj=two_councils["alpha"]["team"])
    row.outcome = "refused"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=row.pk).update(outcome="refused")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.outcome == "allowed"


def test_the_append_only_trigger_is_installed(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = %s "
            "AND tgrelid = 'accesslog_accesslogentry'::regclass",
            [APPEND_ONLY_TRIGGER],
        )
        assert cursor.fetchall() == [("O",)]  # enabled, for every session
        # The raw trigger it replaced is gone: one declaration, one trigger.
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'accesslog_append_only'")
        assert cursor.fetchone() == (0,)


def test_the_admin_offers_no_change_or_delete(two_councils):
    from django.contrib.admin.sites import site

    model_admin = site._registry[AccessLogEntry]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)


def _fill_log(two_councils, count):
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    for _ in range(count):
        access_log_record(actor=person, action="view", obj=two_councils["alpha"]["team"])


@pytest.mark.parametrize("role", [Role.COUNCIL_ADMIN, Role.TEAM_MANAGER])
def test_managers_filter_the_log_in_the_browser(two_councils, client_for, role):
    manager = two_councils["alpha"]["people"][role]
    worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    _fill_log(two_councils, 3)
    client = client_for(manager)
    body = client.get(reverse("accesslog:list"), {"username": worker.username}).content.decode()
    cell = f'<td class="govuk-table__cell">{worker.username}'
    assert body.count(cell) == 3
    refused = client.get(reverse("accesslog:list"), {"outcome": "refused"}).content.decode()
    assert cell not in refused
    assert "No entries match." in refused


def test_bad_filter_input_is_a_clear_error_not_a_crash(two_councils, client_for):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    page = client.get(reverse("accesslog:list"), {"since": "not a date", "action": "explode"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    api = client.get(reverse("api-access-log"), {"since": "not a date"})
    assert api.status_code == 400
    assert "since" in api.json()


def test_the_api_filters_and_pages_without_counting(two_councils, client_for):
    manager = two_councils["alpha"]["people"][Role.TEAM_MANAGER]
    _fill_log(two_councils, 5)
    client = client_for(manager)
    data = client.get(reverse("api-access-log"), {"action": "view", "page_size": 2}).json()
    assert len(data["results"]) == 2
    assert "count" not in data
    assert data["next"]
    second = client.get(data["next"]).json()
    assert {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in data["results"]})
    assert all(r["council"] == "alpha" for r in data["results"])


def test_another_councils_manager_never_sees_these_rows(two_councils, client_for):
    _fill_log(two_councils, 2)
    other = two_councils["bravo"]["people"][Role.COUNCIL_ADMIN]
    data = client_for(other).get(reverse("api-access-log")).json()
    assert all(r["council"] == "bravo" for r in data["results"])
    assert not any(r["object_id"] == str(two_councils["alpha"]["team"].pk) for r in data["results"])
    page = client_for(other).get(reverse("accesslog:list")).content.decode()
    assert two_councils["alpha"]["people"][Role.SOCIAL_WORKER].username not in page
    assert MARKER_B in page  # their own council's name, in the header


@pytest.mark.parametrize("url_name", ["accesslog:list", "api-access-log"])
def test_query_count_does_not_grow_with_rows(
    two_councils, client_for, django_assert_num_queries, url_name
):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    _fill_log(two_councils, 10)
    client.get(reverse(url_name))  # warm the session
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _fill_log(two_councils, 120)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large) == len(small)
    with django_assert_num_queries(len(small)):
        client.get(reverse(url_name))
