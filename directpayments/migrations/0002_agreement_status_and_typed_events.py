import django.core.serializers.json
from django.db import migrations, models


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): this is work across every
    council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def keep_sentences(apps, schema_editor):
    """Rows written before kinds were typed keep their sentence as params["text"], shown as it
    was."""
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE directpayments_agreementevent SET params = jsonb_build_object('text', summary)"
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE directpayments_agreementevent SET summary = COALESCE(params->>'text', '')"
        )


def mark_ended(apps, schema_editor):
    """An agreement a review ended is ended."""
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE directpayments_agreement SET status = 'ended' WHERE ended_on IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directpayments", "0001_direct_payments"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="status",
            field=models.CharField(
                choices=[("active", "Active"), ("ended", "Ended")], default="active", max_length=10
            ),
        ),
        migrations.RunPython(mark_ended, migrations.RunPython.noop),
        migrations.AddField(
            model_name="agreementevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        migrations.RemoveField(
            model_name="agreementevent",
            name="summary",
        ),
        migrations.AlterField(
            model_name="agreementevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Set up"),
                    ("paid", "Paid"),
                    ("recovered", "Recovered"),
                    ("reviewed", "Reviewed"),
                ],
                max_length=30,
            ),
        ),
    ]
