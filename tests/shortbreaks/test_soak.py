"""No answer of 500 when many people use the product at once.

The soak (shortbreaks.soak) runs against Django's threaded live server with the demo councils:
eight people at once for eight seconds sign in through the page, take API tokens, read pages and
lists, and create and change records, some sent twice at once as a double click does. Not one
request may answer 5xx, and every kind of action must have succeeded at least once, or the soak
proved nothing.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from shortbreaks import soak

# Only this password is ever sent: a wrong one would count towards the per-account lockout.
DEMO_PASSWORD = "soak-test-demo-password"
CLIENTS = 8
SECONDS = 8


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("seed_demo", stdout=StringIO())


def test_no_server_error_under_concurrent_use(demo, live_server):
    # With the same create sent twice at once too: the second is a 400, never a 500.
    report = soak.run(
        live_server.url, CLIENTS, SECONDS, DEMO_PASSWORD, double_submit=True, seed=20240401
    )
    print(report.text())  # shown with -s, or under a failure

    assert not report.crashes, report.text()
    assert not report.server_errors, report.text()
    assert not report.unanswered, report.text()
    assert not report.notes, report.text()  # no client was refused its sign-in
    for action in (soak.SIGN_IN, soak.TOKEN, soak.PAGE, soak.LIST, soak.CREATE, soak.CHANGE):
        assert report.succeeded(action), f"no {action} succeeded\n{report.text()}"
    # Both of a double submit were answered: one added the record, the other was refused.
    assert report.succeeded(soak.DOUBLE_SUBMIT), report.text()
    assert report.by_action[soak.DOUBLE_SUBMIT]["4xx"], report.text()
    assert report.by_action[soak.SIGN_IN]["3xx"] == report.succeeded(soak.SIGN_IN)


def test_a_refused_sign_in_stops_the_soak_before_any_client_starts(transactional_db, live_server):
    # No demo loaded: the first demo login is refused, once, and nothing else is sent.
    with pytest.raises(soak.SoakError, match="refused"):
        soak.run(live_server.url, 2, 1, DEMO_PASSWORD)
