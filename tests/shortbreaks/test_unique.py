"""shortbreaks.unique: a named unique constraint's violation becomes its refusal; any other is
raised as it is; either way only the savepoint is rolled back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from providers.models import Provider
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.unique import refuse_duplicates, save_unique, violated_constraint
from tests.builders import make_provider


@pytest.fixture
def held(two_councils):
    """A provider, and an unsaved one of the same council and name."""
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    provider = make_provider(commissioner, name="Oak House")
    return Provider(council=provider.council, name="Oak House")


def test_the_named_constraint_is_refused_with_its_field_messages(held):
    with pytest.raises(ValidationError) as refused:
        save_unique(held, {"provider_unique_name": {"name": "Taken."}})
    assert refused.value.message_dict == {"name": ["Taken."]}
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert Provider.objects.filter(name="Oak House").count() == 1  # the transaction goes on


def test_the_named_constraint_may_be_refused_with_an_exception(held):
    with pytest.raises(TransitionNotAllowed, match="Already there."):
        with refuse_duplicates({"provider_unique_name": TransitionNotAllowed("Already there.")}):
            held.save()


def test_another_constraint_is_raised_as_it_is(held):
    with pytest.raises(IntegrityError) as error:
        save_unique(held, {"some_other_constraint": {"name": "Taken."}})
    assert violated_constraint(error.value) == "provider_unique_name"
    assert Provider.objects.filter(name="Oak House").count() == 1
