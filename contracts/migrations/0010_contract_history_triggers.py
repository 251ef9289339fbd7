"""Each write of a contract's status, end date or total value is kept as a row of
`audits.ContractHistory` (django-pghistory triggers), which evidence packs read "as at" a date.
The history table is made first, by the audits migration."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0009_status_changes_declared'),
        ('audits', '0005_records_as_they_stood'),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name='contract',
            trigger=pgtrigger.compiler.Trigger(name='as_at_recorded', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "audits_contracthistory" ("council_id", "end_date", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "total_value") VALUES (NEW."council_id", NEW."end_date", NOW(), \'recorded\', NEW."id", NEW."status", NEW."total_value"); RETURN NULL;', hash='01475fe3682e12ef4e1657190877b5274bd871f9', operation='INSERT', pgid='pgtrigger_as_at_recorded_3344b', table='contracts_contract', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='contract',
            trigger=pgtrigger.compiler.Trigger(name='as_at_changed', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."council_id" IS DISTINCT FROM (NEW."council_id") OR OLD."end_date" IS DISTINCT FROM (NEW."end_date") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."total_value" IS DISTINCT FROM (NEW."total_value"))', func='INSERT INTO "audits_contracthistory" ("council_id", "end_date", "pgh_created_at", "pgh_label", "pgh_obj_id", "status", "total_value") VALUES (NEW."council_id", NEW."end_date", NOW(), \'changed\', NEW."id", NEW."status", NEW."total_value"); RETURN NULL;', hash='f282dd99b1cbb225d3dc06da1820ff227c4d4f85', operation='UPDATE', pgid='pgtrigger_as_at_changed_7bcb1', table='contracts_contract', when='AFTER')),
        ),
    ]
