from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shortbreaks.councils.models import Council, Membership, Organisation, Role, User


def test_healthz_reports_database_and_broker(db, settings):
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"] == "ok"
    assert data["broker"] in ("ok", "in-process")
    assert data["broker"] == ("in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok")


def test_healthz_is_unhealthy_when_the_broker_is_down(db, settings, monkeypatch):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = Client().get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


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
