"""One statement appends a row: `accesslog_append(...)`, an INSERT that returns what the trigger
set, run with every council's rows readable for that statement only.

An INSERT ... RETURNING must be able to read the row it returns, and row-level security reads the
council set on the connection: a refusal is logged after its request rolled back, a public page
has public mode on, and some rows have no council. The model used to set a scope that could read
the row, insert, and put the scope back: three round trips for every row. The function's own SET
clauses do the same for the length of the one call, and PostgreSQL puts the settings back as it
returns. It runs with the caller's rights (not SECURITY DEFINER): the insert policy and grants
bind it as they bind a plain INSERT, and the chain's trigger runs as before.
"""

from django.db import migrations

APPEND = """
CREATE FUNCTION accesslog_append(
    p_at timestamptz, p_council_id bigint, p_user_id bigint, p_username text, p_roles text,
    p_action text, p_object_type text, p_object_id text, p_ip_address inet, p_path text,
    p_outcome text
) RETURNS TABLE (id bigint, seq bigint, prev_hash text, hash text)
    LANGUAGE sql VOLATILE
    SET shortbreaks.all_councils = 'on'
    SET shortbreaks.public = ''
AS $$
    INSERT INTO accesslog_accesslogentry (
        at, council_id, user_id, username, roles, action, object_type, object_id, ip_address,
        path, outcome
    ) VALUES (
        p_at, p_council_id, p_user_id, p_username, p_roles, p_action, p_object_type,
        p_object_id, p_ip_address, p_path, p_outcome
    )
    RETURNING id, seq, prev_hash, hash
$$;
"""

DROP = """
DROP FUNCTION accesslog_append(
    timestamptz, bigint, bigint, text, text, text, text, text, inet, text, text
);
"""


def _pin_search_path(apps, schema_editor):
    """Like the log's other functions, it finds only this schema's tables."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    schema_editor.execute(
        "ALTER FUNCTION accesslog_append("
        "timestamptz, bigint, bigint, text, text, text, text, text, inet, text, text) "
        f"SET search_path = {schema_editor.quote_name(schema)}, pg_catalog, pg_temp"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accesslog", "0005_append_only_through_pgtrigger"),
    ]

    operations = [
        migrations.RunSQL(APPEND, DROP),
        migrations.RunPython(_pin_search_path, migrations.RunPython.noop),
    ]
