"""`manage.py check --deploy`: the application's database role must not read past the policies."""

from django.core.checks import Error, Tags, register
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
