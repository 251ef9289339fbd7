"""The shared search (shortbreaks.search): pg_trgm's threshold is ours on every connection, and
what people type is cleaned before it reaches PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from providers.models import Provider
from shortbreaks.checks import search_functions_are_leakproof
from shortbreaks.councils.models import Role
from shortbreaks.search import RANK, WORD_SIMILARITY, by_relevance, clean, trigram_search
from tests.builders import make_provider


def test_every_connection_asks_for_our_word_similarity(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == WORD_SIMILARITY
        # "smith" and "Smyth" are 0.33 alike: found at our threshold, not at pg_trgm's 0.6.
        cursor.execute("SELECT 'Smyth' %> 'smith', word_similarity('smith', 'Smyth')")
        found, similarity = cursor.fetchone()
    assert found and WORD_SIMILARITY <= similarity < 0.6


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [("  Smyth   Family ", "Smyth Family"), ("smi\x00th", "smith"), (None, ""), ("\t", "")],
)
def test_what_is_typed_is_cleaned(typed, cleaned):
    assert clean(typed) == cleaned


def test_a_blank_search_leaves_the_list_as_it_was(db):
    providers = Provider.objects.all()
    assert trigram_search(providers, "   ", names=("name",)) is providers
    assert RANK not in by_relevance(providers, "name").query.annotations


def test_a_search_of_punctuation_alone_finds_nothing(two_councils):
    make_provider(two_councils["alpha"]["people"][Role.COMMISSIONER], name="Smyth Care")
    assert not trigram_search(Provider.objects.all(), "- & --", names=("name",)).exists()


def test_a_nul_in_the_query_string_is_not_an_error(two_councils, client_for):
    commissioner = two_councils["alpha"]["people"][Role.COMMISSIONER]
    make_provider(commissioner, name="Smyth Care")
    response = client_for(commissioner).get(reverse("providers:list"), {"search": "smi\x00th"})
    assert response.status_code == 200
    assert "Smyth Care" in response.content.decode()


def test_the_deploy_check_is_quiet_when_the_search_functions_are_leakproof(db):
    assert search_functions_are_leakproof() == []


@pytest.mark.database_owner
@pytest.mark.django_db
def test_the_deploy_check_warns_when_a_search_function_is_not_leakproof():
    """As after a restore, which leaves out the marks (docs/decisions/0028)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER FUNCTION upper(text) NOT LEAKPROOF")  # undone by the rollback
    (warning,) = search_functions_are_leakproof()
    assert warning.id == "shortbreaks.W102"
    assert "upper(text) not LEAKPROOF" in warning.msg
    assert "ALTER FUNCTION upper(text) LEAKPROOF;" in warning.hint
