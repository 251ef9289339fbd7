"""Errors every app's services raise, with one meaning each in pages and the API, and the words
both use for a request too big to read."""

from django.conf import settings


class TransitionNotAllowed(Exception):
    """The record's state forbids this change. Pages show the reason; the API answers 409."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def too_big_message() -> str:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: the API's 413 and the error page say the same."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"The request body is too large: send at most {limit / (1024 * 1024):g} MB."
