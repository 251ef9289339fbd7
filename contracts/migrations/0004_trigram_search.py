"""GIN trigram indexes for searching contracts by title and reference (pg_trgm comes from
providers.0003)."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_contract_documents"),
        ("providers", "0003_trigram_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contract",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title"], name="contract_title_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="contract",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("reference"), name="gin_trgm_ops"
                ),
                name="contract_reference_trgm",
            ),
        ),
    ]
