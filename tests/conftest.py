"""Fixtures every test may use: councils with marker strings, and people in each role."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from tests.factories import PASSWORD, CouncilFactory, TeamFactory, UserFactory

# Each council's records carry its marker, so a test can prove that nothing of one council ever
# appears in what another council's people receive.
MARKER_A = "MARKERALPHA"
MARKER_B = "MARKERBRAVO"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def council_a(db):
    return CouncilFactory(slug="alpha", name=f"Alpha {MARKER_A} Council")


@pytest.fixture
def council_b(db):
    return CouncilFactory(slug="bravo", name=f"Bravo {MARKER_B} Council")


@pytest.fixture
def make_person(db):
    """make_person(council, *roles) -> a User holding those roles in that council."""

    def make(council, *roles: str, username: str | None = None):
        kwargs = {"username": username} if username else {}
        user = UserFactory(**kwargs)
        for role in roles:
            services.membership_grant(user=user, council=council, role=role)
        user.refresh_from_db()
        return user

    return make


@pytest.fixture
def client_for():
    """client_for(user) -> a test Client signed in as that person."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def two_councils(council_a, council_b, make_person):
    """Two councils, each with a team named after its marker and a person in every role."""
    world = {}
    for council, marker in ((council_a, MARKER_A), (council_b, MARKER_B)):
        team = TeamFactory(
            council=council,
            name=f"Team {marker}",
            organisation__name=f"Organisation {marker}",
        )
        people = {role: make_person(council, role) for role in Role.values}
        world[council.slug] = {"council": council, "team": team, "people": people}
    return world


class _RollBack(Exception):
    pass


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """The demo seed, loaded once for a test module (it takes seconds) and rolled back after it.
    Gives what `seed_demo` printed. Tests that use it also ask for `db`."""
    previous = os.environ.get("DEMO_PASSWORD")
    os.environ["DEMO_PASSWORD"] = "a-test-demo-password"
    try:
        with django_db_blocker.unblock():
            try:
                with transaction.atomic():
                    out = StringIO()
                    call_command("seed_demo", stdout=out)
                    yield out.getvalue()
                    raise _RollBack
            except _RollBack:
                pass
    finally:
        if previous is None:
            os.environ.pop("DEMO_PASSWORD", None)
        else:
            os.environ["DEMO_PASSWORD"] = previous


__all__ = ["PASSWORD", "MARKER_A", "MARKER_B"]
