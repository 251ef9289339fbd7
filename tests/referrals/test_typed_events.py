"""An assessment's steps, a record's merges and a carer's account links are typed events: every
kind has its sentence, worded from parameters."""

import string

import pytest

from referrals.models import AssessmentEvent, CarerAccountEvent, ChildEvent

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
