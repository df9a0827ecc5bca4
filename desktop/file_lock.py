"""A short advisory lock between processes on a lock file, waited for (saves and log rotations).

For the long-held locks of a cache (one profile open in one process) see :mod:`desktop.cache.locks`,
which never waits.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def waiting_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the lock file ``path`` (made if missing), waiting while another process holds it.

    Meant for work that takes milliseconds (writing a small file, rotating a log). Closing the
    descriptor releases the lock, so a process that dies never leaves it held.
    """
    fd = os.open(Path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
