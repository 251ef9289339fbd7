"""A whole postcode or UPN is searched with `=` on UPPER: btree indexes serve it, where the
trigram indexes did it at a cost the planner priced above reading all of a council's children."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0012_typed_package_and_referral_events"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="child", name="child_postcode_trgm"),
        migrations.RemoveIndex(model_name="child", name="child_upn_trgm"),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                django.db.models.functions.text.Upper("postcode"), name="child_postcode_upper"
            ),
        ),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                django.db.models.functions.text.Upper("upn"), name="child_upn_upper"
            ),
        ),
    ]
