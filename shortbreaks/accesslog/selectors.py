from django.db.models import QuerySet

from shortbreaks.accesslog.models import AccessLogEntry


def access_log_list(*, actor) -> QuerySet[AccessLogEntry]:
    """The actor's active council's log. Never another council's rows."""
    if not actor.is_authenticated or actor.active_council_id is None:
        return AccessLogEntry.objects.none()
    return AccessLogEntry.objects.filter(council_id=actor.active_council_id).select_related(
        "council"
    )
