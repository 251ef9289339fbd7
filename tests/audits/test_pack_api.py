"""The evidence pack API: 202 on request, status and progress, SHA-256 and download once ready,
400 with field messages, 404 across councils, 403 for other roles, and the 15-minute rule for a
download by token."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from audits.models import EvidencePack
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils import services as council_services
from shortbreaks.councils.models import Role
from shortbreaks.documents import jobs
from shortbreaks.documents.models import DocumentJob, JobStatus
from shortbreaks.documents.tasks import build_document
from tests.factories import PASSWORD

BODY = {
    "kind": "contract_compliance",
    "period_start": "2024-04-01",
    "period_end": "2025-03-31",
    "as_at": "2025-06-30",
}


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


def token_client(user, *, age=timedelta(0)) -> APIClient:
    instance, token = council_services.api_token_issue(user=user)
    AuthToken.objects.filter(pk=instance.pk).update(created=timezone.now() - age)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _request(client, **overrides):
    with mock.patch.object(jobs, "job_queue"):
        return client.post(reverse("api-evidence-packs"), {**BODY, **overrides}, format="json")


@pytest.mark.django_db
def test_post_answers_202_and_the_pack_reports_its_progress_then_checksum(two_councils, eager):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client = token_client(auditor)
    response = _request(client)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["download_url"] is None and body["sha256"] is None
    pack = EvidencePack.objects.get(pk=body["id"])
    url = reverse("api-evidence-pack", args=[pack.pk])
    DocumentJob.objects.filter(pk=pack.job_id).update(status=JobStatus.BUILDING, progress=30)
    assert client.get(url).json()["progress"] == 30
    DocumentJob.objects.filter(pk=pack.job_id).update(status=JobStatus.QUEUED, progress=0)
    assert build_document.delay(pack.job_id).get() == JobStatus.DONE
    ready = client.get(url).json()
    pack.job.refresh_from_db()
    assert ready["status"] == "done" and ready["sha256"] == pack.job.sha256
    assert ready["download_url"].endswith(reverse("api-evidence-pack-download", args=[pack.pk]))
    download = client.get(ready["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        user=auditor, action="download", object_type="audits.evidencepack", object_id=str(pack.pk)
    ).exists()
    listing = client.get(reverse("api-evidence-packs")).json()
    assert [row["id"] for row in listing["results"]] == [pack.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "everything"}, "kind"),
        ({"period_end": "2020-01-01"}, "period_end"),
        ({"as_at": "2999-01-01"}, "as_at"),
        ({"as_at": "not a date"}, "as_at"),
        ({"include_names": True}, "include_names"),
    ],
    ids=["kind", "end-before-start", "future", "not-a-date", "names-not-granted"],
)
def test_bad_input_is_400_with_field_messages_and_changes_nothing(two_councils, overrides, field):
    client = token_client(two_councils["alpha"]["people"][Role.AUDITOR])
    response = _request(client, **overrides)
    assert response.status_code == 400
    assert field in response.json()
    assert not EvidencePack.objects.exists()


@pytest.mark.django_db
def test_another_councils_pack_is_404_like_a_missing_one(two_councils, eager):
    response = _request(token_client(two_councils["alpha"]["people"][Role.AUDITOR]))
    pack_id = response.json()["id"]
    other = token_client(two_councils["bravo"]["people"][Role.AUDITOR])
    for name in ("api-evidence-pack", "api-evidence-pack-download"):
        theirs = other.get(reverse(name, args=[pack_id]))
        missing = other.get(reverse(name, args=[pack_id + 1000]))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json() == {
            k: v.replace(str(pack_id + 1000), str(pack_id)) for k, v in missing.json().items()
        }
    listing = other.get(reverse("api-evidence-packs")).json()
    assert listing["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.AUDITOR, Role.COUNCIL_ADMIN}))
def test_other_roles_get_403(two_councils, role):
    client = token_client(two_councils["alpha"]["people"][role])
    assert client.get(reverse("api-evidence-packs")).status_code == 403
    assert _request(client).status_code == 403
    assert not EvidencePack.objects.exists()


@pytest.mark.django_db
def test_a_council_administrator_reads_but_neither_requests_nor_downloads(two_councils, eager):
    pack_id = _request(token_client(two_councils["alpha"]["people"][Role.AUDITOR])).json()["id"]
    admin = token_client(two_councils["alpha"]["people"][Role.COUNCIL_ADMIN])
    assert admin.get(reverse("api-evidence-pack", args=[pack_id])).status_code == 200
    assert _request(admin).status_code == 403
    assert admin.get(reverse("api-evidence-pack-download", args=[pack_id])).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_401():
    assert APIClient().get(reverse("api-evidence-packs")).status_code == 401


@pytest.mark.django_db
def test_a_token_older_than_15_minutes_must_confirm_the_password(two_councils, eager):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack_id = _request(token_client(auditor)).json()["id"]
    build_document.delay(EvidencePack.objects.get(pk=pack_id).job_id)
    client = token_client(auditor, age=timedelta(minutes=16))
    url = reverse("api-evidence-pack-download", args=[pack_id])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "15 minutes" in refused.json()["detail"]
    # A new sign-in gives a new token and leaves the old one as old as it was, so the message
    # sends you to the password.
    again = APIClient().post(
        reverse("api-token"), {"username": auditor.email, "password": PASSWORD}, format="json"
    )
    assert again.status_code == 200
    assert client.get(url).status_code == 403
    assert "POST your password" in refused.json()["detail"]
    assert "new token" not in refused.json()["detail"]
    wrong = client.post(url, {"password": "wrong-password"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()
    right = client.post(url, {"password": PASSWORD}, format="json")
    assert right.status_code == 200
    assert b"".join(right.streaming_content).startswith(b"%PDF")
    assert (
        AccessLogEntry.objects.filter(
            user=auditor, action="download", object_id=str(pack_id)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_the_list_reads_no_manifest(two_councils):
    """A pack's manifest (every record and document it holds) is for its own page: the list,
    in the API and on the page, leaves it in the database."""
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client = token_client(auditor)
    _request(client)
    pages = Client()
    pages.force_login(auditor)
    for reader, url in ((client, "api-evidence-packs"), (pages, "packs:list")):
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(reverse(url)).status_code == 200
        read = [q["sql"] for q in queries if '"audits_evidencepack"."kind"' in q["sql"]]
        assert read and not any('"audits_evidencepack"."manifest"' in sql for sql in read)


@pytest.mark.django_db
def test_the_list_keeps_its_query_count(two_councils, django_assert_max_num_queries):
    client = token_client(two_councils["alpha"]["people"][Role.AUDITOR])
    _request(client)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("api-evidence-packs"))
    count = len(few)
    for _ in range(10):
        _request(client)
    with django_assert_max_num_queries(count):
        assert len(client.get(reverse("api-evidence-packs")).json()["results"]) == 11
