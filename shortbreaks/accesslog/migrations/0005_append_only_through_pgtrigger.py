"""UPDATE and DELETE on the access log are refused by the trigger declared on the model
(`AccessLogEntry.Meta.triggers`, django-pgtrigger) instead of the raw one of migrations 0003 and
0004. Same refusal, same sentence, same error code; the new trigger is on the partitioned parent,
so PostgreSQL clones it onto every partition, those made later included, as it did the old one.
Both steps run in one transaction: there is no moment without the protection.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

DROP_RAW = """
DROP TRIGGER accesslog_append_only ON accesslog_accesslogentry;
DROP FUNCTION accesslog_refuse_change();
"""

RAW_AGAIN = """
CREATE OR REPLACE FUNCTION accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accesslog_append_only BEFORE UPDATE OR DELETE ON accesslog_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION accesslog_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accesslog", "0004_chain_and_partitions"),
    ]

    operations = [
        migrations.RunSQL(DROP_RAW, RAW_AGAIN),
        pgtrigger.migrations.AddTrigger(
            model_name="accesslogentry",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func=(
                        "RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP "
                        "USING ERRCODE = 'insufficient_privilege';"
                    ),
                    hash="a2a3ae2b02c71cab1362f0508c1b9bf9bc2dfb5f",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_2245e",
                    table="accesslog_accesslogentry",
                    when="BEFORE",
                ),
            ),
        ),
    ]
