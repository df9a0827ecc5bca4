"""Background operations: long work as objects, off the GUI thread.

An :class:`Operation` wraps a blocking core call. It runs on one of the
:class:`TaskManager` pools and reports back by signals, which Qt delivers on
the GUI thread: progress while it runs, then exactly one of its success,
failure or cancel handlers, then its finish handlers.

Four pools, so none waits on another: ``writer`` has one thread for the
user's own short writes (queueing actions, opening the cache), ``readers``
serves cache reads, ``rows`` the blocks of rows a table shows, and ``network``
runs server conversations (sync, sending the outbox), which write each page in
its own short transaction through the cache's write lock. A long sync
therefore never holds up a click.

A *background* operation (a hidden pane's load) waits until no read or write
the user is waiting for runs, or :data:`BACKGROUND_WAIT_MS` at most: on two
cores, the start-up loads of every pane at once made the visible list wait
for the hidden ones.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, Literal

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from desktop.cache.storage import is_damage
from desktop.cancellation import Cancelled, CancelToken
from desktop.failure_logs import log_failure
from ui.operations.priority import lower_this_thread

log = logging.getLogger(__name__)

Work = Callable[[CancelToken, Callable[[Any], None]], Any]
Pool = Literal["writer", "readers", "network", "rows"]

#: The longest a background operation waits for the foreground ones (a long export must not
#: keep a pane from loading).
BACKGROUND_WAIT_MS = 2000

# How an operation ended: identifiers between the worker and the GUI thread, never shown.
SUCCEEDED, FAILED, CANCELLED = "succeeded", "failed", "cancelled"


class Operation(QObject):
    """One piece of background work. Create and start it on the GUI thread.

    The worker emits exactly one private ``_ended`` signal, queued to this
    object on the GUI thread, whose slot runs the outcome's handler and then
    the finish handlers. One signal, one posted event: no handler can be
    lost to the operation being deleted between two of them.
    """

    progressed = Signal(object)
    _ended = Signal(str, object)

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._work = work
        self.cancel_token = CancelToken()
        self._handlers: dict[str, Callable[..., None]] = {}
        self._on_finished: list[Callable[[], None]] = []
        self._ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        self.cancel_token.cancel()

    # Runs on the pool's thread: only emit, never touch widgets.
    def _run(self) -> None:
        try:
            result = self._work(self.cancel_token, self.progressed.emit)
        except Cancelled:
            self._ended.emit(CANCELLED, None)
        except Exception as error:
            # Never the exception's text: it may quote SQL parameters or member data.
            log_failure(log, f"Operation {self.name}", error, level=logging.INFO)
            self._ended.emit(FAILED, error)
        else:
            self._ended.emit(SUCCEEDED, result)

    @Slot(str, object)
    def _deliver(self, outcome: str, payload: object) -> None:
        if outcome == FAILED and isinstance(payload, Exception) and is_damage(payload):
            manager = self.parent()
            if isinstance(manager, TaskManager):
                manager.cache_damaged.emit()
        try:
            handler = self._handlers.get(outcome)
            if handler is not None:
                if outcome == CANCELLED:
                    handler()
                else:
                    handler(payload)
        finally:
            for finish in self._on_finished:
                finish()


class _Runnable(QRunnable):
    def __init__(self, operation: Operation) -> None:
        super().__init__()
        self.operation = operation
        self.setAutoDelete(True)

    def run(self) -> None:
        lower_this_thread()
        self.operation._run()


class TaskManager(QObject):
    """Starts operations on the right pool and keeps them alive until done.

    Lives on the GUI thread. After :meth:`shutdown` it starts nothing more:
    results delivered during shutdown must not start new work on a closing
    cache.
    """

    #: An operation failed because SQLite found a cache file damaged.
    cache_damaged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)
        self.readers = QThreadPool(self)
        self.readers.setMaxThreadCount(4)
        self.network = QThreadPool(self)
        self.network.setMaxThreadCount(2)
        # The rows a table is showing, a block at a time (milliseconds each): never queued behind
        # the panes' long reads, which keep every reader busy at start (a second's wait for the
        # first members of a million).
        self.rows = QThreadPool(self)
        self.rows.setMaxThreadCount(1)
        self._running: set[Operation] = set()
        #: Running or queued operations the user waits for (not the network's, not background ones).
        self._foreground: set[Operation] = set()
        #: Background operations not yet queued, with their pools.
        self._held: list[tuple[QThreadPool, Operation]] = []
        # A zero-time check, so the foreground work a change starts after a background load
        # (the same signal, the next handler) still goes first.
        self._quiet_check = QTimer(self)
        self._quiet_check.setSingleShot(True)
        self._quiet_check.setInterval(0)
        self._quiet_check.timeout.connect(self._release_if_quiet)
        self._longest_wait = QTimer(self)
        self._longest_wait.setSingleShot(True)
        self._longest_wait.setInterval(BACKGROUND_WAIT_MS)
        self._longest_wait.timeout.connect(self.release_background)
        self.closing = False

    def start(
        self,
        name: str,
        work: Work,
        *,
        pool: Pool = "readers",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        background: bool = False,
    ) -> Operation | None:
        """Run ``work`` on a worker; ``None`` when shutting down (nothing runs).

        Every handler is connected before the work is queued, so none can miss
        a result that arrives early. ``background``: queued only once the
        foreground is quiet (see the module's note); counted in :attr:`active`
        meanwhile.
        """
        if self.closing:
            return None
        operation = Operation(name, work, self)
        for outcome, handler in (
            (SUCCEEDED, on_success),
            (FAILED, on_failure),
            (CANCELLED, on_cancel),
        ):
            if handler is not None:
                operation._handlers[outcome] = handler
        if on_progress is not None:
            operation.progressed.connect(on_progress)
        if on_finished is not None:
            operation._on_finished.append(on_finished)
        # Last, so work started by a finish handler keeps ``active`` above zero.
        operation._on_finished.append(functools.partial(self._finished, operation))
        self._running.add(operation)
        threads = {
            "writer": self.writer,
            "readers": self.readers,
            "network": self.network,
            "rows": self.rows,
        }[pool]
        if background:
            self._held.append((threads, operation))
            self._quiet_check.start()
            if not self._longest_wait.isActive():
                self._longest_wait.start()
        else:
            if pool != "network":
                self._foreground.add(operation)
            threads.start(_Runnable(operation))
        return operation

    def release_background(self) -> None:
        """Queue the held background operations now (their pane was shown, or they waited long enough)."""
        self._longest_wait.stop()
        held, self._held = self._held, []
        for threads, operation in held:
            threads.start(_Runnable(operation))

    def _release_if_quiet(self) -> None:
        if not self._foreground:
            self.release_background()

    def _finished(self, operation: Operation) -> None:
        if not shiboken6.isValid(operation):
            return
        self._running.discard(operation)
        self._foreground.discard(operation)
        if self._held and not self._foreground:
            self._quiet_check.start()
        # Called from the operation's own slot: Qt deletes it once control is
        # back in the event loop, after the worker's one event was delivered.
        operation.deleteLater()

    @property
    def active(self) -> int:
        return len(self._running)

    def cancel_all(self) -> None:
        for operation in list(self._running):
            operation.cancel()

    def shutdown(self, timeout_s: float = 30.0) -> bool:
        """Cancel everything and wait for every pool; True when all stopped in time."""
        self.closing = True
        self.cancel_all()
        # Held work never ran: it ends cancelled, delivered with the others' results below.
        self._longest_wait.stop()
        held, self._held = self._held, []
        for _threads, operation in held:
            operation._ended.emit(CANCELLED, None)
        deadline = time.monotonic() + timeout_s
        stopped = True
        for each in (self.network, self.writer, self.readers, self.rows):
            remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
            stopped = bool(each.waitForDone(remaining_ms)) and stopped
        # Deliver the results the workers queued while their receivers live;
        # ``closing`` keeps them from starting anything new.
        QCoreApplication.sendPostedEvents()
        return stopped


def while_alive(owner: QObject, handler: Callable[[Any], None]) -> Callable[[Any], None]:
    """``handler``, or nothing once ``owner`` was deleted (results can outlive views)."""

    def deliver(result: Any) -> None:
        if shiboken6.isValid(owner):
            handler(result)

    return deliver


class LatestOnly:
    """Hands on only the result of the newest request: the latest query wins.

    Views reload on every change; reloads overlap on the pool and may finish
    out of order. Results of superseded reloads, and any result arriving after
    ``owner`` was deleted, are dropped. GUI thread only.
    """

    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self._generation = 0

    def begin(self) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
        """Supersede earlier requests; returns a binder for this request's handlers."""
        self._generation += 1
        generation = self._generation

        def bind(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def deliver(result: Any) -> None:
                if generation == self._generation and shiboken6.isValid(self._owner):
                    handler(result)

            return deliver

        return bind

    def next(self, handler: Callable[[Any], None]) -> Callable[[Any], None]:
        """Supersede earlier requests; returns the handler for this one's result."""
        return self.begin()(handler)
