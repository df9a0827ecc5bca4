"""Discourse's site-wide admin API bucket: ``max_admin_api_reqs_per_minute`` over a sliding minute.

Discourse's ``RateLimiter`` keeps the times of the last ``max`` performed
actions under one Redis key (``admin_api_min`` for the admin API, one key for
the whole site) and refuses an action while the oldest of them is younger than
the window; the wait it reports is what is left of that oldest one's minute.
A refused action is not recorded, so waiting the reported time always works.
Every request authenticated by an API key spends from it, GETs included.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from desktop.sandbox.discourse.errors import RateLimited

ADMIN_API_ERROR_CODE = "admin_api_key_rate_limit"
DEFAULT_PER_MINUTE = 60


class SlidingWindowLimiter:
    """At most ``limit`` actions in any ``window`` seconds.

    Thread safety: any thread; one lock guards the timestamps.
    """

    def __init__(
        self,
        limit: int,
        *,
        window: float = 60.0,
        error_code: str = ADMIN_API_ERROR_CODE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError("a rate limit allows at least one action per window")
        self.limit = limit
        self.window = window
        self.error_code = error_code
        self._clock = clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def perform(self) -> None:
        """Record one action, or raise ``RateLimited`` with the seconds until one more is allowed."""
        with self._lock:
            now = self._clock()
            while self._times and now - self._times[0] >= self.window:
                self._times.popleft()
            if len(self._times) >= self.limit:
                wait = self.window - (now - self._times[0])
                raise RateLimited(max(1, math.ceil(wait)), self.error_code)
            self._times.append(now)

    def remaining(self) -> int:
        """Actions allowed right now (for tests and the ready line)."""
        with self._lock:
            now = self._clock()
            return self.limit - sum(1 for t in self._times if now - t < self.window)
