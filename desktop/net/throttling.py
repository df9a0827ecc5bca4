"""What a server's refusal says about waiting: ``Retry-After``, and the two shapes of a 429.

Discourse refuses in two ways (FACTS.md § Rate limits): the application's
JSON 429 for the site-wide admin bucket (``Retry-After`` and
``extras.wait_seconds``), and the request middleware's plain-text 429
(``Retry-After`` and "Please retry again in N seconds."). ``Retry-After`` is
read first: both shapes carry it, and proxies add it too.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
from datetime import UTC, datetime

import httpx

from desktop.net.answers import non_json_media_type

#: The plain-text 429's own words, for when a proxy dropped the header.
_RETRY_IN = re.compile(rb"retry again in (\d{1,7}) seconds?", re.IGNORECASE)
#: A rate-limit body is a few hundred bytes; anything longer is not one worth parsing.
_MAX_BODY = 64 * 1024


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def throttle_wait(response: httpx.Response) -> float | None:
    """Seconds the server asks to wait before the next request, or None when it does not say."""
    header = parse_retry_after(response.headers.get("Retry-After"))
    if header is not None:
        return header
    body = response.content[:_MAX_BODY]
    if non_json_media_type(response) is None:
        return _json_wait(body)
    found = _RETRY_IN.search(body)
    return float(found.group(1)) if found else None


def _json_wait(body: bytes) -> float | None:
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    extras = answer.get("extras") if isinstance(answer, dict) else None
    wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
    # bool is an int to Python, never a number of seconds to a server.
    if isinstance(wait, bool) or not isinstance(wait, int | float) or not math.isfinite(wait):
        return None
    return max(0.0, float(wait))
