"""The demo's outcome surveys and direct payments: a sent survey with answers in the councils,
whose report shows a percentage and a "fewer than 5" cell, and direct-payment agreements with
payments and one recovery; the same rows when the seed runs again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from directpayments.models import Agreement, Payment, Recovery
from outcomes import selectors
from outcomes.models import Response, Survey, SurveyStatus
from shortbreaks.small_numbers import FEWER_THAN
from tests.clock import frozen_today_module  # noqa: F401

# The folder's seed is loaded on the frozen day (tests/demo/conftest.py): the module, seeding
# again included, runs on that day too.
pytestmark = pytest.mark.usefixtures("frozen_today_module")


@pytest.fixture
def seeded(demo_seeded, db):
    return demo_seeded


def test_a_sent_survey_with_answers_in_several_councils(seeded):
    surveys = Survey.objects.filter(status=SurveyStatus.OPEN)
    answered = {s.council_id for s in surveys if Response.objects.filter(survey=s).exists()}
    assert len(answered) >= 2


def test_the_reports_show_a_percentage_and_a_fewer_than_5_cell(seeded):
    cells = []
    for survey in Survey.objects.all():
        for grouping in selectors.survey_report(survey=survey)["by"]:
            cells.extend(grouping["rows"])
    assert any(row["percent"] is not None for row in cells)
    assert any(row["suppressed"] == FEWER_THAN for row in cells)


def test_direct_payments_with_payments_and_one_recovery(seeded):
    assert Agreement.objects.count() >= 2
    assert Payment.objects.count() >= 2
    assert Recovery.objects.count() == 1


def test_seeding_again_adds_nothing(seeded):
    counts = (Survey.objects.count(), Response.objects.count(), Agreement.objects.count())
    payments = (Payment.objects.count(), Recovery.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Survey.objects.count(), Response.objects.count(), Agreement.objects.count()) == counts
    assert (Payment.objects.count(), Recovery.objects.count()) == payments
