"""Cooperative cancellation for long work that runs off the GUI thread."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside long work when its :class:`CancelToken` was cancelled."""


class CancelToken:
    """Set by the GUI (any thread), checked by the worker between steps.

    Thread safety: every method may be called from any thread.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def sleep(self, seconds: float) -> None:
        """Sleep, waking at once (with :class:`Cancelled`) when cancelled."""
        if seconds > 0 and self._event.wait(seconds):
            raise Cancelled()
        self.raise_if_cancelled()
