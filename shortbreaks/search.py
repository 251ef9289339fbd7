"""One search for every list: names by trigram word similarity, identifiers by substring.

PostgreSQL's `pg_trgm` does the work, served by GIN trigram indexes (`gin_trgm_ops`) that each
app declares on the columns it searches:

- each word typed (of letters) must be *word-similar* to one of the row's names (the `%>`
  operator), so "smith" finds "Smyth" and "jon" finds "Jonathan";
- or the whole search is part of a text such as an identifier (a child id, a contract reference),
  ignoring case;
- or, spaces and hyphens removed, its digits are part of a number ("943 476 5919", "4765");
- or it is the whole of an exact field (a postcode, a UPN), ignoring case.

Each of those is an operator a trigram index serves, so where a list's searched columns are all
on its own table and indexed (children, providers, contracts), PostgreSQL answers the search from
the indexes (a BitmapOr) within the council's rows. The rows are annotated `search_rank`: how
close the names are, summed over the words, which `by_relevance` orders by.

How similar is similar enough is pg_trgm's `word_similarity_threshold` setting (0.6 unless set;
the word similarity of "smith" to "Smyth" is 0.33). Every connection sets it to
`settings.SEARCH_WORD_SIMILARITY` as it opens (a `-c` option in the connection's settings), so the
threshold is ours and the search stays one query.

Under row-level security PostgreSQL may use those indexes only when every function the search's
operators call is LEAKPROOF; providers.0008 marks them (docs/decisions/0028), and `check
--deploy` warns where they are not (a restored database loses the marks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce
from operator import add, and_, or_

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Greatest

WORD_SIMILARITY = settings.SEARCH_WORD_SIMILARITY
RANK = "search_rank"
NO_RANK = Value(0.0, output_field=FloatField())
# A search is a few words; more would only make a longer query that finds the same rows.
MAX_WORDS = 5
# Fewer digits than this would match most numbers (and the trigram index cannot serve them).
MIN_DIGITS = 3

_SEPARATORS = re.compile(r"[\s-]")

# The functions behind the operators the search compiles to: `%>` (names), LIKE on UPPER
# (`icontains`), LIKE (`contains`) and = on UPPER (`iexact`; texteq is leak-proof already).
LEAKPROOF_FUNCTIONS = (
    "word_similarity_commutator_op(text,text)",
    "upper(text)",
    "textlike(text,text)",
)


def clean(search: str | None) -> str:
    """The search as typed, with its spaces collapsed (and any NUL, which no column can hold)."""
    return " ".join((search or "").replace("\x00", "").split())


def _name_words(search: str) -> list[str]:
    """The words that could be part of a name: those with letters and no digits. A word with a
    digit ("brv-1", "2041") is part of an identifier or a number, and as a name it would only
    find every name that shares a letter or two with it."""
    words = [
        word
        for word in search.split()
        if any(c.isalpha() for c in word) and not any(c.isdigit() for c in word)
    ]
    return words[:MAX_WORDS]


def _closest(word: str, names: Sequence[str]):
    similarities = [TrigramWordSimilarity(word, F(name)) for name in names]
    return Greatest(*similarities) if len(similarities) > 1 else similarities[0]


def trigram_search(
    queryset: QuerySet,
    search: str | None,
    *,
    names: Sequence[str],
    substrings: Sequence[str] = (),
    numbers: Sequence[str] = (),
    exact: Sequence[str] = (),
) -> QuerySet:
    """`queryset` narrowed to the rows that match `search`, annotated with `search_rank`.

    `names` are matched word by word (every word of letters must be similar to one of them);
    `substrings` hold the whole search, `numbers` hold its digits, `exact` equal it; any of the
    four will do. A blank search leaves `queryset` as it was. This only narrows: the caller's
    scoping to the council is kept.
    """
    search = clean(search)
    if not search:
        return queryset
    words = _name_words(search)
    match = Q()
    if words:
        match = reduce(
            and_,
            (
                reduce(or_, (Q(TrigramWordSimilar(F(name), word)) for name in names))
                for word in words
            ),
        )
    for field in substrings:
        match |= Q(**{f"{field}__icontains": search})
    digits = _SEPARATORS.sub("", search)
    if len(digits) >= MIN_DIGITS and digits.isascii() and digits.isdigit():
        for field in numbers:
            match |= Q(**{f"{field}__contains": digits})
    for field in exact:
        match |= Q(**{f"{field}__iexact": search})
    if not match:
        return queryset.none()
    rank = reduce(add, (_closest(word, names) for word in words)) if words else NO_RANK
    return queryset.filter(match).annotate(**{RANK: rank})


def by_relevance(queryset: QuerySet, *ordering: str) -> QuerySet:
    """`queryset` in `ordering`, the closest matches first when `trigram_search` narrowed it."""
    if RANK in queryset.query.annotations:
        return queryset.order_by(f"-{RANK}", *ordering)
    return queryset.order_by(*ordering)
