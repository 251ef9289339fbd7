"""The home page tells commissioners when the statement needs attention."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shortbreaks.councils.models import Role
from statements import services
from tests.clock import frozen_today  # noqa: F401
from tests.statements.statement_builders import offer_every_category, published

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def people(two_councils):
    return two_councils["alpha"]["people"]


def home(client_for, person) -> str:
    return client_for(person).get(reverse("home")).content.decode()


def test_no_published_statement(people, client_for):
    page = home(client_for, people[Role.COMMISSIONER])
    assert "no published short breaks services statement" in page
    assert "no published short breaks" not in home(client_for, people[Role.SOCIAL_WORKER])


def test_past_its_review_date(people, client_for):
    commissioner = people[Role.COMMISSIONER]
    offer_every_category(commissioner)
    published(commissioner, today=date(2023, 5, 1))
    page = home(client_for, commissioner)
    assert "past its review date of 1 May 2024" in page


def test_due_within_thirty_days_then_quiet(people, client_for):
    commissioner = people[Role.COMMISSIONER]
    offer_every_category(commissioner)
    today = timezone.localdate()
    version = published(commissioner, today=today, review_on=today + timedelta(days=20))
    assert "is due for review on" in home(client_for, commissioner)
    services.statement_review_date_set(
        actor=commissioner, version=version, review_on=today + timedelta(days=200)
    )
    page = home(client_for, commissioner)
    assert "Short breaks services statement" not in page or "due for review" not in page
