"""Which roles may do what, as the tests expect it: declared once, here.

The service declares its own rules in shortbreaks/permissions.py; these sets are the tests' own
statement of the same policy, so a change to a rule fails the tests that pin it until this file
agrees. A test parametrizes over `refused(ALLOWED)` for the roles that must get 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from shortbreaks.councils.models import STAFF_ROLES, Role

ALL_ROLES = frozenset(Role.values)
# The council's own people. Provider staff are refused every staff page and endpoint.
STAFF = STAFF_ROLES

# Children's records: social workers and team managers keep them; auditors read them.
CASEWORKERS = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
CHILD_READERS = CASEWORKERS | {Role.AUDITOR}

# Providers and the contracts register: commissioners and contract managers keep them; everyone
# on the staff reads providers; social workers do not need the register.
CONTRACT_MANAGERS = frozenset({Role.COMMISSIONER, Role.CONTRACT_MANAGER})
CONTRACT_READERS = STAFF - {Role.SOCIAL_WORKER}
EXTENSION_DECIDERS = frozenset({Role.COMMISSIONER})
SPEND_READERS = frozenset(
    {Role.COMMISSIONER, Role.CONTRACT_MANAGER, Role.FINANCE_OFFICER, Role.AUDITOR}
)
SPEND_EDITORS = frozenset({Role.FINANCE_OFFICER})

ACCESS_LOG_READERS = frozenset({Role.COUNCIL_ADMIN, Role.TEAM_MANAGER})

# Internal audit: auditors record; commissioners and contract managers own the actions.
AUDIT_READERS = frozenset({Role.AUDITOR, Role.COMMISSIONER, Role.CONTRACT_MANAGER})
AUDIT_MANAGERS = frozenset({Role.AUDITOR})


def refused(allowed: Iterable[str], among: Iterable[str] = STAFF) -> list[str]:
    """The roles of `among` (the staff roles unless told) not in `allowed`, in the order Role
    declares them: the parameters of a test that each of them gets 403."""
    allowed, among = frozenset(allowed), frozenset(among)
    return [role for role in Role.values if role in among and role not in allowed]


# The staff roles that may not open a child's record (403), and those that may not change one.
NOT_CHILD_READERS = refused(CHILD_READERS)
NOT_CASEWORKERS = refused(CASEWORKERS)
