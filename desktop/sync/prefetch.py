"""Fetching ahead: the next page is read while the last one is written.

The network and the SQLite writer then do not wait on each other: a fetch
thread runs the paging loop a page or two ahead of the thread that stores.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

from desktop.cancellation import CancelToken

T = TypeVar("T")


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


class Prefetch(Generic[T]):
    """Runs an iterator in a thread, ``depth`` items ahead of the consumer.

    Thread safety: iterate it from one thread; the source runs in its own
    thread, which is joined when the iteration ends in any way.
    """

    def __init__(self, source: Iterator[T], cancel: CancelToken, depth: int = 2) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._cancel = cancel
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(source,), name="sync-fetch", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, source: Iterator[T]) -> None:
        try:
            for item in source:
                if not self._put(item):
                    return
        except BaseException as error:  # handed to the consumer, which re-raises it
            self._put(_Failure(error))
            return
        self._put(_END)

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                item = self._queue.get()
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                self._cancel.raise_if_cancelled()
                yield item  # type: ignore[misc]
        finally:
            self._stop.set()
            self._cancel_source_wait()
            # No timeout: closing the connector under a running fetch would
            # break it; every wait of the fetch thread is bounded or cancellable.
            self._thread.join()

    def _cancel_source_wait(self) -> None:
        # Unblock a producer waiting for room, so join() returns promptly.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
