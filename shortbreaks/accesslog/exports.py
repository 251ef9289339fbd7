"""The access log as CSV and Excel, for the page and the API (shortbreaks.exports). A download
of the log is itself a row in the log, as every export is. Each row keeps its place in the
council's hash chain (`seq`, `hash`), so a copy can be checked against the log later."""

from shortbreaks.accesslog.services import LIST_ACTIONS, listing
from shortbreaks.exports import Column, Export


def _action(entry) -> str:
    return LIST_ACTIONS.get(entry.action) or entry.get_action_display()


def _ids(entry) -> str:
    found = listing(entry)
    if found is None:
        return ""
    more = f" and {found.unrecorded} more not recorded" if found.unrecorded else ""
    return ", ".join(str(pk) for pk in found.ids) + more


def _filters(entry) -> str:
    found = listing(entry)
    if found is None:
        return ""
    return "; ".join(f"{name}: {value}" for name, value in found.filters)


ACCESS_LOG = Export(
    name="access-log",
    object_type="accesslog.accesslogentry",
    columns=(
        Column("Entry", "pk"),
        Column("When", "at"),
        Column("Who", "username"),
        Column("Roles", "roles"),
        Column("Action", _action),
        Column("Record type", "object_type"),
        Column("Record", "object_id"),
        Column("Ids listed", _ids),
        Column("Filters", _filters),
        Column("From", "ip_address"),
        Column("Address", "path"),
        Column("Outcome", "get_outcome_display"),
        Column("Chain position", "seq"),
        Column("Hash", "hash"),
    ),
)
