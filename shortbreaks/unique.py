"""Writes under a unique constraint when two requests may race for the same value.

A service checks that a value is free, then inserts. Two requests at once (a double click, a
client's retry) can both pass the check; the database's constraint then stops the later insert
with an IntegrityError, which would be a 500. Here that error, for a named constraint, becomes
the refusal the check gives, so the loser gets the same 400 (API) or form error (pages) as a
second submit a moment later.

    with refuse_duplicates({"provider_unique_name": {"name": "The council already has …"}}):
        provider.save()

The write runs in a savepoint, so the request's transaction is still usable after the refusal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

# What a named constraint is refused with: field messages (a ValidationError), or an exception.
Refusals = Mapping[str, Mapping[str, str] | Exception]


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint (or unique index) the database says the write broke."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


@contextmanager
def refuse_duplicates(refusals: Refusals) -> Iterator[None]:
    """Run the block in a savepoint; if it breaks one of the named constraints, roll that back
    and raise the constraint's refusal instead. Any other IntegrityError is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        refusal = refusals.get(violated_constraint(error))
        if refusal is None:
            raise
        if not isinstance(refusal, Exception):
            refusal = ValidationError(dict(refusal))
        raise refusal from error


def save_unique(instance, refusals: Refusals, **save_kwargs) -> None:
    """`instance.save(**save_kwargs)`, refusing a duplicate as `refuse_duplicates` does."""
    with refuse_duplicates(refusals):
        instance.save(**save_kwargs)
