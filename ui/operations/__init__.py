"""Background operations: long work as objects, off the GUI thread.

An :class:`Operation` wraps a blocking core call. It runs on one of the
:class:`TaskManager` pools and reports back by signals, which Qt delivers on
the GUI thread: ``progressed`` while it runs, then exactly one of
``succeeded``, ``failed`` or ``cancelled``, then ``finished``.

Two pools, so neither waits on the other: ``writer`` has one thread and owns
every SQLite write (sync, outbox); ``readers`` serves cache reads and network
calls that write nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from desktop.cancellation import Cancelled, CancelToken

log = logging.getLogger(__name__)

Work = Callable[[CancelToken, Callable[[Any], None]], Any]


class Operation(QObject):
    """One piece of background work. Create and start it on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(object)
    finished = Signal()

    def __init__(self, name: str, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._work = work
        self.cancel_token = CancelToken()
        self.running = False
        self.done = False

    def cancel(self) -> None:
        self.cancel_token.cancel()

    # Runs on the pool's thread: only emit, never touch widgets.
    def _run(self) -> None:
        try:
            result = self._work(self.cancel_token, self.progressed.emit)
        except Cancelled:
            self.cancelled.emit()
        except Exception as error:
            log.info("Operation %s failed: %s", self.name, error, exc_info=not _expected(error))
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


def _expected(error: Exception) -> bool:
    from desktop.api.errors import ApiError

    return isinstance(error, ApiError)


class _Runnable(QRunnable):
    def __init__(self, operation: Operation) -> None:
        super().__init__()
        self.operation = operation
        self.setAutoDelete(True)

    def run(self) -> None:
        self.operation._run()


class TaskManager(QObject):
    """Starts operations on the right pool and keeps them alive until done.

    Lives on the GUI thread. ``idle`` is emitted when the last running
    operation has finished; tests wait on it.
    """

    idle = Signal()
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)
        self.readers = QThreadPool(self)
        self.readers.setMaxThreadCount(4)
        self._running: set[Operation] = set()

    def run(self, operation: Operation, *, writes: bool = False) -> Operation:
        operation.setParent(self)
        operation.running = True
        self._running.add(operation)
        operation.finished.connect(lambda op=operation: self._finished(op))
        (self.writer if writes else self.readers).start(_Runnable(operation))
        self.busy_changed.emit(len(self._running))
        return operation

    def start(
        self,
        name: str,
        work: Work,
        *,
        writes: bool = False,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> Operation:
        operation = Operation(name, work)
        if on_success is not None:
            operation.succeeded.connect(on_success)
        if on_failure is not None:
            operation.failed.connect(on_failure)
        if on_progress is not None:
            operation.progressed.connect(on_progress)
        return self.run(operation, writes=writes)

    def _finished(self, operation: Operation) -> None:
        if not shiboken6.isValid(operation):
            return
        operation.running = False
        operation.done = True
        self._running.discard(operation)
        # deleteLater is safe inside the object's own signal: Qt deletes it once
        # control is back in the event loop (and not at all if its parent goes first).
        operation.deleteLater()
        self.busy_changed.emit(len(self._running))
        if not self._running:
            self.idle.emit()

    @property
    def active(self) -> int:
        return len(self._running)

    def cancel_all(self) -> None:
        for operation in list(self._running):
            operation.cancel()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel everything and wait for the pools; True when all stopped."""
        self.cancel_all()
        ok = self.writer.waitForDone(timeout_ms) and self.readers.waitForDone(timeout_ms)
        # Deliver the results the workers queued, while their receivers live.
        QCoreApplication.sendPostedEvents()
        return bool(ok)
