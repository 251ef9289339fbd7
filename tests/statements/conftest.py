"""Fixtures the statements tests share: `two_councils` built once for each module
(tests/per_module.py), and each council's commissioner, `alpha` and `bravo`."""

import pytest

from shortbreaks.councils.models import Role
from tests.per_module import two_councils_per_module

_two_councils_built, two_councils = two_councils_per_module()


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"][Role.COMMISSIONER]


@pytest.fixture
def bravo(two_councils):
    return two_councils["bravo"]["people"][Role.COMMISSIONER]
