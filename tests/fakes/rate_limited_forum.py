"""A forum whose admin API allows N requests a minute for the whole site, as Discourse counts them.

Behind ``httpx.MockTransport``, on a clock the test controls. The bucket is
Discourse's ``RateLimiter`` as its code reads (``lib/rate_limiter.rb``): the
times of the last N admitted requests in *whole seconds*; one more is admitted
when fewer than N are kept or the oldest is more than ``period`` seconds old
(strictly); a refused request is not kept. A refusal is Discourse's JSON 429
(``Retry-After``, ``Discourse-Rate-Limit-Error-Code: admin_api_key_rate_limit``,
``extras.wait_seconds``), or, when asked, the request middleware's plain-text
one. Another integration can spend the same bucket meanwhile.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

BASE_URL = "https://forum.example.org"
HOST = "forum.example.org"


@dataclass
class Admission:
    at: float
    #: Ours (through the client under test) or the other integration's.
    ours: bool


@dataclass
class RateLimitedForum:
    """Answers every admitted request with ``{"ok": true}``.

    ``now`` is the test's clock; ``latency`` is how much later than it left a
    request reaches the forum (added to the clock: time passes while it travels).
    """

    now: Callable[[], float]
    advance: Callable[[float], None]
    limit: int = 60
    period: int = 60
    latency: float = 0.0
    #: The other integration sends one request every this many seconds (0: none).
    other_every: float = 0.0
    #: Every this-many-th refusal is the middleware's plain-text 429 (0: never).
    text_refusal_every: int = 0
    #: Refuse everything (a forum that never lets the client in).
    refuse_all: bool = False
    _kept: deque[int] = field(default_factory=deque)
    admitted: list[Admission] = field(default_factory=list)
    refusals: list[float] = field(default_factory=list)
    text_refusals: int = 0
    json_refusals: int = 0
    _other_next: float | None = None
    _other_waiting: deque[float] = field(default_factory=deque)
    _other_tried: float = float("-inf")

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.latency:
            self.advance(self.latency)
        now = self.now()
        self._others_until(now)
        if not self.refuse_all and self._admit(now):
            self.admitted.append(Admission(now, ours=True))
            return httpx.Response(200, json={"ok": True})
        self.refusals.append(now)
        wait = self._seconds_to_wait(now)
        if self.text_refusal_every and len(self.refusals) % self.text_refusal_every == 0:
            self.text_refusals += 1
            return httpx.Response(
                429,
                headers={
                    "Content-Type": "text/plain",
                    "Retry-After": str(wait),
                    "Discourse-Rate-Limit-Error-Code": "ip_10_secs_limit",
                },
                content=(
                    "Slow down, too many requests from this IP address.\n"
                    f"Please retry again in {wait} seconds.\nError code: ip_10_secs_limit.\n"
                ).encode(),
            )
        self.json_refusals += 1
        body = {
            "errors": [
                "You’ve performed this action too many times. Please wait "
                f"{wait} seconds before trying again."
            ],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": wait, "time_left": f"{wait} seconds"},
        }
        return httpx.Response(
            429,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Retry-After": str(wait),
                "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit",
            },
            content=json.dumps(body).encode(),
        )

    def _admit(self, now: float) -> bool:
        second = int(now)
        if len(self._kept) < self.limit or second - self._kept[-1] > self.period:
            self._kept.appendleft(second)
            while len(self._kept) > self.limit:
                self._kept.pop()
            return True
        return False

    def _seconds_to_wait(self, now: float) -> int:
        if not self._kept:
            return 0
        return max(0, self.period - (int(now) - self._kept[-1]))

    def _others_until(self, now: float) -> None:
        """The other integration's requests since the last one of ours, in time order.

        It insists, as pydiscourse does: a refused request is tried again (here
        when our next one arrives, just before it) until it is admitted.
        """
        if not self.other_every:
            return
        if self._other_next is None:
            self._other_next = now
        while self._other_next <= now:
            self._other_waiting.append(self._other_next)
            self._other_next += self.other_every
        while self._other_waiting:
            first_try = self._other_waiting[0]
            at = first_try if first_try > self._other_tried else now
            self._other_tried = max(self._other_tried, first_try)
            if not self._admit(at):
                break
            self._other_waiting.popleft()
            self.admitted.append(Admission(at, ours=False))

    @property
    def other_backlog(self) -> int:
        """The other integration's requests still waiting to be admitted."""
        return len(self._other_waiting)

    def most_in_any_window(self, *, ours_only: bool = False, seconds: float = 60.0) -> int:
        """The most admissions in any ``seconds``-long span (starting at an admission)."""
        times = sorted(a.at for a in self.admitted if a.ours or not ours_only)
        most, start = 0, 0
        for end, at in enumerate(times):
            while times[start] <= at - seconds:
                start += 1
            most = max(most, end - start + 1)
        return most
