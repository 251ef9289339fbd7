"""The children search's trigram indexes lead with the council.

A GIN index holds a bigint's `=` through btree_gin (an extension PostgreSQL trusts, so the
tables' owner may create it), so the council and the search's trigrams are looked up in the one
index: a search reads the candidates among the council's children alone, not among the
country's ("smith" has about 10,000 candidates across the country and a few dozen in a council).
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models


def _by_council(name, column):
    return django.contrib.postgres.indexes.GinIndex(
        models.F("council"),
        django.contrib.postgres.indexes.OpClass(column, name="gin_trgm_ops"),
        name=name,
    )


INDEXES = {
    "child_first_name_trgm": models.F("first_name"),
    "child_last_name_trgm": models.F("last_name"),
    "child_nhs_number_trgm": models.F("nhs_number"),
    "child_child_id_trgm": django.db.models.functions.text.Upper("council_child_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0006_council_dfe_la_number"),
        ("referrals", "0016_child_keyworker_statistics"),
    ]

    operations = [
        BtreeGinExtension(),
        *(migrations.RemoveIndex(model_name="child", name=name) for name in INDEXES),
        *(
            migrations.AddIndex(model_name="child", index=_by_council(name, column))
            for name, column in INDEXES.items()
        ),
    ]
