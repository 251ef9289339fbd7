"""A version's history rows become typed events: a kind with choices and structured params. Rows
written before keep their sentence as params["text"] (shown as it was), and get the kind their
sentence names."""

import django.core.serializers.json
from django.db import migrations, models


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): this is work across every
    council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def keep_sentences(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            """
            UPDATE statements_statementevent
               SET params = jsonb_build_object('text', summary),
                   kind = CASE
                       WHEN summary LIKE 'Draft created from version %%' THEN 'copied'
                       WHEN summary LIKE 'Draft created%%' THEN 'created'
                       WHEN summary LIKE 'Out for consultation%%' THEN 'consultation_started'
                       WHEN summary LIKE 'Published before its consultation closed%%'
                           THEN 'published_early'
                       WHEN summary LIKE 'Published%%' THEN 'published'
                       WHEN summary LIKE 'Superseded%%' THEN 'superseded'
                       WHEN summary LIKE 'Review date set%%' THEN 'review_date_set'
                       WHEN summary LIKE 'Views received%%' THEN 'views_received'
                       ELSE 'changed'
                   END
            """
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE statements_statementevent SET summary = COALESCE(params->>'text', '')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0002_statement_status_as_fsm_field"),
    ]

    operations = [
        migrations.AddField(
            model_name="statementevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.AddField(
            model_name="statementevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Draft created"),
                    ("copied", "Draft created from an earlier version"),
                    ("changed", "Sections changed"),
                    ("consultation_started", "Out for consultation"),
                    ("published_early", "Published before its consultation closed"),
                    ("published", "Published"),
                    ("superseded", "Superseded"),
                    ("review_date_set", "Review date set"),
                    ("views_received", "Views received from a carer"),
                ],
                default="changed",
                max_length=30,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        # Going back, the column comes back empty before `sentences_back` fills it.
        migrations.AlterField(
            model_name="statementevent",
            name="summary",
            field=models.CharField(default="", max_length=300),
        ),
        migrations.RemoveField(
            model_name="statementevent",
            name="summary",
        ),
    ]
