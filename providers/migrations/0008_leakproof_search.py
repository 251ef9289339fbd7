"""Mark the functions behind the search's operators LEAKPROOF, so that under row-level security
the trigram indexes serve the search (docs/decisions/0028-leakproof-search-functions.md).

PostgreSQL applies a query's own conditions after a table's policies unless every function in
them is leak-proof; the search's (`%>`, and `LIKE` and `=` on `UPPER`) were not, so a council's
search read every one of its rows. Only a superuser may mark a function LEAKPROOF: run by any
other role this migration says so and changes nothing, and the search stays right but slower.

The migration lives here because pg_trgm is created in providers.0003.
"""

import sys

from django.db import migrations

# What the search compiles to (shortbreaks.search.trigram_search): `name %> word` is
# word_similarity_commutator_op; `icontains` is `UPPER(col::text) LIKE UPPER(...)` (upper and
# textlike); `contains` is `col::text LIKE ...` (textlike); `iexact` is `UPPER(col::text) =
# UPPER(...)` (upper; texteq is leak-proof already). pg_trgm's function is found through the
# search path, where TrigramExtension created it; the others are PostgreSQL's own.
FUNCTIONS = (
    "word_similarity_commutator_op(text, text)",
    "pg_catalog.upper(text)",
    "pg_catalog.textlike(text, text)",
)


def _superuser(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


def _mark(schema_editor, leakproof: bool) -> None:
    if not _superuser(schema_editor):
        sys.stdout.write(
            "  Not marking the search's functions LEAKPROOF: only a superuser may. The search "
            "still finds the same rows, but under row-level security it reads every row of the "
            "council instead of using its indexes (docs/decisions/0028).\n"
        )
        return
    for function in FUNCTIONS:
        schema_editor.execute(
            f"ALTER FUNCTION {function} {'LEAKPROOF' if leakproof else 'NOT LEAKPROOF'}"
        )


def mark(apps, schema_editor):
    _mark(schema_editor, leakproof=True)


def unmark(apps, schema_editor):
    # PostgreSQL and pg_trgm ship all three as not leak-proof; this puts that back.
    _mark(schema_editor, leakproof=False)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0007_status_changes_and_typed_events"),
    ]

    operations = [migrations.RunPython(mark, unmark, elidable=False)]
