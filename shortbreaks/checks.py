"""`manage.py check --deploy`: the application's database role must not read past the policies."""

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def application_role_is_bound(app_configs=None, **kwargs):
    from shortbreaks import rls

    try:
        problems = rls.role_can_bypass()
    except DatabaseError as error:
        return [Error(f"Could not check the database role: {error}", id="shortbreaks.E101")]
    return [
        Error(
            f"Row-level security does not bind the application: {problem}.",
            hint="Connect as the application's role (DATABASE_APP_ROLE) and migrate as the "
            "tables' owner; see docs/decisions/0009-row-level-security.md.",
            id="shortbreaks.E100",
        )
        for problem in problems
    ]


@register(Tags.database, deploy=True)
def search_functions_are_leakproof(app_configs=None, **kwargs):
    """The search is right without the marks, but reads every row of a council: say so. They are
    made by a migration as a superuser, and a dump and restore (or a migration by another role)
    leaves them out."""
    from django.db import connection

    from shortbreaks.search import LEAKPROOF_FUNCTIONS

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "WHERE p.oid = ANY(%s::regprocedure[]) AND NOT p.proleakproof ORDER BY 1",
                [list(LEAKPROOF_FUNCTIONS)],
            )
            leaky = [name for (name,) in cursor.fetchall()]
    except DatabaseError as error:
        return [Warning(f"Could not check the search's functions: {error}", id="shortbreaks.W103")]
    if not leaky:
        return []
    return [
        Warning(
            "The search cannot use its indexes under row-level security: "
            f"{', '.join(leaky)} not LEAKPROOF.",
            hint="As a superuser, in this database: "
            + " ".join(f"ALTER FUNCTION {name} LEAKPROOF;" for name in leaky)
            + " See docs/decisions/0028-leakproof-search-functions.md.",
            id="shortbreaks.W102",
        )
    ]
