"""An assessment's steps, a child record's merges and a carer's account links become typed
events: structured params instead of stored sentences. Rows written before keep their sentence as
params["text"], shown as it was."""

import django.core.serializers.json
from django.db import migrations, models

TABLES = ("referrals_assessmentevent", "referrals_childevent", "referrals_careraccountevent")
MODELS = ("assessmentevent", "childevent", "careraccountevent")


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): this is work across every
    council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def keep_sentences(apps, schema_editor):
    with _every_council(schema_editor):
        for table in TABLES:
            schema_editor.execute(
                f"UPDATE {table} SET params = jsonb_build_object('text', summary)"  # noqa: S608
            )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        for table in TABLES:
            schema_editor.execute(
                f"UPDATE {table} SET summary = COALESCE(params->>'text', '')"  # noqa: S608
            )


def _params(model_name):
    return migrations.AddField(
        model_name=model_name,
        name="params",
        field=models.JSONField(
            blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
        ),
    )


def _summary_back(model_name):
    # Going back, the column comes back empty before `sentences_back` fills it.
    return migrations.AlterField(
        model_name=model_name, name="summary", field=models.TextField(default="")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0010_status_changes_declared"),
    ]

    operations = [
        *[_params(name) for name in MODELS],
        migrations.AlterField(
            model_name="assessmentevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("started", "Started"),
                    ("factors", "Factors identified"),
                    ("completed", "Completed"),
                    ("returned", "Returned"),
                    ("authorised", "Authorised"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        *[_summary_back(name) for name in MODELS],
        *[migrations.RemoveField(model_name=name, name="summary") for name in MODELS],
    ]
