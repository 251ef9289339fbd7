"""pg_trgm, and GIN trigram indexes for searching providers by name and services by title.

The extension is created here, in the first app whose search needs it; the contracts and
referrals search migrations depend on this one.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0002_service_ratios_when_optional"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="provider",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name"], name="provider_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="service",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title"], name="service_title_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
