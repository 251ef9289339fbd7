"""The public service list: only the council's own, only active providers, filters that work on
every database."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from providers import services as provider_services
from shortbreaks.councils.models import Role
from statements.selectors import public_council, public_service, public_service_list
from tests.builders import make_provider, make_service


@pytest.fixture
def offer(two_councils):
    alpha = two_councils["alpha"]["people"][Role.COMMISSIONER]
    bravo = two_councils["bravo"]["people"][Role.COMMISSIONER]
    club = make_provider(alpha, name="Youth club")
    make_service(
        alpha,
        club,
        title="Saturday club",
        tier="universal",
        categories=["educational_leisure"],
        when=["weekends"],
        age_from=8,
        age_to=14,
        areas="Hereford, Leominster",
    )
    make_service(alpha, club, title="Overnight stays", categories=["overnight_care"])
    make_service(bravo, make_provider(bravo), title="Bravo's service")
    return two_councils


def _titles(services) -> list[str]:
    return [s.title for s in services]


def test_filters(offer):
    council = offer["alpha"]["council"]
    assert _titles(public_service_list(council=council)) == ["Overnight stays", "Saturday club"]
    assert _titles(public_service_list(council=council, tier="universal")) == ["Saturday club"]
    assert _titles(public_service_list(council=council, category="overnight_care")) == [
        "Overnight stays"
    ]
    assert _titles(public_service_list(council=council, when="weekends")) == ["Saturday club"]
    assert _titles(public_service_list(council=council, age=15)) == ["Overnight stays"]
    assert _titles(public_service_list(council=council, area="leominster")) == ["Saturday club"]
    assert _titles(public_service_list(council=council, search="club")) == [
        "Overnight stays",
        "Saturday club",
    ]


def test_suspended_providers_and_other_councils_are_not_listed(offer):
    council = offer["alpha"]["council"]
    alpha = offer["alpha"]["people"][Role.COMMISSIONER]
    club = public_service_list(council=council).first().provider
    theirs = public_service_list(council=offer["bravo"]["council"]).get()
    with pytest.raises(Http404):
        public_service(council=council, service_id=theirs.pk)
    provider_services.provider_set_status(
        actor=alpha, provider=club, status="suspended", on=date(2025, 1, 1), reason="Inspection"
    )
    assert not public_service_list(council=council).exists()
    with pytest.raises(Http404):
        public_council(slug="nowhere")
