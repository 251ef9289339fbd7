"""The demo shows notifications: the seed's own work tells people, as the site would, and no
message names a demo child."""

from __future__ import annotations

import pytest

from referrals.models import Child
from shortbreaks.notifications.messages import message_for
from shortbreaks.notifications.models import Notification
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module", "db")


def test_the_demo_has_notifications_for_staff_and_families_without_names(demo_seeded):
    kinds = set(Notification.objects.values_list("kind", flat=True))
    staff = {"contract_ending", "assessment_to_authorise", "panel_decision"}
    assert {*staff, "statement_published"} <= kinds, kinds
    names = set()
    for first, last in Child.objects.values_list("first_name", "last_name"):
        names.add(f"{first} {last}")
    for row in Notification.objects.select_related("council"):
        message = message_for(kind=row.kind, council_name=row.council.name, params=row.params)
        text = f"{message.subject}\n{message.body}"
        assert not any(name in text for name in names), row.pk
