"""The API's JSON parser: DRF's, plus a limit on how deeply the body may nest.

Python's JSON decoder recurses once per level, so a body of 1,000 nested lists ends in a
RecursionError (a 500). Here the depth is measured first, from the brackets outside strings, and
anything nested more than `MAX_JSON_DEPTH` levels is a 400 before anything is built. The size of
the body is limited before this, by DATA_UPLOAD_MAX_MEMORY_SIZE (a 413: shortbreaks.api).
"""

from __future__ import annotations

import re
from itertools import accumulate

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_JSON_DEPTH = 64

# A JSON string (with its escapes), to be cut out before brackets are counted. One left open runs
# to the end of the body, so every quote is looked at once (never a quadratic search).
_STRING = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deeply `text` nests: 0 for a bare value, 1 for `[]` or `{}`, 2 for `[[]]`. Counted in C
    (regular expressions, accumulate, max): no recursion and no Python loop over the body."""
    if text.count("[") + text.count("{") == 0:
        return 0
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def too_deep_message(limit: int) -> str:
    return f"JSON parse error - the body is nested more than {limit} levels deep."


class DepthLimitedJSONParser(JSONParser):
    """JSON bodies nested at most `API_JSON_MAX_DEPTH` (64) levels; deeper is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = getattr(settings, "API_JSON_MAX_DEPTH", MAX_JSON_DEPTH)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding) if isinstance(raw, bytes) else raw
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - the body is not valid {encoding}.") from exc
        if json_depth(text) > limit:
            raise ParseError(too_deep_message(limit))
        parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:  # cannot happen within the limit; never a 500 if it does
            raise ParseError(too_deep_message(limit)) from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
