"""The demo's parent logins: one per council with a grant scheme, each confirmed and with an
application to see. (Parents' own pages are in test_parents.py.)"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from referrals.selectors import parents as parent_selectors
from tests.clock import frozen_today_module  # noqa: F401
from tests.statements.test_parents import signed_in, url

# Seeds the demo once for the module, on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today_module")


def test_the_demo_has_a_parent_login_per_council_with_a_grant_scheme(demo_seeded, db):
    from shortbreaks.councils.models import Council

    for slug in ("medway", "birmingham"):
        login = f"parent@{slug}.example"
        assert login in demo_seeded
        parent = get_user_model().objects.get(username=login)
        assert parent.memberships.count() == 0
        council = Council.objects.get(slug=slug)
        assert parent.parent_account.council == council
        assert parent_selectors.parent_applications(actor=parent).exists()
        body = signed_in(parent).get(url("account", slug)).content.decode()
        assert "Your grant applications" in body
        # Confirmed, so its password signs in on the council's page.
        assert parent.parent_account.confirmed_at is not None
        password_sign_in = Client().post(
            url("account-sign-in", slug), {"username": login, "password": "a-test-demo-password"}
        )
        assert password_sign_in.status_code == 302
    for slug in ("shropshire", "herefordshire", "warwickshire"):
        assert f"parent@{slug}.example" not in demo_seeded
