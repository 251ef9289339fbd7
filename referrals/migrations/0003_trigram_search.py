"""GIN trigram indexes for searching children by name, NHS number, child id, postcode and UPN
(pg_trgm comes from providers.0003)."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


def _upper(field, name):
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.indexes.OpClass(
            django.db.models.functions.text.Upper(field), name="gin_trgm_ops"
        ),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_parent_accounts"),
        ("providers", "0003_trigram_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["first_name"], name="child_first_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="child",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["last_name"], name="child_last_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="child",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["nhs_number"], name="child_nhs_number_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="child", index=_upper("council_child_id", "child_child_id_trgm")
        ),
        migrations.AddIndex(model_name="child", index=_upper("postcode", "child_postcode_trgm")),
        migrations.AddIndex(model_name="child", index=_upper("upn", "child_upn_trgm")),
    ]
