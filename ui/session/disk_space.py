"""Waiting for room on the disk: after a full disk stopped a sync or a send, look now and then, then go on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from desktop import failures

#: How often the free room is looked at after a full disk stopped work.
SPACE_CHECK_MS = 5_000
#: After this long without the room asked for, the work is tried anyway.
SPACE_GIVE_UP_MS = 300_000


class SpaceWatch(QObject):
    """Calls back once the drive of ``folder()`` has the room asked for, or after a while anyway.

    One wait at a time: a new :meth:`wait` replaces the one running. GUI thread only.
    """

    def __init__(self, folder: Callable[[], Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        #: Milliseconds between two looks at the free room (tests shorten it).
        self.check_ms = SPACE_CHECK_MS
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._needed = 0
        self._checks = 0
        self._then: Callable[[], object] | None = None

    @property
    def waiting(self) -> bool:
        return self._timer.isActive()

    def wait(self, needed: int, then: Callable[[], object]) -> None:
        """Call ``then`` once the drive has ``needed`` bytes free (or after a while, in case)."""
        self._needed = needed
        self._checks = 0
        self._then = then
        self._timer.start(self.check_ms)

    def stop(self) -> None:
        self._timer.stop()

    def _check(self) -> None:
        self._checks += 1
        # The estimate may be high: after about five minutes try anyway.
        enough = failures.free_bytes(self._folder()) >= self._needed
        if not enough and self._checks * self.check_ms < SPACE_GIVE_UP_MS:
            return
        self._timer.stop()
        then, self._then = self._then, None
        if then is not None:
            then()
