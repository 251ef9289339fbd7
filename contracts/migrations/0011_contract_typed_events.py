"""A contract's timeline rows become typed events: a kind with choices and structured params.
Rows written before keep their sentence as params["text"] (shown as it was); a status row also
gets the status its sentence names, which the evidence packs replay."""

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
            UPDATE contracts_contractevent
               SET params = CASE
                       WHEN kind <> 'status' THEN jsonb_build_object('text', summary)
                       WHEN summary LIKE 'Terminated%%'
                           THEN jsonb_build_object('text', summary, 'status', 'terminated')
                       WHEN summary LIKE 'Expired%%'
                           THEN jsonb_build_object('text', summary, 'status', 'expired')
                       ELSE jsonb_build_object('text', summary, 'status', 'active')
                   END
            """
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE contracts_contractevent SET summary = COALESCE(params->>'text', '')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0010_contract_history_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="contractevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.AlterField(
            model_name="contractevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Recorded"),
                    ("changed", "Details changed"),
                    ("status", "Status changed"),
                    ("manager", "Contract manager set"),
                    ("lot", "Lot added"),
                    ("award", "Lot awarded"),
                    ("document", "Document added"),
                    ("extension", "Extension drafted or submitted"),
                    ("approval", "Extension approval recorded"),
                    ("decision", "Extension decided"),
                    ("monitoring", "Monitoring recorded"),
                    ("kpi_return", "KPI return"),
                    ("participants", "Participating councils"),
                    ("block_places", "Block places set"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        # Going back, the column comes back empty before `sentences_back` fills it.
        migrations.AlterField(
            model_name="contractevent",
            name="summary",
            field=models.TextField(default=""),
        ),
        migrations.RemoveField(
            model_name="contractevent",
            name="summary",
        ),
    ]
