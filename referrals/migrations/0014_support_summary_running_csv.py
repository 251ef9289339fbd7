from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0013_child_exact_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportsummary",
            name="running_csv",
            field=models.TextField(
                blank=True,
                default="",
                help_text="`running` as the CSV download gives it, small numbers withheld; "
                "empty for a summary worked out before it was kept.",
            ),
        ),
    ]
