"""Records as they stood: history rows written by triggers (django-pghistory) for each change of
a recommendation's status and of a contract's status, end date and total value (the contract's
triggers are added by contracts' migration that follows this one).

Each record that exists now gets one "baseline" row with its values at the time of this
migration, so a pack "as at" any later date reads every record from the history. For an earlier
"as at" date there is no row, and the pack works the state out from the records' events.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models
from django.utils import timezone


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): the baseline is written
    across every council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def write_baseline(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    ContractHistory = apps.get_model("audits", "ContractHistory")
    Recommendation = apps.get_model("audits", "Recommendation")
    RecommendationHistory = apps.get_model("audits", "RecommendationHistory")
    now = timezone.now()
    with _every_council(schema_editor):
        ContractHistory.objects.bulk_create(
            ContractHistory(
                pgh_created_at=now,
                pgh_label="baseline",
                pgh_obj_id=row["id"],
                council_id=row["council_id"],
                status=row["status"],
                end_date=row["end_date"],
                total_value=row["total_value"],
            )
            for row in Contract.objects.values(
                "id", "council_id", "status", "end_date", "total_value"
            ).iterator()
        )
        RecommendationHistory.objects.bulk_create(
            RecommendationHistory(
                pgh_created_at=now,
                pgh_label="baseline",
                pgh_obj_id=row["id"],
                council_id=row["council_id"],
                status=row["status"],
                status_date=row["status_date"],
            )
            for row in Recommendation.objects.values(
                "id", "council_id", "status", "status_date"
            ).iterator()
        )


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0004_recommendation_status_declared'),
        ('contracts', '0009_status_changes_declared'),
        ('councils', '0006_council_dfe_la_number'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContractHistory',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('active', 'Active'), ('extended', 'Extended'), ('expired', 'Expired'), ('terminated', 'Terminated')], default='draft', max_length=20)),
                ('end_date', models.DateField()),
                ('total_value', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='RecommendationHistory',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('complete', 'Complete')], default='open', max_length=20)),
                ('status_date', models.DateField()),
            ],
            options={
                'abstract': False,
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recommendation',
            trigger=pgtrigger.compiler.Trigger(name='as_at_recorded', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "audits_recommendationhistory" ("council_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "status_date") VALUES (NEW."council_id", NOW(), \'recorded\', NEW."id", NEW."status", NEW."status_date"); RETURN NULL;', hash='2382c35d61c347b984f0eb1b4ba96451f517236d', operation='INSERT', pgid='pgtrigger_as_at_recorded_11a8a', table='audits_recommendation', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='recommendation',
            trigger=pgtrigger.compiler.Trigger(name='as_at_changed', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."council_id" IS DISTINCT FROM (NEW."council_id") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."status_date" IS DISTINCT FROM (NEW."status_date"))', func='INSERT INTO "audits_recommendationhistory" ("council_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "status_date") VALUES (NEW."council_id", NOW(), \'changed\', NEW."id", NEW."status", NEW."status_date"); RETURN NULL;', hash='794d50c0a1bf7836fdc18652433d985157482a19', operation='UPDATE', pgid='pgtrigger_as_at_changed_f4a19', table='audits_recommendation', when='AFTER')),
        ),
        migrations.AddField(
            model_name='contracthistory',
            name='council',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='councils.council'),
        ),
        migrations.AddField(
            model_name='contracthistory',
            name='pgh_obj',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contracts.contract'),
        ),
        migrations.AddField(
            model_name='recommendationhistory',
            name='council',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='councils.council'),
        ),
        migrations.AddField(
            model_name='recommendationhistory',
            name='pgh_obj',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='audits.recommendation'),
        ),
        migrations.AddIndex(
            model_name='contracthistory',
            index=models.Index(fields=['pgh_obj', 'pgh_created_at'], name='contracthistory_as_at'),
        ),
        migrations.AddIndex(
            model_name='recommendationhistory',
            index=models.Index(fields=['pgh_obj', 'pgh_created_at'], name='recommendationhistory_as_at'),
        ),
        migrations.RunPython(write_baseline, migrations.RunPython.noop),
    ]
