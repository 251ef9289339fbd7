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
            "UPDATE brokerage_brokerageevent SET params = jsonb_build_object('text', summary)"
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE brokerage_brokerageevent SET summary = COALESCE(params->>'text', '')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="brokerageevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        migrations.RemoveField(
            model_name="brokerageevent",
            name="summary",
        ),
        migrations.AlterField(
            model_name="brokerageevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("raised", "Raised"),
                    ("changed", "Requirement changed"),
                    ("sent", "Sent"),
                    ("sent_again", "Sent again"),
                    ("answer", "Answer"),
                    ("awarded", "Awarded"),
                    ("spot", "Spot purchased"),
                    ("withdrawn", "Withdrawn"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="brokeragerequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft: to check"),
                    ("sent", "Sent to providers"),
                    ("awarded", "Awarded"),
                    ("spot_purchased", "Spot purchased"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
    ]
