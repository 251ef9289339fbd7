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
            "UPDATE providers_providerevent SET params = jsonb_build_object('text', summary)"
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE providers_providerevent SET summary = COALESCE(params->>'text', '')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0006_provider_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="providerevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        migrations.RemoveField(
            model_name="providerevent",
            name="summary",
        ),
        migrations.AlterField(
            model_name="provider",
            name="status",
            field=models.CharField(
                choices=[("active", "Active"), ("suspended", "Suspended"), ("exited", "Exited")],
                default="active",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="providerevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("changed", "Details changed"),
                    ("status", "Status changed"),
                    ("registration", "Registration recorded"),
                    ("service_added", "Service added"),
                    ("service_changed", "Service changed"),
                    ("times_added", "Times added"),
                    ("times_removed", "Times removed"),
                    ("location_added", "Location added"),
                    ("location_changed", "Location changed"),
                    ("vacancies", "Vacancies updated"),
                ],
                max_length=40,
            ),
        ),
    ]
