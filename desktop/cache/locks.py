"""Locks between processes (and threads) working on one profile.

An advisory lock on a file in the profile directory: held while the file
descriptor is open, released by the OS when the process dies, so a crash never
leaves a profile locked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockBusy(Exception):
    """Someone else holds the lock."""


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock at ``path`` for the ``with`` block, or raise :class:`LockBusy` at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError as error:
                raise LockBusy(str(path)) from error
        else:
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise LockBusy(str(path)) from error
        yield
    finally:
        # Closing the descriptor releases the lock.
        os.close(fd)


class ProfileLock:
    """Held shared by every open cache of a profile (windows, processes); one that
    replaces a file of the profile (a resync's swap, a repair) must hold it alone.

    On Windows, where files cannot be replaced while open anyway, nobody is
    ever told they are alone unless they are.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._shared()

    def _shared(self) -> None:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_SH)

    @contextmanager
    def alone(self) -> Iterator[bool]:
        """Whether no other cache has the profile open; while True, none can open it."""
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            yield False
            return
        import fcntl

        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # A failed conversion may have dropped the shared lock: take it again.
            self._shared()
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def close(self) -> None:
        os.close(self._fd)
