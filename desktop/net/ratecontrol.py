"""Pacing of requests per host: back off when the server pushes back.

Unlike a fixed throttle, the delay grows on 429 / 503 (exponential back-off),
honours the server's ``Retry-After`` for *every* request to that host, and
shrinks gradually again while requests succeed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _HostState:
    delay: float
    next_allowed: float = 0.0


class RateControl:
    """Shared by all connectors of a process.

    Thread safety: every method may be called from any thread.
    """

    def __init__(
        self,
        *,
        min_delay: float = 0.0,
        first_backoff: float = 0.25,
        max_delay: float = 30.0,
        recovery: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._min_delay = min_delay
        self._first_backoff = first_backoff
        self._max_delay = max_delay
        self._recovery = recovery
        self._clock = clock
        self._lock = threading.Lock()
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _HostState(delay=self._min_delay)
        return state

    def reserve(self, host: str) -> float:
        """Claim the next slot for ``host``; returns how long to wait before sending."""
        with self._lock:
            state = self._state(host)
            now = self._clock()
            start = max(now, state.next_allowed)
            state.next_allowed = start + state.delay
            return start - now

    def on_success(self, host: str) -> None:
        with self._lock:
            state = self._state(host)
            reduced = state.delay * self._recovery
            # Below a millisecond the pacing is noise: go back to full speed.
            state.delay = self._min_delay if reduced < max(self._min_delay, 0.001) else reduced

    def on_throttled(self, host: str, retry_after: float | None = None) -> float:
        """Record a 429 / 503; returns the wait before the next request to ``host``."""
        with self._lock:
            state = self._state(host)
            state.delay = min(self._max_delay, max(state.delay * 2, self._first_backoff))
            now = self._clock()
            wait = state.delay if retry_after is None else max(retry_after, state.delay)
            state.next_allowed = max(state.next_allowed, now + min(wait, self._max_delay * 4))
            return state.next_allowed - now

    def current_delay(self, host: str) -> float:
        with self._lock:
            return self._state(host).delay
