"""Fixtures the sufficiency tests share: `two_councils` built once for each module
(tests/per_module.py)."""

from tests.per_module import two_councils_per_module

_two_councils_built, two_councils = two_councils_per_module()
