"""A published statement's body, as HTML, kept in the cache.

A published version's content is frozen, and its body (a table row for each of hundreds of
services, for a big council) is the same for every reader: the public page, an earlier version's
page and the staff preview show it as rendered once. It is kept under a key of the version and its
last change, so an edit (its review date, say) starts a new one.

A parent carer should never wait for it to be rendered. Publishing renders the new version's body
once the publication has committed, and the daily task `statements.keep_published_bodies` keeps
each council's published body in the cache for another `STATEMENT_BODY_CACHE_SECONDS`, rendering
any the cache has lost (after Redis restarts, say). Only a page read between those and a loss
renders one itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from shortbreaks import rls
from shortbreaks.councils.models import Council
from statements.content import build_content
from statements.models import StatementStatus, StatementVersion

TEMPLATE = "statements/_statement_body.html"


def cache_key(version: StatementVersion) -> str:
    return f"statement-body:{version.pk}:{version.updated_at.isoformat()}"


def _render(version: StatementVersion) -> str:
    # A version read without its frozen content (the public pages' selector) loads it here.
    return render_to_string(TEMPLATE, {"content": build_content(version)})


def _keep(key: str, html: str) -> None:
    cache.set(key, html, settings.STATEMENT_BODY_CACHE_SECONDS)


def published_body(version: StatementVersion) -> SafeString:
    """A frozen version's body: from the cache, or rendered and kept there."""
    key = cache_key(version)
    html = cache.get(key)
    if html is None:
        html = _render(version)
        _keep(key, html)
    # The template escaped every value as it rendered them.
    return mark_safe(html)  # noqa: S308


def body_keep(version: StatementVersion) -> bool:
    """Keep the version's body in the cache for another spell; True if it had to be rendered."""
    key = cache_key(version)
    if cache.touch(key, settings.STATEMENT_BODY_CACHE_SECONDS):
        return False
    _keep(key, _render(version))
    return True


def version_body_keep(version_id: int) -> bool:
    """The published version's body kept (in the council scope the caller is in); False when it
    is not published (superseded meanwhile, or another council's)."""
    version = (
        StatementVersion.objects.filter(pk=version_id, status=StatementStatus.PUBLISHED)
        .select_related("council")
        .first()
    )
    return version is not None and body_keep(version)


def body_queue(version: StatementVersion) -> None:
    """Render the version's body once the caller's transaction commits (by a worker)."""
    from statements.tasks import keep_body

    version_id = version.pk
    transaction.on_commit(lambda: keep_body.delay(version_id))


def published_bodies_keep() -> int:
    """Every council's published statement's body kept, each read in its council's scope (the
    daily task). How many had to be rendered."""
    rendered = 0
    for council_id in Council.objects.order_by("pk").values_list("pk", flat=True):
        with rls.council_scope(council_id):
            version = (
                StatementVersion.objects.for_council(council_id)
                .filter(status=StatementStatus.PUBLISHED)
                .select_related("council")
                .first()
            )
            if version is not None:
                rendered += body_keep(version)
    return rendered
