"""Fixtures the children's records tests share."""

import pytest

from tests.referrals.builders import build_world


@pytest.fixture
def world(two_councils):
    """two_councils, plus in each council a social worker's child and its records
    (tests/referrals/builders.build_world). A module that needs more defines its own `world`."""
    return build_world(two_councils)
