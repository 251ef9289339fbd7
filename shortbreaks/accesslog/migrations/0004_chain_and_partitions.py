"""The access log becomes a hash chain per council, partitioned by month, and refuses TRUNCATE.

Django has no partitioned tables, so the table is rebuilt here in SQL (the model stays managed:
the test runner's flush and Django's own checks see it; the state below keeps the migration
autodetector in step with what this SQL builds). See docs/decisions/0007.

- `accesslog_accesslogentry` is PARTITION BY RANGE (at), one partition per calendar month in the
  service's time zone plus a default partition, so an insert never fails for want of one. The
  primary key is (id, at): a partitioned table's keys must include the partition key. `id` comes
  from a sequence (not an identity column, which PostgreSQL 15 refuses on a partitioned table),
  so it stays unique and Django keeps treating it as the primary key.
- A BEFORE INSERT trigger chains each row: under a transaction-level advisory lock per council
  (rows with no council form one chain of their own) it reads the chain's head (its last row,
  kept in accesslog_accesslogchainhead) and sets `seq` (the row's place in the chain),
  `prev_hash` (that row's hash) and `hash`, SHA-256 over the row's canonical serialisation
  (accesslog_row_hash; the same bytes as shortbreaks.accesslog.chain.canonical, which checks it
  independently), then moves the head on.
- UPDATE and DELETE stay refused (0003's function, on the new table and every partition);
  TRUNCATE is refused too, on the table and on each partition, unless the session has set
  `shortbreaks.allow_truncate = on` (the test settings do, for the test runner's flush).
- `accesslog_create_partitions(first, last, tz)` creates the months between two instants; the
  daily beat task calls it for the months ahead. A month whose rows already fell into the default
  partition is moved out of it into its own partition.
- The rows already logged are copied and chained in id order, each council's chain starting at
  its oldest row.
"""

from django.conf import settings
from django.db import migrations, models

TABLE = "accesslog_accesslogentry"
HEADS = "accesslog_accesslogchainhead"
# The first key of every advisory lock the access log takes ("Alog"); the second is the council.
LOCK_CLASS = 1097625447

# The canonical serialisation: a version line, then one line per field, `name=<length>:<value>`
# (length in characters) or `name=~` for NULL. Timestamps in UTC with microseconds; addresses as
# PostgreSQL prints them.
ROW_HASH = """
CREATE FUNCTION accesslog_field(name text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN name || '=' || CASE WHEN value IS NULL THEN '~'
                               ELSE length(value)::text || ':' || value END || E'\\n';

CREATE FUNCTION accesslog_row_hash(
    p_id bigint, p_seq bigint, p_at timestamptz, p_council_id bigint, p_user_id bigint,
    p_username text, p_roles text, p_action text, p_object_type text, p_object_id text,
    p_ip_address inet, p_path text, p_outcome text, p_prev_hash text
) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN encode(sha256(convert_to(
        'accesslog-v1' || E'\\n'
        || accesslog_field('id', p_id::text)
        || accesslog_field('seq', p_seq::text)
        || accesslog_field('at', to_char(p_at AT TIME ZONE 'UTC',
                                          'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        || accesslog_field('council_id', p_council_id::text)
        || accesslog_field('user_id', p_user_id::text)
        || accesslog_field('username', p_username)
        || accesslog_field('roles', p_roles)
        || accesslog_field('action', p_action)
        || accesslog_field('object_type', p_object_type)
        || accesslog_field('object_id', p_object_id)
        || accesslog_field('ip_address', abbrev(p_ip_address))
        || accesslog_field('path', p_path)
        || accesslog_field('outcome', p_outcome)
        || accesslog_field('prev_hash', p_prev_hash),
        'UTF8')), 'hex');
"""

CHAIN = f"""
CREATE FUNCTION accesslog_chain() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
AS $$
DECLARE
    chain_key bigint := coalesce(NEW.council_id, 0);
    head_seq bigint;
    head_hash text;
BEGIN
    -- Under REPEATABLE READ or SERIALIZABLE the read below would use the transaction's old
    -- snapshot and could miss a row committed since: the chain would fork. Refuse instead.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'access-log rows are appended under READ COMMITTED only'
            USING ERRCODE = 'serialization_failure';
    END IF;
    -- One writer per chain at a time, until its transaction ends. Taken before the read, and
    -- the read takes a fresh snapshot, so it sees the row the previous holder committed.
    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, (chain_key % 2147483647)::integer);
    -- The chain's head: one row, however many partitions the log has.
    SELECT seq, hash INTO head_seq, head_hash FROM {HEADS} WHERE chain = chain_key;
    NEW.seq := coalesce(head_seq, 0) + 1;
    NEW.prev_hash := coalesce(head_hash, repeat('0', 64));
    NEW.hash := accesslog_row_hash(
        NEW.id, NEW.seq, NEW.at, NEW.council_id, NEW.user_id, NEW.username, NEW.roles,
        NEW.action, NEW.object_type, NEW.object_id, NEW.ip_address, NEW.path, NEW.outcome,
        NEW.prev_hash);
    -- Moved on in the same statement: if the insert fails, so does this.
    INSERT INTO {HEADS} (chain, seq, row_id, hash) VALUES (chain_key, NEW.seq, NEW.id, NEW.hash)
        ON CONFLICT (chain) DO UPDATE
        SET seq = EXCLUDED.seq, row_id = EXCLUDED.row_id, hash = EXCLUDED.hash;
    RETURN NEW;
END;
$$;

CREATE FUNCTION accesslog_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF current_setting('shortbreaks.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only a test database empties it, with shortbreaks.allow_truncate = on.';
END;
$$;
"""

PARTITIONS = f"""
CREATE FUNCTION accesslog_create_partitions(
    p_first timestamptz, p_last timestamptz, p_tz text DEFAULT 'Europe/London'
) RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
AS $$
DECLARE
    first_day timestamp := date_trunc('month', p_first AT TIME ZONE p_tz);
    lo timestamptz;
    hi timestamptz;
    part text;
BEGIN
    -- One caller at a time (beat and a deploy's migrate may meet).
    PERFORM pg_advisory_xact_lock({LOCK_CLASS}, -2);
    WHILE first_day <= p_last AT TIME ZONE p_tz LOOP
        lo := first_day AT TIME ZONE p_tz;
        hi := (first_day + interval '1 month') AT TIME ZONE p_tz;
        part := '{TABLE}_p' || to_char(first_day, 'YYYY_MM');
        IF to_regclass(quote_ident(part)) IS NULL THEN
            IF EXISTS (SELECT 1 FROM {TABLE}_default WHERE at >= lo AND at < hi) THEN
                -- Rows for this month fell into the default partition (beat was down): move
                -- them, hashes untouched, into the month's own partition. Detaching drops the
                -- default's copies of the row triggers, so its rows can be removed; the lock
                -- taken on the table holds every writer back until this transaction ends.
                EXECUTE 'ALTER TABLE {TABLE} DETACH PARTITION {TABLE}_default';
                EXECUTE format('CREATE TABLE %I (LIKE {TABLE} INCLUDING DEFAULTS)', part);
                EXECUTE format(
                    'INSERT INTO %I SELECT * FROM {TABLE}_default WHERE at >= $1 AND at < $2',
                    part) USING lo, hi;
                DELETE FROM {TABLE}_default WHERE at >= lo AND at < hi;
                EXECUTE format(
                    'ALTER TABLE {TABLE} ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                    part, lo, hi);
                EXECUTE 'ALTER TABLE {TABLE} ATTACH PARTITION {TABLE}_default DEFAULT';
            ELSE
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF {TABLE} FOR VALUES FROM (%L) TO (%L)',
                    part, lo, hi);
            END IF;
            EXECUTE format('CREATE TRIGGER accesslog_no_truncate BEFORE TRUNCATE ON %I '
                           'FOR EACH STATEMENT EXECUTE FUNCTION accesslog_refuse_truncate()', part);
            RETURN NEXT part;
        END IF;
        first_day := first_day + interval '1 month';
    END LOOP;
END;
$$;
-- Whoever may call it is granted it by name (shortbreaks.accesslog.database).
REVOKE EXECUTE ON FUNCTION accesslog_create_partitions(timestamptz, timestamptz, text) FROM PUBLIC;
"""

TABLE_SQL = """
CREATE SEQUENCE {table}_id_seq;
CREATE TABLE {table} (
    id bigint NOT NULL DEFAULT nextval('{table}_id_seq'),
    at timestamptz NOT NULL,
    username varchar(150) NOT NULL,
    roles varchar(200) NOT NULL,
    action varchar(20) NOT NULL,
    object_type varchar(100) NOT NULL,
    object_id varchar(64) NOT NULL,
    ip_address inet NULL,
    path varchar(500) NOT NULL,
    outcome varchar(20) NOT NULL,
    council_id bigint NULL,
    user_id bigint NULL,
    seq bigint NOT NULL DEFAULT 0,
    prev_hash varchar(64) NOT NULL DEFAULT '',
    hash varchar(64) NOT NULL DEFAULT '',
    CONSTRAINT {table}_pkey PRIMARY KEY (id, at),
    CONSTRAINT {table}_council_id_fk FOREIGN KEY (council_id)
        REFERENCES {council_table} (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT {table}_user_id_fk FOREIGN KEY (user_id)
        REFERENCES {user_table} (id) DEFERRABLE INITIALLY DEFERRED
) PARTITION BY RANGE (at);
ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id;
CREATE TABLE {table}_default PARTITION OF {table} DEFAULT;

CREATE INDEX accesslog_council_at ON {table} (council_id, at DESC, id DESC);
CREATE INDEX accesslog_object ON {table} (council_id, object_type, object_id, at DESC);
CREATE INDEX accesslog_user ON {table} (council_id, user_id, at DESC);
CREATE INDEX accesslog_chain ON {table} (council_id, seq);
CREATE INDEX {table}_at ON {table} (at);
CREATE INDEX {table}_user_id ON {table} (user_id);

CREATE TRIGGER accesslog_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION accesslog_refuse_change();
CREATE TRIGGER accesslog_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION accesslog_refuse_truncate();
CREATE TRIGGER accesslog_no_truncate BEFORE TRUNCATE ON {table}_default
    FOR EACH STATEMENT EXECUTE FUNCTION accesslog_refuse_truncate();
"""

COLUMNS = (
    "id, at, username, roles, action, object_type, object_id, ip_address, path, outcome, "
    "council_id, user_id"
)

# The rows logged so far, chained as the trigger would have chained them had they been inserted
# in id order. In one pass, holding each chain's head in variables: through the trigger, every
# row would rewrite its chain's head row, and in one transaction PostgreSQL keeps every version.
COPY_SQL = """
DO $$
DECLARE
    r record;
    chain_key bigint;
    n bigint;
    prev text;
    h text;
    last_id bigint;
BEGIN
    FOR r IN SELECT * FROM {old} ORDER BY coalesce(council_id, 0), id LOOP
        IF chain_key IS DISTINCT FROM coalesce(r.council_id, 0) THEN
            IF chain_key IS NOT NULL THEN
                INSERT INTO {heads} (chain, seq, row_id, hash) VALUES (chain_key, n, last_id, prev);
            END IF;
            chain_key := coalesce(r.council_id, 0);
            n := 0;
            prev := repeat('0', 64);
        END IF;
        n := n + 1;
        h := accesslog_row_hash(
            r.id, n, r.at, r.council_id, r.user_id, r.username, r.roles, r.action,
            r.object_type, r.object_id, r.ip_address, r.path, r.outcome, prev);
        INSERT INTO {table} ({columns}, seq, prev_hash, hash)
            VALUES (r.id, r.at, r.username, r.roles, r.action, r.object_type, r.object_id,
                    r.ip_address, r.path, r.outcome, r.council_id, r.user_id, n, prev, h);
        prev := h;
        last_id := r.id;
    END LOOP;
    IF chain_key IS NOT NULL THEN
        INSERT INTO {heads} (chain, seq, row_id, hash) VALUES (chain_key, n, last_id, prev);
    END IF;
END;
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS accesslog_create_partitions(timestamptz, timestamptz, text);
DROP FUNCTION IF EXISTS accesslog_chain();
DROP FUNCTION IF EXISTS accesslog_refuse_truncate();
DROP FUNCTION IF EXISTS accesslog_row_hash(
    bigint, bigint, timestamptz, bigint, bigint, text, text, text, text, text, inet, text, text,
    text);
DROP FUNCTION IF EXISTS accesslog_field(text, text);
"""


def _run(schema_editor, sql, params=None):
    # params=None: the SQL holds % signs (format(), modulo) that are not placeholders.
    schema_editor.execute(sql, params)


def _one(schema_editor, sql, params=None):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def forwards(apps, schema_editor):
    old = f"{TABLE}_unpartitioned"
    council_table = apps.get_model("councils", "Council")._meta.db_table
    user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    quote = schema_editor.quote_name
    (schema,) = _one(schema_editor, "SELECT current_schema()")
    (old_seq,) = _one(schema_editor, "SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])

    # The old table steps aside, with the names the new one takes.
    _run(schema_editor, f"ALTER TABLE {TABLE} RENAME TO {old}")
    _run(schema_editor, f"ALTER TABLE {old} RENAME CONSTRAINT {TABLE}_pkey TO {old}_pkey")
    _run(schema_editor, f"ALTER SEQUENCE {old_seq} RENAME TO {old}_id_seq")
    _run(schema_editor, "DROP INDEX accesslog_council_at, accesslog_object, accesslog_user")
    _run(schema_editor, f"DROP TRIGGER accesslog_append_only ON {old}")

    for sql in (ROW_HASH, CHAIN, PARTITIONS):
        _run(schema_editor, sql)
    # The functions that run with their owner's rights find only this schema's tables.
    for function in (
        "accesslog_chain()",
        "accesslog_create_partitions(timestamptz, timestamptz, text)",
    ):
        _run(
            schema_editor,
            f"ALTER FUNCTION {function} SET search_path = {quote(schema)}, pg_catalog, pg_temp",
        )
    _run(
        schema_editor,
        TABLE_SQL.format(
            table=TABLE, council_table=quote(council_table), user_table=quote(user_table)
        ),
    )

    # A partition for every month from the oldest row to three months ahead (or the newest row).
    _run(
        schema_editor,
        f"""SELECT count(*) FROM accesslog_create_partitions(
                coalesce((SELECT min(at) FROM {old}), now()),
                greatest((SELECT max(at) FROM {old}), now() + interval '3 months'),
                %s)""",
        [settings.TIME_ZONE],
    )
    # Every row logged so far, each chain in id order; then the trigger chains every new row.
    _run(schema_editor, COPY_SQL.format(old=old, table=TABLE, heads=HEADS, columns=COLUMNS))
    _run(
        schema_editor,
        f"CREATE TRIGGER accesslog_chain BEFORE INSERT ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION accesslog_chain()",
    )
    _run(schema_editor, f"SELECT setval('{TABLE}_id_seq', last_value, is_called) FROM {old}_id_seq")
    _run(schema_editor, f"DROP TABLE {old}")


def backwards(apps, schema_editor):
    """Back to one plain table (the chain columns are dropped; the rows are kept)."""
    kept = f"{TABLE}_partitioned"
    _run(schema_editor, f"ALTER TABLE {TABLE} RENAME TO {kept}")
    _run(schema_editor, f"ALTER TABLE {kept} RENAME CONSTRAINT {TABLE}_pkey TO {kept}_pkey")
    _run(schema_editor, f"ALTER SEQUENCE {TABLE}_id_seq RENAME TO {kept}_id_seq")
    _run(
        schema_editor,
        "DROP INDEX accesslog_council_at, accesslog_object, accesslog_user, accesslog_chain, "
        f"{TABLE}_at, {TABLE}_user_id",
    )
    # The table as 0003 left it, built by Django from that state (its indexes and foreign keys
    # are created at the end of the migration, after the copy).
    schema_editor.create_model(apps.get_model("accesslog", "AccessLogEntry"))
    _run(schema_editor, f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {kept} ORDER BY id")
    _run(
        schema_editor,
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), last_value, is_called) "
        f"FROM {kept}_id_seq",
    )
    _run(
        schema_editor,
        f"CREATE TRIGGER accesslog_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION accesslog_refuse_change()",
    )
    _run(schema_editor, f"DROP TABLE {kept}")
    _run(schema_editor, DROP_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accesslog", "0003_append_only_trigger"),
        ("councils", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Each chain's newest row, kept by the trigger (made first: the copy below fills it).
        migrations.CreateModel(
            name="AccessLogChainHead",
            fields=[
                ("chain", models.BigIntegerField(primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField()),
                ("row_id", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "access log chain head",
                "default_permissions": (),
            },
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AddField(
                    model_name="accesslogentry",
                    name="seq",
                    field=models.BigIntegerField(db_default=0, editable=False),
                ),
                migrations.AddField(
                    model_name="accesslogentry",
                    name="prev_hash",
                    field=models.CharField(db_default="", editable=False, max_length=64),
                ),
                migrations.AddField(
                    model_name="accesslogentry",
                    name="hash",
                    field=models.CharField(db_default="", editable=False, max_length=64),
                ),
                migrations.RemoveIndex(
                    model_name="accesslogentry",
                    name="accesslog_council_at",
                ),
                migrations.AddIndex(
                    model_name="accesslogentry",
                    index=models.Index(
                        fields=["council", "-at", "-id"], name="accesslog_council_at"
                    ),
                ),
                migrations.AddIndex(
                    model_name="accesslogentry",
                    index=models.Index(fields=["council", "seq"], name="accesslog_chain"),
                ),
            ],
        ),
    ]
