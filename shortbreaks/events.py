"""One event mechanism for every record's history (docs/decisions/0026).

Each history model (ContractEvent, PackageEvent, ...) inherits `TypedEvent`: its `kind` has choices,
what happened is kept as structured `params` (dates, amounts, statuses, ids: never a sentence), and
the sentence a timeline shows is rendered from the kind's declared summary:

    class ContractEventKind(models.TextChoices):
        EXTENDED = "extended", "Extended"

    class ContractEvent(TypedEvent, CouncilOwned):
        kind = models.CharField(max_length=40, choices=ContractEventKind.choices)
        SUMMARIES = {ContractEventKind.EXTENDED: "Extended to {end_date:%-d %B %Y}"}

Each app writes its events through one function per kind, in `<app>/events.py`, so a kind's
parameters are named in one place. Rows written before kinds were typed keep their sentence as
`params["text"]`, which is shown as it was.
"""

from __future__ import annotations

import string
from typing import ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime


def _revive(value):
    """JSON gives dates back as text: make ISO dates and times dates again for the format spec."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        parsed = parse_datetime(value) if len(value) > 10 else parse_date(value)
        if parsed is not None:
            return parsed
    return value


def render_summary(template: str | None, params: dict) -> str:
    """The kind's sentence with its parameters, or the legacy text when the row predates kinds."""
    if not template:
        return str(params.get("text", ""))
    values = {key: _revive(value) for key, value in params.items()}
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    if any(name.split(".")[0].split("[")[0] not in values for name in fields):
        return str(params.get("text", template.split("{")[0].strip()))
    return template.format_map(values)


class TypedEvent(models.Model):
    """The shared half of every history row: structured parameters and a rendered summary."""

    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    SUMMARIES: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    @property
    def summary(self) -> str:
        """A kind with more than one sentence names the one it means in `params["step"]`, and
        declares it under `(kind, step)`."""
        params = self.params or {}
        template = self.SUMMARIES.get((self.kind, params.get("step"))) or self.SUMMARIES.get(
            self.kind
        )
        return render_summary(template, params)
