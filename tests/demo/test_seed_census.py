"""The demo's children in need census: every demo council's 2025-26 return passes the DfE's own
rules (csc-validator-be-cin) with no error, and shows what the census needs (sex, ethnicity,
UPNs with their check letter, assessment factors, episodes closed with their reason)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parses the app's own XML

import pytest

from providers.demo import demo_actor
from referrals.census import CensusYear, census_check, census_for
from referrals.census_codes import upn_problem
from referrals.models import Referral
from shortbreaks.councils.models import Role
from tests.clock import frozen_today_module  # noqa: F401

# The seed counts dates back from today: it runs on the frozen day, as the tests read it.
pytestmark = pytest.mark.usefixtures("frozen_today_module")

COUNCILS = ("shropshire", "warwickshire", "medway", "herefordshire", "birmingham")
YEAR = CensusYear(2025)


@pytest.fixture(scope="module")
def returns(frozen_today_module, demo_seeded, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        out = {}
        for slug in COUNCILS:
            census = census_for(actor=demo_actor(slug, Role.TEAM_MANAGER), year=YEAR)
            out[slug] = (census, census_check(census))
        return out


@pytest.mark.parametrize("slug", COUNCILS)
def test_every_demo_council_s_return_passes_the_dfe_rules(returns, db, slug):
    census, check = returns[slug]
    assert census.rows.children, slug
    errors = [
        (entry.child.council_child_id, failure.code, failure.message)
        for entry in check.children
        for failure in entry.failures
        if failure.is_error
    ] + [(None, f.code, f.message) for f in check.return_level if f.is_error]
    assert errors == [], errors
    assert check.errors == 0


def test_the_demo_fills_the_census_items(returns, db):
    for census, _ in returns.values():
        root = ET.fromstring(census.xml)  # noqa: S314
        for child in root.iter("Child"):
            assert child.findtext("ChildIdentifiers/Sex") in ("M", "F")
            assert child.findtext("ChildCharacteristics/Ethnicity")
            assert upn_problem(child.findtext("ChildIdentifiers/UPN")) is None
            assert child.findtext("ChildIdentifiers/LAchildID").isalnum()
    factors = [
        f.text
        for census, _ in returns.values()
        for f in ET.fromstring(census.xml).iter("AssessmentFactors")  # noqa: S314
    ]
    assert {"5A", "6A"} <= set(factors)
    assert Referral.objects.filter(closure_reason="RC8").exists()
