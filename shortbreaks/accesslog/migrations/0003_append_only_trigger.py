"""The database itself refuses to change or remove access-log rows.

The application already refuses (model, queryset, admin); this is the lock for everything else:
a shell, a script, a bug. TRUNCATE is left to
the database owner (the test runner empties tables with it); the application's own database role
should not hold it in production.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accesslog_append_only
    BEFORE UPDATE OR DELETE ON accesslog_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION accesslog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS accesslog_append_only ON accesslog_accesslogentry;
DROP FUNCTION IF EXISTS accesslog_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("accesslog", "0002_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
