"""Tasks that belong to no app."""

import socket

from celery import shared_task
from django.utils import timezone


@shared_task(name="shortbreaks.ping")
def ping() -> dict:
    """A liveness probe: answers from whichever worker picked it up."""
    return {"worker": socket.gethostname(), "at": timezone.now().isoformat()}
