"""An assessment's steps, a record's merges and a carer's account links are typed events: every
kind has its sentence, worded from parameters."""

import string
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from referrals.models import AssessmentEvent, CarerAccountEvent, ChildEvent
from shortbreaks import rls
from shortbreaks.councils.models import Role
from tests.referrals.builders import completed_assessment, make_child

BEFORE = [("referrals", "0010_status_changes_declared")]
AFTER = [("referrals", "0011_typed_child_record_events")]

MODELS = (AssessmentEvent, ChildEvent, CarerAccountEvent)


def _kinds(model) -> list[str]:
    return [value for value, _ in model._meta.get_field("kind").choices]


def _cases():
    for model in MODELS:
        for key, template in model.SUMMARIES.items():
            yield pytest.param(model, key, template, id=f"{model.__name__}-{key}")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_kind_has_a_summary(model):
    declared = {key[0] if isinstance(key, tuple) else key for key in model.SUMMARIES}
    assert set(_kinds(model)) <= declared


@pytest.mark.parametrize(("model", "key", "template"), list(_cases()))
def test_every_summary_renders_from_its_params_without_text(model, key, template):
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    params = {name: f"<{name}>" for name in names}
    kind = key
    if isinstance(key, tuple):
        kind, params["step"] = key
    summary = model(kind=kind, params=params).summary
    assert summary and "{" not in summary
    assert all(f"<{name}>" in summary for name in names)


def test_a_carers_links_are_worded_as_before():
    applied = CarerAccountEvent(
        kind=CarerAccountEvent.LINKED,
        params={"carer": "Sam Carer", "email": "sam@example.com", "step": "applied"},
    )
    assert applied.summary == (
        "Sam Carer applied online; the child was recorded from their answers and their parent "
        "account linked."
    )
    linked = CarerAccountEvent(
        kind=CarerAccountEvent.LINKED, params={"carer": "Sam Carer", "email": "sam@example.com"}
    )
    assert linked.summary == "Sam Carer linked to the parent account sam@example.com."


def test_a_row_written_before_kinds_were_typed_shows_its_sentence():
    old = AssessmentEvent(kind="returned", params={"text": "Returned: see the notes."})
    assert old.summary == "Returned: see the notes."


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_keep_their_sentence_and_back(two_councils):
    manager = two_councils["alpha"]["people"][Role.TEAM_MANAGER]
    child = make_child(manager)
    assessment = completed_assessment(manager, child)
    day = date(2025, 3, 1)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        with rls.all_councils():
            old = _migrate(BEFORE)
            for name in ("AssessmentEvent", "ChildEvent", "CarerAccountEvent"):
                old.get_model("referrals", name).objects.all().delete()
            council = {"council_id": child.council_id, "on": day}
            old.get_model("referrals", "AssessmentEvent").objects.create(
                assessment_id=assessment.pk, kind="returned", summary="Returned: old.", **council
            )
            old.get_model("referrals", "ChildEvent").objects.create(
                child_id=child.pk, kind="merged_in", summary="Old merge.", **council
            )
            old.get_model("referrals", "CarerAccountEvent").objects.create(
                child_id=child.pk,
                kind="linked",
                email="old@example.com",
                summary="Old link.",
                **council,
            )

            _migrate(AFTER)
            assert [(e.params, e.summary) for e in AssessmentEvent.objects.all()] == [
                ({"text": "Returned: old."}, "Returned: old.")
            ]
            assert [e.summary for e in ChildEvent.objects.all()] == ["Old merge."]
            assert [e.summary for e in CarerAccountEvent.objects.all()] == ["Old link."]

            old = _migrate(BEFORE)
            assert list(
                old.get_model("referrals", "CarerAccountEvent").objects.values_list(
                    "summary", flat=True
                )
            ) == ["Old link."]
    finally:
        _migrate(leaves)
        rls.apply()
