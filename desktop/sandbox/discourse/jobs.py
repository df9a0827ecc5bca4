"""Discourse's background jobs (Sidekiq), in miniature: work the request accepted, done a moment later.

A mass award answers at once and grants through one job per member; a client
must read the holders afterwards to know what happened. Jobs run one at a
time on a worker thread, each ``delay`` seconds after it was queued.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

_log = logging.getLogger(__name__)


class BackgroundJobs:
    """A queue of jobs and the thread that runs them.

    Thread safety: any thread may enqueue or wait; one daemon thread runs the jobs.
    """

    def __init__(self, delay: float = 1.0, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = delay
        self._clock = clock
        self._queue: deque[tuple[float, Callable[[], None]]] = deque()
        self._running = 0
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def enqueue(self, job: Callable[[], None]) -> None:
        with self._changed:
            if self._closed:
                raise RuntimeError("the background jobs were stopped")
            self._queue.append((self._clock() + self.delay, job))
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="discourse-jobs", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def pending(self) -> int:
        """Jobs queued or running."""
        with self._changed:
            return len(self._queue) + self._running

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued job has run; whether that happened within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._queue or self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker; jobs not yet run are dropped (a server going down loses its queue)."""
        with self._changed:
            self._closed = True
            self._queue.clear()
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._changed:
                while not self._queue and not self._closed:
                    self._changed.wait()
                if self._closed:
                    return
                due, job = self._queue[0]
                wait = due - self._clock()
                if wait > 0:
                    self._changed.wait(wait)
                    continue
                self._queue.popleft()
                self._running += 1
            try:
                job()
            except Exception:  # a failed job is logged, as Sidekiq would; the queue goes on
                _log.exception("a background job failed")
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()
