"""The statement for a council offering hundreds of services: the range is a compact table per tier
and kind of short break, and the reads behind the preview do not grow with the services."""

from __future__ import annotations

import re
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.models import Regulation4Category
from shortbreaks.councils.models import Role, Tier
from statements import services
from statements.content import build_content
from tests.builders import make_provider, make_service
from tests.statements.statement_builders import TODAY, complete_draft, offer_every_category

pytestmark = pytest.mark.django_db

TABLE = r'<table class="govuk-table sb-statement__services">(.*?)</table>'


@pytest.fixture
def commissioner(two_councils):
    return two_councils["alpha"]["people"][Role.COMMISSIONER]


def offer_many(commissioner, count: int, providers: int = 4) -> None:
    """`count` services more, from several providers, across every tier and kind of short break."""
    makers = [make_provider(commissioner, name=f"Provider {n}") for n in range(providers)]
    kinds = cycle(
        [(tier, category) for tier in Tier.values for category in Regulation4Category.values]
    )
    for n in range(count):
        tier, category = next(kinds)
        make_service(
            commissioner,
            makers[n % providers],
            title=f"Service {n:03d}",
            tier=tier,
            categories=[category],
            age_from=5,
            age_to=18,
            how_to_access="Ask the provider.",
        )


def preview_queries(client, version) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("statements:manage-preview", args=[version.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_range_of_many_services_is_a_table_per_tier_and_kind(commissioner, client_for):
    offer_many(commissioner, 36)
    version = complete_draft(commissioner)
    html = (
        client_for(commissioner)
        .get(reverse("statements:manage-preview", args=[version.pk]))
        .content.decode()
    )
    range_ = html[html.index('id="statement-range"') : html.index('id="statement-eligibility"')]
    assert "govuk-summary-card" not in range_ and "govuk-summary-list" not in range_
    tables = re.findall(TABLE, range_, re.S)
    # Three tiers by four kinds, three services in each.
    assert len(tables) == len(Tier.values) * len(Regulation4Category.values)
    for table in tables:
        assert re.search(r'<caption class="govuk-table__caption[^"]*">', table)
        assert table.count('<th scope="col"') == 6
        assert table.count('<th scope="row"') == 3
        assert "(3 services)" in table
    assert range_.count('<th scope="row"') == 36
    assert "Service 035" in range_ and "Ages 5 to 18" in range_


def test_the_preview_reads_as_much_for_thirty_services_as_for_three(commissioner, client_for):
    client = client_for(commissioner)
    offer_every_category(commissioner, "Alpha")
    version = complete_draft(commissioner)
    client.get(reverse("statements:manage-preview", args=[version.pk]))  # warm the session
    few = preview_queries(client, version)
    offer_many(commissioner, 27, providers=9)
    many = preview_queries(client, version)
    assert many == few
    assert build_content(version, today=TODAY)["service_count"] == 30


def test_building_the_content_reads_as_much_for_thirty_services_as_for_three(commissioner):
    offer_every_category(commissioner, "Alpha")
    version = complete_draft(commissioner)
    build_content(version, today=TODAY)  # the version's council, read once and kept
    with CaptureQueriesContext(connection) as few:
        build_content(version, today=TODAY)
    offer_many(commissioner, 27, providers=9)
    with CaptureQueriesContext(connection) as many:
        content = build_content(version, today=TODAY)
    assert len(many) == len(few)
    assert content["service_count"] == 30


def test_a_published_statement_reads_no_service_at_all(commissioner):
    """Once published the range is the frozen snapshot: its page reads no service row."""
    offer_many(commissioner, 12)
    version = services.statement_publish(
        actor=commissioner, version=complete_draft(commissioner), today=TODAY
    )
    with CaptureQueriesContext(connection) as queries:
        build_content(version, today=TODAY)
    assert not [q for q in queries if "providers_service" in q["sql"]]
