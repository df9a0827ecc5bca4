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
