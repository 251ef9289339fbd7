"""A run that passes fails all the same when fewer tests ran than were collected
(`tests/conftest.py`): what a scheduler keying tests by their id would do to schema fuzzing's
operations, which share one id each."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import _every_collected_test_ran


class _Reporter:
    def __init__(self, stats):
        self.stats = stats
        self.lines: list[str] = []

    def write_line(self, line, **markup):
        self.lines.append(line)


def _report(nodeid: str, when: str = "call"):
    return SimpleNamespace(nodeid=nodeid, when=when)


def _finish(collected: int, stats: dict, status=pytest.ExitCode.OK):
    reporter = _Reporter(stats)
    plugins = SimpleNamespace(get_plugin=lambda name: reporter)
    session = SimpleNamespace(
        config=SimpleNamespace(pluginmanager=plugins), exitstatus=status, testscollected=collected
    )
    _every_collected_test_ran(session)
    return session.exitstatus, reporter.lines


FUZZ = "tests/test_api_schema.py::test_no_operation_errors_on_generated_input"


def test_tests_that_share_an_id_each_count():
    status, lines = _finish(3, {"passed": [_report(FUZZ), _report(FUZZ), _report(FUZZ)]})
    assert status == pytest.ExitCode.OK
    assert lines == []


def test_a_run_short_of_tests_fails_and_says_so():
    status, lines = _finish(3, {"passed": [_report(FUZZ)]})
    assert status == pytest.ExitCode.TESTS_FAILED
    assert lines == ["3 tests were collected but 1 ran."]


def test_skips_set_up_errors_and_teardown_errors_count_once_each():
    stats = {
        "passed": [_report("a"), _report("c")],
        "skipped": [_report("b", when="setup")],
        "error": [_report("c", when="teardown")],
        "xfailed": [_report("d")],
    }
    status, lines = _finish(4, stats)
    assert (status, lines) == (pytest.ExitCode.OK, [])


def test_a_failing_run_is_left_as_it_is():
    status, lines = _finish(3, {"failed": [_report("a")]}, status=pytest.ExitCode.TESTS_FAILED)
    assert (status, lines) == (pytest.ExitCode.TESTS_FAILED, [])
