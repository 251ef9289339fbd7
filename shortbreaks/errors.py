"""Errors every app's services raise, with one meaning each in pages and the API."""


class TransitionNotAllowed(Exception):
    """The record's state forbids this change. Pages show the reason; the API answers 409."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
