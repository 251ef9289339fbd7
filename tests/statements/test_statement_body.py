"""A published statement's body is rendered once, by a worker, and kept in the cache: publishing
renders it, the daily task keeps every council's there and renders any the cache lost, and a page
shows what the cache holds."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shortbreaks import rls
from statements import body, services
from statements.models import StatementStatus, StatementVersion
from statements.tasks import keep_body, keep_published_bodies
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.statements.statement_builders import complete_draft, offer_every_category, published

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def offers(alpha, bravo):
    offer_every_category(alpha, "Alpha")
    offer_every_category(bravo, MARKER_B)


@pytest.fixture
def sent(monkeypatch):
    """What publishing sends the worker: the version ids, kept here rather than run."""
    ids = []
    monkeypatch.setattr(keep_body, "delay", ids.append)
    return ids


def _fresh(version) -> StatementVersion:
    return StatementVersion.objects.get(pk=version.pk)


def _seconds_left(key: str) -> float:
    """How long the (local memory) test cache keeps the key."""
    return cache._expire_info[cache.make_and_validate_key(key)] - time.time()


def _forget(*versions) -> None:
    for version in versions:
        cache.delete(body.cache_key(_fresh(version)))


def test_publishing_sends_the_body_to_a_worker_once_it_commits(
    alpha, offers, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        version = published(alpha, introduction=f"About short breaks {MARKER_A}")
    assert sent == []  # nothing before the commit: a rolled-back publication sends nothing
    for callback in callbacks:
        callback()
    assert sent == [version.pk]

    _forget(version)
    assert keep_body(version.pk) is True  # what the worker runs: rendered
    key = body.cache_key(_fresh(version))
    assert f"About short breaks {MARKER_A}" in cache.get(key)
    assert "Youth club Alpha" in cache.get(key)
    assert 0 < _seconds_left(key) <= settings.STATEMENT_BODY_CACHE_SECONDS
    assert keep_body(version.pk) is False  # already there: kept, not rendered again
    _forget(version)


def test_a_publication_that_fails_sends_nothing(alpha, offers, sent):
    version = services.statement_draft_create(actor=alpha)  # its written sections are empty
    with pytest.raises(services.StatementNotCompliant):
        services.statement_publish(actor=alpha, version=version)
    assert sent == []


def test_the_worker_renders_no_version_that_is_not_published_or_not_the_councils(
    alpha, bravo, offers, sent
):
    draft = complete_draft(alpha)
    theirs = published(bravo, introduction=f"Bravo {MARKER_B}")
    _forget(theirs)
    assert keep_body(draft.pk) is False
    assert cache.get(body.cache_key(_fresh(draft))) is None
    # In alpha's scope, as a task alpha's publication sent runs, bravo's version is not there.
    with rls.council_scope(alpha.active_council_id):
        assert keep_body(theirs.pk) is False
    assert cache.get(body.cache_key(_fresh(theirs))) is None


def test_the_daily_task_keeps_each_councils_published_body_and_renders_any_lost(
    alpha, bravo, offers, sent
):
    first = published(alpha, introduction=f"First {MARKER_A}")
    current = published(alpha, introduction=f"Second {MARKER_A}")
    theirs = published(bravo, introduction=f"Bravo {MARKER_B}")
    assert _fresh(first).status == StatementStatus.SUPERSEDED
    _forget(first, current, theirs)
    kept_key = body.cache_key(_fresh(theirs))
    cache.set(kept_key, "<p>kept</p>", 60)  # bravo's is there, a minute from its end

    assert keep_published_bodies() == 1  # alpha's current one, rendered

    assert f"Second {MARKER_A}" in cache.get(body.cache_key(_fresh(current)))
    assert cache.get(body.cache_key(_fresh(first))) is None  # superseded: read when asked
    assert cache.get(kept_key) == "<p>kept</p>"  # not rendered again ...
    assert _seconds_left(kept_key) > 60  # ... but kept another spell
    assert keep_published_bodies() == 0
    _forget(first, current, theirs)


def test_the_daily_task_is_on_the_beat_schedule_and_both_tasks_are_registered():
    from shortbreaks.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "statements.keep_published_bodies" in scheduled
    app.loader.import_default_modules()
    assert {"statements.keep_published_bodies", "statements.keep_body"} <= set(app.tasks)


def test_every_page_of_a_published_version_shows_the_body_the_cache_holds(alpha, offers, sent):
    version = published(alpha, introduction=f"About short breaks {MARKER_A}")
    _forget(version)
    staff = Client()
    staff.force_login(alpha)
    pages = [
        (Client(), reverse("statements:statement", args=["alpha"])),
        (Client(), reverse("statements:statement-version", args=["alpha", version.number])),
        (staff, reverse("statements:manage-preview", args=[version.pk])),
    ]
    client, url = pages[0]
    assert f"About short breaks {MARKER_A}" in client.get(url).content.decode()
    key = body.cache_key(_fresh(version))
    assert f"About short breaks {MARKER_A}" in cache.get(key)  # the first read kept it
    cache.set(key, f"<p>kept {MARKER_A}</p>")
    for client, url in pages:
        html = client.get(url, secure=True).content.decode()
        assert f"<p>kept {MARKER_A}</p>" in html and "About short breaks" not in html, url
    _forget(version)
