"""A DPS membership's changes become typed events: each row keeps its statuses and reason in
their columns and gains the kind of change it was, the declared step found from the statuses it
moved between."""

import django.core.serializers.json
from django.db import migrations, models


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): this is work across every
    council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def membership_kinds(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            """
            UPDATE contracts_dpsmembershipevent
               SET kind = CASE
                       WHEN to_status = 'under_assessment' THEN 'start_assessment'
                       WHEN to_status = 'approved' AND from_status = 'suspended' THEN 'reinstate'
                       WHEN to_status = 'approved' THEN 'approve'
                       WHEN to_status = 'suspended' THEN 'suspend'
                       WHEN to_status = 'exited' THEN 'exit'
                       ELSE 'applied'
                   END
            """
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0011_contract_typed_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="dpsmembershipevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.AddField(
            model_name="dpsmembershipevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("applied", "Applied"),
                    ("start_assessment", "Assessment started"),
                    ("approve", "Approved"),
                    ("suspend", "Suspended"),
                    ("reinstate", "Reinstated"),
                    ("exit", "Exited"),
                ],
                default="applied",
                max_length=20,
            ),
            preserve_default=False,
        ),
        # Going back, the kind and params columns are dropped: the statuses stay as they were.
        migrations.RunPython(membership_kinds, migrations.RunPython.noop),
    ]
