"""Counting attempts in Django's cache: how many times something was tried in a window.

    if not attempt_allowed("sign-up:ip", address, limit=10, window=timedelta(hours=1)):
        ... answer 429

Each scope and key has a counter that starts at the first attempt and is forgotten when the
window ends (a fixed window). Keys are hashed, so no email address is kept in the cache. The
counts are as shared as the cache is: give several web processes one cache (CACHE_URL) so that
together they allow no more than one would.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.cache import cache


class TooManyAttempts(Exception):
    """Too many attempts in the window: pages and the API answer 429 with `message`."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _cache_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()
    return f"throttle:{scope}:{digest}"


def attempt_allowed(scope: str, key: str, *, limit: int, window: timedelta) -> bool:
    """Count one attempt; True while the window has held at most `limit` of them."""
    cache_key = _cache_key(scope, key)
    seconds = max(1, int(window.total_seconds()))
    if cache.add(cache_key, 1, timeout=seconds):
        return 1 <= limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr: this is its first attempt
        cache.add(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit


def limit_reached(scope: str, key: str, *, limit: int) -> bool:
    """Whether the window already holds `limit` attempts (counting none): check it before a
    guess is tried, so the next guess is refused whether or not it is right."""
    return (cache.get(_cache_key(scope, key)) or 0) >= limit


def wait_words(window: timedelta) -> str:
    """'1 hour', '15 minutes': how long to wait, for a message."""
    minutes = max(1, int(window.total_seconds() // 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
