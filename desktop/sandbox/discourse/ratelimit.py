"""Discourse's rate limiters: the site-wide admin API bucket, and the per-IP limits of its middleware.

Discourse's ``RateLimiter`` keeps the times of the last ``max`` performed
actions under one Redis key (``admin_api_min`` for the admin API, one key for
the whole site) and refuses an action while the oldest of them is younger than
the window; the wait it reports is what is left of that oldest one's window.
A refused action is not recorded, so waiting the reported time always works;
except for an *aggressive* limiter (the per-IP ones), which records refused
attempts too, so a client that keeps knocking stays shut out.
Every request authenticated by an API key spends from the admin bucket, GETs included.

``Middleware::RequestTracker`` limits requests per IP (50 in 10 s, 200 a
minute) before any route runs, answering a plain-text 429; a request whose API
key then turns out good has its step rolled back. Discourse skips these limits
for private addresses unless ``max_reqs_rate_limit_on_private`` is set, so the
sandbox, on loopback, has them only when switched on (``PerIpLimits``).
https://github.com/discourse/discourse/blob/main/lib/rate_limiter.rb
https://github.com/discourse/discourse/blob/main/lib/middleware/request_tracker.rb
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
        aggressive: bool = False,
    ) -> None:
        if limit < 1:
            raise ValueError("a rate limit allows at least one action per window")
        self.limit = limit
        self.window = window
        self.error_code = error_code
        self._clock = clock
        self.aggressive = aggressive
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
                if self.aggressive:
                    # Redis' LPUSH then LTRIM to ``max``: the refusal takes the oldest one's place.
                    self._times.append(now)
                    self._times.popleft()
                raise RateLimited(max(1, math.ceil(wait)), self.error_code)
            self._times.append(now)

    def rollback(self) -> None:
        """``RateLimiter#rollback!``: forget the newest action (Redis' LPOP)."""
        with self._lock:
            if self._times:
                self._times.pop()

    def remaining(self) -> int:
        """Actions allowed right now (for tests and the ready line)."""
        with self._lock:
            now = self._clock()
            return self.limit - sum(1 for t in self._times if now - t < self.window)


IP_BUCKET = "IP address"
DEFAULT_PER_IP_PER_10_SECONDS = 50
DEFAULT_PER_IP_PER_MINUTE = 200


class IpLimited(Exception):
    """The per-IP limiter refused a request: the wait and Discourse's error code."""

    def __init__(self, wait_seconds: int, error_code: str) -> None:
        super().__init__(f"{error_code}: retry in {wait_seconds} s")
        self.wait_seconds = wait_seconds
        self.error_code = error_code

    def body(self) -> bytes:
        """The middleware's text, word for word."""
        return (
            f"Slow down, too many requests from this {IP_BUCKET}.\n"
            f"Please retry again in {self.wait_seconds} seconds.\n"
            f"Error code: {self.error_code}.\n"
        ).encode()


class PerIpLimits:
    """``max_reqs_per_ip_per_10_seconds`` and ``_per_minute``, one pair of aggressive limiters per IP.

    Thread safety: any thread; one lock guards the table of limiters, each limiter has its own.
    """

    def __init__(
        self,
        per_10_seconds: int = DEFAULT_PER_IP_PER_10_SECONDS,
        per_minute: int = DEFAULT_PER_IP_PER_MINUTE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_10_seconds = per_10_seconds
        self.per_minute = per_minute
        self._clock = clock
        self._limiters: dict[str, tuple[SlidingWindowLimiter, SlidingWindowLimiter]] = {}
        self._lock = threading.Lock()

    def _pair(self, ip: str) -> tuple[SlidingWindowLimiter, SlidingWindowLimiter]:
        with self._lock:
            pair = self._limiters.get(ip)
            if pair is None:
                pair = (
                    SlidingWindowLimiter(
                        self.per_10_seconds,
                        window=10,
                        error_code="ip_10_secs_limit",
                        clock=self._clock,
                        aggressive=True,
                    ),
                    SlidingWindowLimiter(
                        self.per_minute,
                        window=60,
                        error_code="ip_60_secs_limit",
                        clock=self._clock,
                        aggressive=True,
                    ),
                )
                self._limiters[ip] = pair
            return pair

    def perform(self, ip: str) -> None:
        """Count one request from ``ip`` (the 10-second limit first), or raise ``IpLimited``."""
        for limiter in self._pair(ip):
            try:
                limiter.perform()
            except RateLimited as refused:
                raise IpLimited(
                    int(refused.extras["wait_seconds"] if refused.extras else 1), limiter.error_code
                ) from None

    def rollback(self, ip: str) -> None:
        """Take back the request just counted: an API key was presented and found good."""
        for limiter in self._pair(ip):
            limiter.rollback()
