from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shortbreaks import beat, health
from shortbreaks.councils.models import Council, Membership, Organisation, Role, User
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.fixture
def all_parts_up(monkeypatch):
    """The database and broker are real here; the worker and scheduler are run by `make run`,
    not by this test, so their answers are stood in for and each test takes one part down."""
    monkeypatch.setitem(health.CHECKS, "worker", lambda: {"ok": True, "workers": 1})
    beat.redis_client().set(beat.LAST_TICK_KEY, datetime.now(UTC).isoformat())
    yield
    beat.redis_client().delete(beat.LAST_TICK_KEY)


def _healthz():
    return Client().get(reverse("healthz"))


def test_healthz_is_ok_when_every_part_is(db, all_parts_up):
    response = _healthz()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] == "postgresql"
    assert int(body["database"]["version"].split(".")[0]) >= 15
    assert body["broker"] == {"ok": True}
    assert body["worker"]["ok"] is True
    assert body["scheduler"]["ok"] is True
    assert datetime.fromisoformat(body["scheduler"]["last_tick"]) > datetime.now(UTC) - timedelta(
        minutes=1
    )


def test_healthz_is_503_when_the_database_is_down(db, all_parts_up, monkeypatch):
    class DownConnection:
        vendor = "postgresql"

        def cursor(self):
            raise ConnectionError("database down")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = _healthz()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"] == {"ok": False, "error": "ConnectionError"}
    assert body["broker"]["ok"] and body["worker"]["ok"] and body["scheduler"]["ok"]


def test_healthz_is_503_when_the_broker_is_down(db, all_parts_up, monkeypatch):
    from shortbreaks.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = _healthz()
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] and body["scheduler"]["ok"]


def test_healthz_is_503_when_no_worker_answers(db, all_parts_up, monkeypatch):
    from shortbreaks.celery import app

    monkeypatch.setitem(health.CHECKS, "worker", health.check_worker)
    pings = []
    monkeypatch.setattr(app.control, "ping", lambda timeout: pings.append(timeout) or [])
    response = _healthz()
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False
    assert "no worker answered within 2 s" in response.json()["worker"]["error"]
    assert pings == [2.0]


def test_healthz_is_503_when_the_scheduler_never_ticked(db, all_parts_up):
    beat.redis_client().delete(beat.LAST_TICK_KEY)
    response = _healthz()
    assert response.status_code == 503
    assert response.json()["scheduler"] == {
        "ok": False,
        "last_tick": None,
        "error": "the scheduler has never ticked",
    }


def test_healthz_is_503_when_the_scheduler_stopped_ticking(db, all_parts_up):
    stale = datetime.now(UTC) - timedelta(minutes=5, seconds=1)
    beat.redis_client().set(beat.LAST_TICK_KEY, stale.isoformat())
    response = _healthz()
    assert response.status_code == 503
    assert response.json()["scheduler"]["ok"] is False
    assert response.json()["scheduler"]["last_tick"] == stale.isoformat()


def test_beat_records_its_tick(db, tmp_path):
    from shortbreaks.celery import app

    beat.redis_client().delete(beat.LAST_TICK_KEY)
    scheduler = beat.HeartbeatScheduler(app, schedule_filename=str(tmp_path / "schedule"))
    try:
        assert scheduler.tick() <= beat.MAX_TICK_SECONDS
    finally:
        scheduler.close()
    assert health.check_scheduler()["ok"] is True


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def test_seed_demo_creates_the_five_councils_and_a_login_per_role(seeded):
    slugs = set(Council.objects.values_list("slug", flat=True))
    assert slugs == {"shropshire", "warwickshire", "medway", "herefordshire", "birmingham"}
    for slug in slugs:
        for login in (
            "commissioner",
            "contract-manager",
            "social-worker",
            "team-manager",
            "finance-officer",
            "auditor",
            "council-admin",
        ):
            user = User.objects.get(username=f"{login}@{slug}.example")
            assert user.check_password("a-test-demo-password")
            assert user.active_council.slug == slug
            assert len(user.active_roles) == 1
    assert "commissioner@shropshire.example" in seeded
    assert "a-test-demo-password" not in seeded


def test_birmingham_splits_the_tiers_between_two_bodies(seeded):
    bodies = {o.name: set(o.tiers) for o in Organisation.objects.filter(council__slug="birmingham")}
    assert bodies == {
        "Birmingham City Council": {"universal", "targeted"},
        "Birmingham Children's Trust": {"specialist"},
    }


def test_seed_demo_runs_twice_without_duplicates(seeded):
    counts = (Council.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Council.objects.count(), User.objects.count(), Membership.objects.count()) == counts


def test_the_auditor_for_three_councils_can_switch_between_them(seeded):
    auditor = User.objects.get(username="auditor@audit-partnership.example")
    councils = set(auditor.memberships.values_list("council__slug", flat=True))
    assert councils == {"shropshire", "herefordshire", "warwickshire"}
    assert set(auditor.memberships.values_list("role", flat=True)) == {Role.AUDITOR}
    assert auditor.has_perm("councils.switch_council")
