"""Thin Celery tasks: each calls one service. Scheduled in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task

from statements import body


@shared_task(name="statements.keep_published_bodies")
def keep_published_bodies() -> int:
    """Daily: every council's published statement's body kept in the cache another spell."""
    return body.published_bodies_keep()


@shared_task(name="statements.keep_body")
def keep_body(version_id: int) -> bool:
    """A version just published: its body rendered before a parent carer asks for it. Runs in
    the council scope it was sent from."""
    return body.version_body_keep(version_id)
