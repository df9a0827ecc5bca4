"""Shared use of a profile's files, or one user that replaces the mirror file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class FileGate:
    """Shared use of the files, or one user that replaces the mirror file (exclusive).

    Re-entrant for shared use within a thread; an exclusive user waits until
    every shared one is gone and new ones wait for it.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting = 0
        self._local = threading.local()

    @contextmanager
    def shared(self) -> Iterator[None]:
        depth: int = getattr(self._local, "depth", 0)
        if depth == 0:
            with self._condition:
                self._condition.wait_for(lambda: not (self._exclusive or self._waiting))
                self._shared += 1
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth
            if depth == 0:
                with self._condition:
                    self._shared -= 1
                    self._condition.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        if getattr(self._local, "depth", 0):
            raise RuntimeError("The mirror cannot be replaced from inside a read or write")
        with self._condition:
            self._waiting += 1
            self._condition.wait_for(lambda: not (self._exclusive or self._shared))
            self._waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._condition:
                self._exclusive = False
                self._condition.notify_all()
