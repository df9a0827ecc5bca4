"""What a test arms on a dialect's server: lose an answer, refuse with 429, spoil a page.

The same hooks serve every dialect: the memory dialect's server consults them
itself, and the v1 harness applies them in a transport in front of the
sandbox. A contract test arms them without knowing which dialect it talks to,
and reads back what really happened (so a test cannot pass because its hook
never fired).
"""

from __future__ import annotations

import threading
from collections import Counter

#: Operations as the hooks and their counters name them, whatever the dialect's wire says.
READS = frozenset({"community", "me", "members", "badges", "awards", "requests", "changes"})
#: Reads that bring a page of the community (the ones a malformed answer spoils).
PAGES = frozenset({"members", "badges", "awards", "requests", "changes"})
WRITES = frozenset({"award_batch", "revoke_batch", "decide", "save_badge", "set_badge_state"})


class ServerHooks:
    """Effects armed for the next matching requests, and counts of what the server answered.

    Thread safety: any thread; a lock guards the armed effects and the counts.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lose = 0
        self._throttle: list[str] = []
        self._malform = 0
        #: Requests that reached the server, by operation.
        self.requests: Counter[str] = Counter()
        #: Answers by HTTP status (the memory dialect speaks in the same statuses).
        self.statuses: Counter[int] = Counter()
        #: Answers dropped after the server applied the request.
        self.lost = 0
        #: Pages spoiled on purpose.
        self.malformed = 0

    # --- arming -----------------------------------------------------------------

    def lose_next_answer(self, times: int = 1) -> None:
        """The next ``times`` writes are applied, then their answer is lost on the way back."""
        with self._lock:
            self._lose += times

    def throttle_next(self, retry_after: str, times: int = 1) -> None:
        """The next ``times`` requests are refused with 429 and this ``Retry-After``; nothing is done."""
        with self._lock:
            self._throttle.extend([retry_after] * times)

    def malform_next_page(self, times: int = 1) -> None:
        """The next ``times`` pages (a listing or the changes feed) come back with a row out of bounds."""
        with self._lock:
            self._malform += times

    # --- consulted by the server or the transport --------------------------------

    def take_throttle(self) -> str | None:
        with self._lock:
            return self._throttle.pop(0) if self._throttle else None

    def take_lose(self, operation: str) -> bool:
        with self._lock:
            if self._lose and operation in WRITES:
                self._lose -= 1
                self.lost += 1
                return True
            return False

    def take_malform(self, operation: str) -> bool:
        with self._lock:
            if self._malform and operation in PAGES:
                self._malform -= 1
                self.malformed += 1
                return True
            return False

    def count_lost(self) -> None:
        """An answer lost by a fault the server (or a transport) drew itself, not one armed here."""
        with self._lock:
            self.lost += 1

    def saw(self, operation: str, status: int) -> None:
        with self._lock:
            self.requests[operation] += 1
            self.statuses[status] += 1

    @property
    def throttled(self) -> int:
        return self.statuses[429]
