"""Indexes that lead with the council for the lists ordered by name or title: the API's keyset
pages and the public directory's pages read one council's rows in order. Built CONCURRENTLY, so
writes go on while they build (the migration is not atomic)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("providers", "0003_trigram_search")]

    operations = [
        AddIndexConcurrently(
            model_name="provider",
            index=models.Index(fields=["council", "name", "id"], name="provider_council_keyset"),
        ),
        AddIndexConcurrently(
            model_name="service",
            index=models.Index(fields=["council", "title", "id"], name="service_council_keyset"),
        ),
    ]
