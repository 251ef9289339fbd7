import re
from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet

from shortbreaks.accesslog.models import AccessLogEntry


def access_log_list(*, actor) -> QuerySet[AccessLogEntry]:
    """The actor's active council's log. Never another council's rows."""
    if not actor.is_authenticated or actor.active_council_id is None:
        return AccessLogEntry.objects.none()
    return AccessLogEntry.objects.filter(council_id=actor.active_council_id).select_related(
        "council"
    )


# Pages of the log, newest first, by (at, id): the order the (council, at, id) index keeps, so a
# page is read from the index where it starts, however far back, and never counted or skipped to.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TOKEN = re.compile(r"(\d{1,20})\.(\d{1,20})")


def access_log_page_token(entry: AccessLogEntry) -> str:
    """Where the next (older) page starts: just after `entry`. Opaque to the reader."""
    return f"{(entry.at - _EPOCH) // timedelta(microseconds=1)}.{entry.pk}"


def access_log_older_than(entries: QuerySet[AccessLogEntry], token: str | None):
    """`entries` (newest first) after the row a page token names; all of them for no token or a
    token that is not one (an old bookmark, a hand-edited address)."""
    match = _TOKEN.fullmatch(token or "")
    if match is None:
        return entries
    try:
        at = _EPOCH + timedelta(microseconds=int(match[1]))
    except OverflowError:
        return entries
    pk = int(match[2])
    return entries.filter(at__lte=at).exclude(at=at, id__gte=pk)


def access_log_refusals_since(*, actor, day) -> int:
    """How many requests the council's log records as refused from the start of `day` (in the
    service's time zone): a range on `at` that the (council, at) index serves."""
    from django.utils import timezone

    from shortbreaks.accesslog.models import Outcome

    start = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    return access_log_list(actor=actor).filter(outcome=Outcome.REFUSED, at__gte=start).count()
