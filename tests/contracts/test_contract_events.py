"""A contract's timeline rows are typed: every kind has its sentence, worded from parameters."""

import json
import string
from datetime import date

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from contracts.models import ContractEvent, ContractEventKind


def _sample(name: str):
    if name.endswith(("_on", "_date")) or name == "on":
        return date(2026, 3, 31)
    if name == "added_value":
        return 12500.5
    return f"<{name}>"


def _stored(params: dict) -> dict:
    """As the database gives them back: dates as text."""
    return json.loads(json.dumps(params, cls=DjangoJSONEncoder))


def _keys_of(kind: str) -> list:
    return [
        key
        for key in ContractEvent.SUMMARIES
        if key == kind or (isinstance(key, tuple) and key[0] == kind)
    ]


@pytest.mark.parametrize("kind", ContractEventKind.values)
def test_every_kind_has_a_summary(kind):
    assert _keys_of(kind), kind


@pytest.mark.parametrize("key", list(ContractEvent.SUMMARIES), ids=str)
def test_every_summary_renders_from_its_params_without_text(key):
    template = ContractEvent.SUMMARIES[key]
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    params = {name: _sample(name) for name in names}
    kind = key[0] if isinstance(key, tuple) else key
    if isinstance(key, tuple):
        params["step"] = key[1]
    summary = ContractEvent(kind=kind, params=_stored(params)).summary
    assert summary
    assert "{" not in summary and "text" not in params
    for value in params.values():
        if isinstance(value, str) and value.startswith("<"):
            assert value in summary


def test_amounts_and_dates_are_worded_as_before():
    event = ContractEvent(
        kind=ContractEventKind.EXTENSION,
        params=_stored(
            {"step": "drafted", "new_end_date": date(2027, 3, 31), "added_value": 12500.5}
        ),
    )
    assert event.summary == "Extension to 31/03/2027 (£12,500.50) drafted."


def test_a_row_written_before_kinds_were_typed_shows_its_sentence():
    old = ContractEvent(
        kind=ContractEventKind.STATUS,
        params={"text": "Terminated on 01/09/2025: Provider exited.", "status": "terminated"},
    )
    assert old.summary == "Terminated on 01/09/2025: Provider exited."
