"""Indexes that lead with the council, so a page of a council's list is read from that council's
rows in order (keyset pages: the API's cursor by id, the referral page's by date), never by
walking every council's rows. See docs/decisions/0013-lists-at-national-scale.md.

Built CONCURRENTLY: on tables of millions of rows a plain CREATE INDEX would hold off every
write for as long as it takes, so this migration is not atomic."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("referrals", "0004_parent_account_confirmed_at")]

    operations = [
        AddIndexConcurrently(
            model_name="referral",
            index=models.Index(fields=["council", "id"], name="referral_council_keyset"),
        ),
        AddIndexConcurrently(
            model_name="referral",
            index=models.Index(
                fields=["council", "received_on", "id"], name="referral_council_received"
            ),
        ),
        AddIndexConcurrently(
            model_name="grantapplication",
            index=models.Index(fields=["council", "id"], name="grantapp_council_keyset"),
        ),
        AddIndexConcurrently(
            model_name="assessment",
            index=models.Index(fields=["council", "id"], name="assessment_council_keyset"),
        ),
        AddIndexConcurrently(
            model_name="package",
            index=models.Index(fields=["council", "id"], name="package_council_keyset"),
        ),
        AddIndexConcurrently(
            model_name="paneldecision",
            index=models.Index(fields=["council", "id"], name="paneldecision_council_keyset"),
        ),
        AddIndexConcurrently(
            model_name="review",
            index=models.Index(fields=["council", "id"], name="review_council_keyset"),
        ),
    ]
