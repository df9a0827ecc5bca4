"""One rate budget for a whole forum: every request of every session takes its turn here.

Discourse allows 60 admin-API requests a minute for the *whole site*, one
bucket shared by every key and integration, reads included (FACTS.md § Rate
limits). So sync, sends and review cannot pace themselves apart: they share
one :class:`RateBudget` per forum, which

- keeps a sliding window of our own requests and plans for less than the
  limit (``headroom``), in a window a little longer than the server's (it
  counts whole seconds, and a request reaches it after it leaves here);
- serves whoever the user is waiting for first: a waiting FOREGROUND request
  (a send, a decision, a lookup) goes before BACKGROUND ones (sync, snapshot
  passes) queued earlier, and background work is spread evenly over the
  window, so a window full of it frees a slot for the user within one step;
- pauses every request to the forum when a 429 says the bucket is fuller than
  we knew (another integration spends it too), for what the server says is
  left, then ramps back up at the planned rate rather than in a burst;
- tells how long N more requests take (:meth:`RateBudget.eta`), in words.

Unlike :class:`~desktop.net.ratecontrol.RateControl` (back-off for any server
that pushes back), this knows the server's limit in advance.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from desktop.cancellation import CancelToken
from desktop.i18n import _, ngettext


class Priority(IntEnum):
    """Who is waiting for a request. Lower goes first."""

    #: The user waits: a send, a decision, a lookup.
    FOREGROUND = 0
    #: Nobody waits: sync, snapshot passes.
    BACKGROUND = 1


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A server's limit, ``requests`` per ``period`` seconds, and how much of it we plan to use."""

    requests: int
    period: float
    #: The share of the limit left unused (other integrations, clock drift).
    headroom: float = 0.03
    #: Seconds added to the window: Discourse counts whole seconds (a slot frees up
    #: to 1 s later than a precise clock says), and a request reaches it after it leaves.
    margin: float = 1.25

    def __post_init__(self) -> None:
        if self.requests < 1:
            raise ValueError(f"A rate limit allows at least one request, not {self.requests}")
        if not self.period > 0:
            raise ValueError(f"A rate limit's period must be positive, not {self.period}")
        if not 0 <= self.headroom < 1:
            raise ValueError(f"The headroom is a share of the limit, from 0 to under 1, not {self.headroom}")
        if self.margin < 0:
            raise ValueError(f"The window's margin cannot be negative ({self.margin})")

    @property
    def planned(self) -> int:
        """How many of our requests a window may hold (at least one)."""
        # The epsilon: 60 × 0.95 must be 57, not 56.999….
        return max(1, math.floor(self.requests * (1 - self.headroom) + 1e-9))

    @property
    def window(self) -> float:
        """Seconds a request of ours is counted for."""
        return self.period + self.margin

    @property
    def rate_text(self) -> str:
        """The server's limit in words, e.g. ``60 requests/min``."""
        per_minute = self.requests * 60 / self.period
        if not per_minute.is_integer():
            # A fraction ("0.5 requests/min") takes no count's plural form.
            return _("{rate} requests/min").format(rate=f"{per_minute:,.1f}")
        count = int(per_minute)
        return ngettext("{rate} request/min", "{rate} requests/min", count).format(rate=f"{count:,}")


#: A self-hosted Discourse's default ``max_admin_api_reqs_per_minute``.
DISCOURSE_ADMIN_API = RateLimit(requests=60, period=60.0)


class BudgetClock(Protocol):
    """Time and waiting; tests put virtual time here."""

    def now(self) -> float: ...

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        """Wait up to ``seconds`` on ``condition`` (held by the caller), or until it is notified."""


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()

    def wait(self, condition: threading.Condition, seconds: float) -> None:
        condition.wait(seconds)


@dataclass(frozen=True, slots=True)
class Slot:
    """One request's turn: when it was taken (hand it back to :meth:`RateBudget.on_throttled`)."""

    at: float


@dataclass(frozen=True, slots=True)
class Eta:
    seconds: float
    #: e.g. "about 18 min at 60 requests/min".
    text: str


def describe_duration(seconds: float) -> str:
    """A wait in words for the status bar: "under a minute", "about 18 min", "about 2 h 47 min"."""
    if seconds < 60:
        return _("under a minute")
    minutes = round(seconds / 60)
    if seconds < 90 * 60:
        return _("about {minutes} min").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if rest:
        return _("about {hours} h {minutes} min").format(hours=hours, minutes=rest)
    return _("about {hours} h").format(hours=hours)


class RateBudget:
    """The requests one forum allows us, shared by every session that talks to it.

    One per forum (host) per process: the profile that owns the connection
    holds it and passes it to each session, as it does its ``RateControl``.

    Thread safety: every method may be called from any thread; :meth:`acquire`
    blocks its caller until its turn (or its cancel token is cancelled).
    """

    def __init__(
        self,
        host: str,
        limit: RateLimit = DISCOURSE_ADMIN_API,
        *,
        clock: BudgetClock | None = None,
        poll: float = 0.1,
        min_pause: float = 1.0,
        unknown_pause: float = 10.0,
        max_pause: float = 600.0,
    ) -> None:
        self.host = host
        self.limit = limit
        self._clock = clock or MonotonicClock()
        #: A cancel token cannot wake a waiter, so a waiter with one looks again this often.
        self._poll = poll
        #: A 429 that says "wait 0" (Discourse's whole seconds) still means the bucket is full.
        self._min_pause = min_pause
        self._unknown_pause = unknown_pause
        #: A server asking for hours is not obeyed for hours: refusals that long end in ServerBusy.
        self._max_pause = max_pause
        self._condition = threading.Condition()
        #: When our requests in the window were sent, oldest first.
        self._sent: deque[float] = deque()
        #: The earliest time the next background request may go (they keep a step apart).
        self._paced_until = -math.inf
        self._paused_until = -math.inf
        #: After a 429: how many requests the window held for us, and when the pause ended;
        #: from then the allowance grows by one per planned step, back to the plan.
        self._shrunk_to: int | None = None
        self._ramp_from = 0.0
        self._refusing_since: float | None = None
        self._queue: list[tuple[int, int]] = []
        self._tickets = itertools.count()

    # --- taking turns ------------------------------------------------------------

    def acquire(self, priority: Priority = Priority.FOREGROUND, cancel: CancelToken | None = None) -> Slot:
        """Wait for this request's turn and take it; raises ``Cancelled`` if ``cancel`` is cancelled."""
        with self._condition:
            ticket = (int(priority), next(self._tickets))
            heapq.heappush(self._queue, ticket)
            try:
                while True:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    now = self._clock.now()
                    if self._queue[0] == ticket:
                        ready = self._ready_at(now, priority)
                        if ready <= now:
                            heapq.heappop(self._queue)
                            self._sent.append(now)
                            self._pace_background(priority, now)
                            # The next in line has a new head of the queue to look at.
                            self._condition.notify_all()
                            return Slot(now)
                        wait = ready - now
                    else:
                        wait = self._poll
                    if cancel is not None:
                        wait = min(wait, self._poll)
                    self._clock.wait(self._condition, wait)
            except BaseException:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                    heapq.heapify(self._queue)
                    self._condition.notify_all()
                raise

    def _forget(self, now: float) -> None:
        """Drop the requests that have left the window."""
        while self._sent and self._sent[0] <= now - self.limit.window:
            self._sent.popleft()

    def _ready_at(self, now: float, priority: Priority) -> float:
        """When a request of ``priority`` may go, if it is first in line."""
        self._forget(now)
        window = self.limit.window
        ready = max(now, self._paused_until)
        # The oldest ones that must leave the window before one more fits, or,
        # after a 429, the allowance growing back far enough: whichever comes first.
        held = len(self._sent)
        excess = held - self._capacity(now) + 1
        if excess > 0:
            fits = self._sent[excess - 1] + window
            if self._shrunk_to is not None and held < self.limit.planned:
                fits = min(fits, self._ramp_from + (held + 1 - self._shrunk_to) * self._step())
            ready = max(ready, fits)
        if priority is Priority.BACKGROUND:
            ready = max(ready, self._paced_until)
        return ready

    def _pace_background(self, priority: Priority, now: float) -> None:
        """After a request at ``now``: the next background one goes a step later."""
        step = self._step()
        # Background keeps to its grid, so a late wake-up (a busy machine) is made up
        # for at the next step, by up to half of one, rather than added to every one after it.
        on_grid = self._paced_until + step if priority is Priority.BACKGROUND else self._paced_until
        self._paced_until = on_grid if on_grid >= now + step / 2 else now + step

    def _step(self) -> float:
        """Seconds between requests at the planned rate."""
        return self.limit.window / self.limit.planned

    def _capacity(self, now: float) -> int:
        planned = self.limit.planned
        if self._shrunk_to is None:
            return planned
        grown = self._shrunk_to + math.floor(max(0.0, now - self._ramp_from) / self._step())
        if grown >= planned:
            self._shrunk_to = None
            return planned
        return grown

    # --- what the server says ---------------------------------------------------

    def on_throttled(self, wait_seconds: float | None, slot: Slot | None = None) -> float:
        """A 429: pause every request to the forum for ``wait_seconds`` (None: not said).

        ``slot`` is the refused request's turn: the server did not count it, so
        neither does the window. Returns how long the forum has been refusing
        (since the first 429 with no answer between).
        """
        with self._condition:
            now = self._clock.now()
            if wait_seconds is None:
                pause = self._unknown_pause
            else:
                pause = min(max(wait_seconds, self._min_pause), self._max_pause)
            self._paused_until = max(self._paused_until, now + pause)
            if slot is not None and slot.at in self._sent:
                self._sent.remove(slot.at)
            self._forget(now)
            # The bucket is full: others hold what is not ours. When the pause
            # ends one more fits; from there grow back step by step, not in a burst.
            self._shrunk_to = min(self.limit.planned, len(self._sent) + 1)
            self._ramp_from = self._paused_until
            if self._refusing_since is None:
                self._refusing_since = now
            self._condition.notify_all()
            return now - self._refusing_since

    def on_answered(self) -> None:
        """The forum answered a request (anything but a 429): it is not refusing any more."""
        with self._condition:
            self._refusing_since = None

    # --- what the views show ------------------------------------------------------

    def eta(self, requests: int, priority: Priority = Priority.FOREGROUND) -> Eta:
        """How long ``requests`` more take at the planned rate, from what the window holds now.

        The text names the server's limit, which is what an administrator can
        change ("about 18 min at 60 requests/min"). Other sessions' requests
        waiting their turn are not counted.
        """
        with self._condition:
            now = self._clock.now()
            self._forget(now)
            seconds = max(0.0, self._finish(requests, priority, now) - now)
        return Eta(
            seconds,
            _("{duration} at {rate}").format(duration=describe_duration(seconds), rate=self.limit.rate_text),
        )

    def _finish(self, requests: int, priority: Priority, now: float) -> float:
        """When the last of ``requests`` sent as fast as allowed would go."""
        if requests <= 0:
            return now
        planned, window = self.limit.planned, self.limit.window
        start = max(now, self._paused_until)
        # Request i may go one window after request i - planned (the window's own
        # requests count as the ones before the first): follow that chain back.
        windows = -(-requests // planned)
        last = start + (windows - 1) * window
        before = len(self._sent) - 1 + requests - windows * planned
        if before >= 0:
            last = max(last, self._sent[before] + windows * window)
        if priority is Priority.BACKGROUND:
            first = max(start, self._paced_until)
            last = max(last, first + (requests - 1) * self._step())
        return last

    def capacity(self) -> int:
        """How many of our requests the window may hold now (less than planned after a 429)."""
        with self._condition:
            return self._capacity(self._clock.now())

    def free_now(self) -> int:
        """Requests that could go at once (none while paused)."""
        with self._condition:
            now = self._clock.now()
            if self._paused_until > now:
                return 0
            self._forget(now)
            return max(0, self._capacity(now) - len(self._sent))

    def paused_for(self) -> float:
        """Seconds left of the pause a 429 asked for (0 when not paused)."""
        with self._condition:
            return max(0.0, self._paused_until - self._clock.now())

    def queued(self) -> int:
        """Requests waiting for their turn."""
        with self._condition:
            return len(self._queue)
