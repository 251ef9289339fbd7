"""A parent account is confirmed by a link emailed to its address before it can sign in. The
accounts made before this could already sign in: they count as confirmed when they were made."""

from django.db import migrations, models


def confirm_existing(apps, schema_editor):
    ParentAccount = apps.get_model("referrals", "ParentAccount")
    ParentAccount.objects.filter(confirmed_at__isnull=True).update(
        confirmed_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_trigram_search")]

    operations = [
        migrations.AddField(
            model_name="parentaccount",
            name="confirmed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the link emailed to the address was followed.",
                null=True,
            ),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
