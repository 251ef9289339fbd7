"""The second lock: PostgreSQL row-level security on every council-owned table.

Selectors scope every read to the actor's council (the first lock). Beneath them, each table
that holds a council's records has row-level security enabled and forced, with policies that
read the council set for the connection. With no council set, those tables show no rows and
take no writes. See docs/decisions/0009-row-level-security.md.

Who sets the council:
- pages: `shortbreaks.middleware.CouncilScopeMiddleware`, from the signed-in person's council;
- the API: the authentication classes (shortbreaks.councils.authentication), once a token or
  session has said who is asking;
- Celery tasks: a task sent inside a scope carries that council in its headers and runs in it
  (shortbreaks.celery); a task sent with none, such as a beat task, sees nothing until it opens
  `council_scope()` for each council it works on;
- public pages: the middleware again, with the council their address names, in public mode
  (published records only);
- system work (the demo seed, migrations, checks across every council): `all_councils()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from django.db import connections
from psycopg import sql
from psycopg.pq import TransactionStatus

# The settings the policies read, one value per connection.
COUNCIL = "shortbreaks.council"
ALL = "shortbreaks.all_councils"
PUBLIC = "shortbreaks.public"
USER = "shortbreaks.user"
SETTINGS = (COUNCIL, ALL, PUBLIC, USER)

NOTHING = dict.fromkeys(SETTINGS, "")


def scope_values(
    *,
    council_id: int | None = None,
    everything: bool = False,
    public: bool = False,
    user_id: int | None = None,
) -> dict[str, str]:
    return {
        COUNCIL: str(int(council_id)) if council_id is not None else "",
        ALL: "on" if everything else "",
        PUBLIC: "on" if public else "",
        USER: str(int(user_id)) if user_id is not None else "",
    }


def _raw(using: str):
    """The driver's own connection: the scope is set on it directly, as the connection's own
    state, and is not one of the view's queries (the pinned query counts stay the view's)."""
    connection = connections[using]
    connection.ensure_connection()
    return connection.connection


def current(using: str = "default") -> dict[str, str]:
    with _raw(using).cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("coalesce(current_setting(%s, true), '')" for _ in SETTINGS),
            list(SETTINGS),
        )
        return dict(zip(SETTINGS, cursor.fetchone(), strict=True))


def set_scope(values: dict[str, str], using: str = "default") -> dict[str, str]:
    """Set the connection's scope; returns the one it replaces, in the same round trip."""
    with _raw(using).cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                "coalesce(current_setting(%s, true), ''), set_config(%s, %s, false)"
                for _ in SETTINGS
            ),
            [item for name in SETTINGS for item in (name, name, values[name])],
        )
        row = cursor.fetchone()
    return {name: row[2 * index] for index, name in enumerate(SETTINGS)}


def restore(previous: dict[str, str], using: str = "default") -> None:
    """Put back a scope, unless the connection has gone (a new one starts with none)."""
    connection = connections[using]
    raw = connection.connection
    if raw is None or raw.closed:
        return
    if raw.info.transaction_status == TransactionStatus.INERROR:
        # The transaction has failed; its rollback undoes whatever was set inside it, and
        # whoever opened it puts back their own scope after.
        return
    set_scope(previous, using)


def reset_by_pool(using: str = "default") -> bool:
    """Whether the connection goes back to a pool that resets it when the request ends
    (shortbreaks/db_pool.py: the web processes'), which puts back no council at all."""
    return bool(connections[using].settings_dict.get("OPTIONS", {}).get("pool"))


@contextmanager
def scope(values: dict[str, str], using: str = "default") -> Iterator[None]:
    previous = set_scope(values, using)
    try:
        yield
    finally:
        restore(previous, using)


def for_person(user, *, council_id: int | None = None, public: bool = False) -> dict[str, str]:
    """The scope of a request by this person: their active council (staff), an external
    auditor's council, or `council_id` when the page names one (public pages, parents' pages)."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    if council_id is None and user_id is not None and user.is_active:
        council_id = user.active_council_id or _external_auditor_council(user_id)
    return scope_values(council_id=council_id, public=public, user_id=user_id)


def set_user(user, using: str = "default") -> None:
    """Someone has just signed in: show them their own rows (OWN_ROWS), keeping the council."""
    with _raw(using).cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [USER, str(int(user.pk))])


def council_id_for_slug(slug: str) -> int | None:
    """The id of the council a page's address names (councils are not council-owned rows)."""
    with _raw("default").cursor() as cursor:
        cursor.execute("SELECT id FROM councils_council WHERE slug = %s", [slug])
        row = cursor.fetchone()
    return row[0] if row else None


def _external_auditor_council(user_id: int) -> int | None:
    """The council an external auditor audits (their own row is theirs to read: OWN_ROWS)."""
    with scope(scope_values(user_id=user_id)), _raw("default").cursor() as cursor:
        cursor.execute(
            "SELECT council_id FROM audits_externalauditor "
            "WHERE user_id = %s AND activated_at IS NOT NULL",
            [user_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def council_scope(council, using: str = "default"):
    """Work on one council's records: `with council_scope(council): ...` (a Council or its id)."""
    council_id = getattr(council, "pk", council)
    return scope(scope_values(council_id=council_id), using)


def all_councils(using: str = "default"):
    """System work across every council: the demo seed, data checks, the daily jobs' loops."""
    return scope(scope_values(everything=True), using)


def no_scope(using: str = "default"):
    return scope(dict(NOTHING), using)


def each_council(work, **kwargs) -> list:
    """Run `work(**kwargs)` once per council, inside that council's scope: how a beat task (sent
    with no council) does its daily round. Returns each council's result, in council order."""
    from shortbreaks.councils.models import Council

    results = []
    for council_id in Council.objects.order_by("pk").values_list("pk", flat=True):
        with council_scope(council_id):
            results.append(work(**kwargs))
    return results


# ----------------------------------------------------------------------------------------------
# The policies. Applied after every `migrate` (shortbreaks.apps), by the role that owns the tables.

# Every table with a `council` foreign key is locked, found by walking the models, so a new model is
# locked from its first migration. (The access log's chain heads hold a council's id as a plain
# number, and hashes only: the insert trigger keeps them as the owner.)

# Rows a person sees of their own, whatever council is set: the councils they can switch to, and
# an external auditor's own account and grants (which tell the middleware which council they see),
# and a parent carer's own account (which says which council's pages are theirs).
OWN_ROWS = {
    "councils.membership": "user_id",
    "audits.externalauditor": "user_id",
    "audits.evidencepackgrant": "user_id",
    "referrals.parentaccount": "user_id",
}

# What the public pages (statement, directory, Open Referral) may read, as a condition on the row;
# in public mode every other council-owned table shows nothing.
PUBLIC_ROWS = {
    "statements.statementversion": "status IN ('published', 'superseded', 'consultation')",
    "providers.provider": "status = 'active'",
    "providers.service": (
        "provider_id IN (SELECT p.id FROM providers_provider p WHERE p.status = 'active')"
    ),
    # Where and when those services run (the directory and Open Referral publish them).
    "providers.location": (
        "provider_id IN (SELECT p.id FROM providers_provider p WHERE p.status = 'active')"
    ),
    "providers.servicelocation": (
        "service_id IN (SELECT s.id FROM providers_service s JOIN providers_provider p "
        "ON p.id = s.provider_id WHERE p.status = 'active')"
    ),
    "providers.serviceschedule": (
        "service_id IN (SELECT s.id FROM providers_service s JOIN providers_provider p "
        "ON p.id = s.provider_id WHERE p.status = 'active')"
    ),
    # The statement's PDF, once published.
    "documents.documentjob": (
        "id IN (SELECT v.pdf_job_id FROM statements_statementversion v "
        "WHERE v.status IN ('published', 'superseded'))"
    ),
}

# The access log takes every row it is given (a refusal is logged after its request rolled back,
# whatever scope that request had), and shows each council only its own.
INSERT_ANY = {"accesslog.accesslogentry"}

FUNCTIONS = """
CREATE OR REPLACE FUNCTION shortbreaks_council() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('shortbreaks.council', true), '')::bigint $$;
CREATE OR REPLACE FUNCTION shortbreaks_all_councils() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('shortbreaks.all_councils', true), '') = 'on' $$;
CREATE OR REPLACE FUNCTION shortbreaks_public() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('shortbreaks.public', true), '') = 'on' $$;
CREATE OR REPLACE FUNCTION shortbreaks_user() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('shortbreaks.user', true), '')::bigint $$;
DO $$ BEGIN
    -- Equality whose estimate is that of `<>` (nearly every row): see policy_statements.
    CREATE OPERATOR public.#= (
        LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = int8eq, RESTRICT = neqsel
    );
EXCEPTION WHEN duplicate_function OR duplicate_object THEN NULL; END $$;
"""

POLICY_PREFIX = "shortbreaks_"


def council_owned_models() -> list:
    """Every model whose table holds one council's rows (a `council` foreign key to Council),
    auto-created many-to-many tables included."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    from shortbreaks.councils.models import Council

    found = []
    for model in apps.get_models(include_auto_created=True):
        try:
            field = model._meta.get_field("council")
        except FieldDoesNotExist:
            continue
        if field.concrete and field.is_relation and field.related_model is Council:
            found.append(model)
    return found


def policy_statements(model) -> list[str]:
    """The SQL that locks one table: row-level security on and forced, and its policies."""
    label = model._meta.label_lower
    table = model._meta.db_table
    column = model._meta.get_field("council").column
    # `#=` is `=` estimated as nearly always true (docs/decisions/0016): the query's own
    # `council_id = N` says how many rows to expect, and the policy does not say it again. The
    # settings are read once a query (each a one-row subquery), not once a row.
    mine = (
        f"({column} OPERATOR(public.#=) (SELECT shortbreaks_council()) "
        "OR (SELECT shortbreaks_all_councils()))"
    )
    statements = [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
    ]
    if label in INSERT_ANY:
        statements += [
            f'CREATE POLICY {POLICY_PREFIX}council_read ON "{table}" FOR SELECT USING {mine}',
            f'CREATE POLICY {POLICY_PREFIX}append ON "{table}" FOR INSERT WITH CHECK (true)',
        ]
    else:
        statements.append(
            f'CREATE POLICY {POLICY_PREFIX}council ON "{table}" USING {mine} WITH CHECK {mine}'
        )
    if label in OWN_ROWS:
        statements.append(
            f'CREATE POLICY {POLICY_PREFIX}own ON "{table}" FOR SELECT '
            f"USING ({OWN_ROWS[label]} = shortbreaks_user())"
        )
    for name, condition in WRITE_POLICIES.get(label, {}).items():
        statements.append(
            f'CREATE POLICY {POLICY_PREFIX}{name} ON "{table}" '
            f"USING ({condition}) WITH CHECK ({condition})"
        )
    for name, condition in extra_policies().get(label, {}).items():
        statements.append(
            f'CREATE POLICY {POLICY_PREFIX}{name} ON "{table}" FOR SELECT USING ({condition})'
        )
    public = PUBLIC_ROWS.get(label, "false")
    statements.append(
        f'CREATE POLICY {POLICY_PREFIX}public ON "{table}" AS RESTRICTIVE FOR SELECT '
        f"USING (NOT shortbreaks_public() OR ({public}))"
    )
    return statements


# Joint contracts, by consent: a council that accepted its invitation reads the contract and what
# its pages show (lots, awards and their providers, extensions, monitoring, spend, documents, the
# other participants); the lead council keeps its invitations to other councils. The accepted
# contracts come from a function that reads the invitations as their owner, so the policies on the
# invitations themselves need not read them again (PostgreSQL refuses a policy that recurses).
#
# Each policy asks for its rows' ids in an array made once a query (`= ANY(ARRAY(...))`, an
# initial plan), never `IN (subquery)`: PostgreSQL costs a subquery's hash as if it were built
# again for each row a nested loop looks up, so every join into these tables (a package line to
# its service, a lot to its services, an award to its provider) read every council's rows and
# hashed them rather than look up the few it needed (docs/decisions/0031). The rows are the same.
JOINT_FUNCTION = """
CREATE OR REPLACE FUNCTION shortbreaks_joint_contracts() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
    AS $$ SELECT contract_id FROM contracts_contractparticipation
           WHERE council_id = shortbreaks_council() AND status = 'accepted' $$;
"""
JOINT_CONTRACTS = "SELECT shortbreaks_joint_contracts()"


def _among(column: str, ids_query: str) -> str:
    """`column` is one of the ids `ids_query` gives, asked once a query."""
    return f"{column} = ANY(ARRAY({ids_query}))"


def extra_policies() -> dict[str, dict[str, str]]:
    """Further rows a council reads of another's: joint contracts it accepted."""
    lots = f"SELECT l.id FROM contracts_lot l WHERE {_among('l.contract_id', JOINT_CONTRACTS)}"
    return {
        "contracts.contract": {"joint": _among("id", JOINT_CONTRACTS)},
        **{
            label: {"joint": _among("contract_id", JOINT_CONTRACTS)}
            for label in (
                "contracts.lot",
                "contracts.extension",
                "contracts.contractevent",
                "contracts.contractdocument",
                "contracts.monitoringrecord",
                "contracts.contractspend",
                "contracts.contractparticipation",
            )
        },
        "contracts.award": {"joint": _among("lot_id", lots)},
        "contracts.extensionapproval": {
            "joint": _among(
                "extension_id",
                "SELECT e.id FROM contracts_extension e "
                f"WHERE {_among('e.contract_id', JOINT_CONTRACTS)}",
            )
        },
        "contracts.dps": {
            "joint": _among(
                "id",
                "SELECT c.dps_id FROM contracts_contract c "
                f"WHERE {_among('c.id', JOINT_CONTRACTS)}",
            )
        },
        "providers.provider": {
            "joint": _among(
                "id",
                f"SELECT a.provider_id FROM contracts_award a WHERE {_among('a.lot_id', lots)}",
            )
        },
        "providers.service": {
            "joint": _among(
                "id",
                "SELECT ls.service_id FROM contracts_lot_services ls "
                f"WHERE {_among('ls.lot_id', lots)}",
            )
        },
    }


# Policies for every command beyond the council's own: the lead council makes, changes and
# withdraws its invitations, whose rows belong to the invited council.
WRITE_POLICIES = {
    "contracts.contractparticipation": {"lead": "lead_council_id = shortbreaks_council()"},
}


def apply(using: str = "default", *, app_role: str | None = None) -> None:
    """Lock every council-owned table (idempotent: each run drops and remakes the policies) and
    grant the application's role what it needs. Run by the tables' owner, after `migrate`."""
    from django.conf import settings
    from django.db import transaction

    from shortbreaks.accesslog.database import grant_append_only

    password, login = None, False
    if settings.DATABASE_APP_URL:
        app_url = urlsplit(settings.DATABASE_APP_URL)
        app_role = app_role or unquote(app_url.username or "")
        password, login = (unquote(app_url.password) if app_url.password else None), True
    app_role = app_role or settings.DATABASE_APP_ROLE
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute(JOINT_FUNCTION)
        _ensure_role(cursor, app_role, password=password, login=login)
        cursor.execute(
            """SELECT p.policyname, p.tablename FROM pg_policies p
                WHERE p.schemaname = current_schema() AND p.policyname LIKE %s""",
            [POLICY_PREFIX + "%"],
        )
        for name, table in cursor.fetchall():
            cursor.execute(
                sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(name), sql.Identifier(table))
            )
        for model in council_owned_models():
            for statement in policy_statements(model):
                cursor.execute(statement)
        role = sql.Identifier(app_role)
        cursor.execute(
            sql.SQL(
                "GRANT USAGE ON SCHEMA public TO {role};"
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};"
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};"
            ).format(role=role)
        )
    grant_append_only(app_role, using=using)


def _ensure_role(cursor, role: str, password: str | None = None, login: bool = False) -> None:
    """Make the application's role if it is missing and the owner may: never superuser, never
    BYPASSRLS, owning nothing. It may sign in (LOGIN, with the password of DATABASE_APP_URL) when
    the deployment gives its URL; the test suite's role only ever takes over a session."""
    cursor.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [role])
    found = cursor.fetchone()
    cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    may = cursor.fetchone()[0]
    options = "LOGIN" if login else "NOLOGIN"
    if password:
        cursor.execute("SELECT quote_literal(%s)", [password])
        options += " PASSWORD " + cursor.fetchone()[0]
    if found:
        if login and may and not found[0]:
            # made earlier for the test suite, which never signs in with it
            cursor.execute(sql.SQL("ALTER ROLE {} " + options).format(sql.Identifier(role)))
        return
    if not may:
        raise RuntimeError(f"The database role {role!r} is missing; create it, then migrate.")
    # Two test databases migrating at once may both try; the second finds it made.
    cursor.execute(
        "DO $$ BEGIN EXECUTE format('CREATE ROLE %%I NOSUPERUSER NOBYPASSRLS NOCREATEDB "
        "NOCREATEROLE " + options.replace("%", "%%").replace("'", "''") + "', %s); "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
        [role],
    )


def role_can_bypass(using: str = "default") -> list[str]:
    """Why the connection's role could read past the policies (empty when it cannot)."""
    problems = []
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        name, superuser, bypass = cursor.fetchone()
        if superuser:
            problems.append(f"the database role {name} is a superuser")
        if bypass:
            problems.append(f"the database role {name} has BYPASSRLS")
        # A role it may take (SET ROLE) is as good as its own.
        cursor.execute(
            "SELECT rolname FROM pg_roles WHERE rolname <> current_user "
            "AND (rolsuper OR rolbypassrls) AND pg_has_role(current_user, oid, 'MEMBER')"
        )
        for (other,) in cursor.fetchall():
            problems.append(f"the database role {name} may become {other}, which bypasses them")
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner = current_user"
        )
        owned = cursor.fetchone()[0]
        if owned:
            problems.append(
                f"the database role {name} owns {owned} tables (policies bind owners "
                "only when forced, and an owner can turn them off)"
            )
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = ANY(%s) "
            "AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
            [[m._meta.db_table for m in council_owned_models()]],
        )
        unlocked = [name for (name,) in cursor.fetchall()]
        if unlocked:
            problems.append("row-level security is off on " + ", ".join(sorted(unlocked)))
    return problems


def current_if_connected(using: str = "default") -> dict[str, str]:
    """The scope, if this thread has a database connection open (else none: a process that
    never touched the database has no council to pass on)."""
    connection = connections[using]
    if connection.connection is None or connection.connection.closed:
        return dict(NOTHING)
    if connection.connection.info.transaction_status == TransactionStatus.INERROR:
        return dict(NOTHING)
    return current(using)
