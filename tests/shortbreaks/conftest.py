"""Fixtures the shared parts' tests share: `two_councils` built once for each module
(tests/per_module.py). Modules with transactional, worker or owner tests, or the demo seed, still
build them for each test."""

from tests.per_module import two_councils_per_module

_two_councils_built, two_councils = two_councils_per_module()
