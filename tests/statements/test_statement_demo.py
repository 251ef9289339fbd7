"""The demo statements: Medway and Birmingham published, Warwickshire out for consultation."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from statements.checks import compliance_problems
from statements.models import CarerFeedback, StatementStatus, StatementVersion
from tests.clock import frozen_today_module  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.mark.django_db
def test_the_demo_statements(demo_seeded):
    medway = StatementVersion.objects.get(council__slug="medway")
    birmingham = StatementVersion.objects.get(council__slug="birmingham")
    warwickshire = StatementVersion.objects.get(council__slug="warwickshire")
    assert medway.status == birmingham.status == StatementStatus.PUBLISHED
    assert birmingham.published_on == date(2024, 5, 3)
    assert "Interim" in birmingham.title
    assert warwickshire.status == StatementStatus.CONSULTATION
    assert "April 2025" in warwickshire.title
    for version in (medway, birmingham, warwickshire):
        assert compliance_problems(version) == []
    assert medway.pdf_job is not None and birmingham.pdf_job is not None
    assert CarerFeedback.objects.filter(version=warwickshire).count() == 2
    assert all(f.email.endswith("@example.org") for f in CarerFeedback.objects.exclude(email=""))
    # Again: nothing doubles.
    count = StatementVersion.objects.count(), CarerFeedback.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (StatementVersion.objects.count(), CarerFeedback.objects.count()) == count
