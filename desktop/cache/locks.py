"""Locks between processes (and threads) working on one profile.

An advisory lock on a file in the profile directory: held while the file
descriptor is open, released by the OS when the process dies, so a crash never
leaves a profile locked.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockBusy(Exception):
    """Someone else holds the lock."""


class ProfileRemoved(OSError):
    """The profile was removed while its lock was awaited (its folder is not made again)."""


def _still_there(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file ``fd`` locked (a removal deletes it under a waiter)."""
    if sys.platform == "win32":  # pragma: no cover - an open file cannot be deleted there
        return True
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino)


def _removed(path: Path) -> ProfileRemoved:
    from desktop.i18n import _

    return ProfileRemoved(errno.ENOENT, _("The community was removed while it was being opened"), str(path))


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock at ``path`` for the ``with`` block, or raise :class:`LockBusy` at once (also
    when the file was deleted under it: its profile is being removed)."""
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
        if not _still_there(fd, path):
            raise LockBusy(str(path))
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
        while True:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            self._shared()
            if _still_there(self._fd, path):
                return
            # Deleted while this waited: a removal (no new folder for it), or a file made anew since.
            os.close(self._fd)
            if not path.exists():
                raise _removed(path)

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
