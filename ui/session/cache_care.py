"""Care of a damaged cache: the mirror's deferred check, and a repair when SQLite reports damage.

The app opens the mirror unchecked, so that its window shows at once; the
check runs :data:`MIRROR_CHECK_DELAY_MS` after start, on a worker, out of the
way of the first list and sync. Damage it finds is repaired as when SQLite
reports it: both files are checked, the work salvaged and the mirror set aside,
as at start. What the repair said goes to :attr:`CacheCare.repaired`; the
session reloads the panes and syncs, which rebuilds the mirror.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.community import Community
from ui.operations import TaskManager

log = logging.getLogger(__name__)

#: The mirror's integrity check waits this long after start, off the way of the first list and sync.
MIRROR_CHECK_DELAY_MS = 10_000
#: Seconds the check may read the mirror (as long as opening a cache would check it).
MIRROR_CHECK_BUDGET_S = 2.0


class CacheCare(QObject):
    """Checks and repairs one community's cache. Thread safety: GUI thread."""

    #: Sentences about what a repair did (a salvaged work file, a mirror set aside); none: sound.
    repaired = Signal(list)
    #: The exception that kept the cache from being checked and repaired.
    failed = Signal(object)

    def __init__(self, community: Community, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.community = community
        self.tasks = tasks
        self._repairing = False
        tasks.cache_damaged.connect(self.repair)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(MIRROR_CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_mirror)

    def check_later(self) -> None:
        """Check the mirror after :data:`MIRROR_CHECK_DELAY_MS`."""
        self._check_timer.start()

    def stop(self) -> None:
        self._check_timer.stop()

    def check_mirror(self) -> None:
        """Check the mirror now; damage found is repaired (:meth:`repair`)."""

        def found(problem: str | None) -> None:
            if problem is not None:
                log.warning("The mirror is damaged (%s); repairing the cache", problem)
                self.repair()

        self.tasks.start(
            "check the local copy of the community",
            lambda _c, _p: self.community.cache.mirror_damage(MIRROR_CHECK_BUDGET_S),
            on_success=found,
            on_failure=lambda error: log.warning("The mirror could not be checked: %s", error),
        )

    def repair(self) -> None:
        """SQLite found a cache file damaged: check both files and repair what is damaged, as at
        start (the work salvaged, the mirror set aside). Nothing queued is dropped."""
        if self._repairing:
            return
        self._repairing = True

        def done() -> None:
            self._repairing = False

        self.tasks.start(
            "check the local cache",
            lambda _c, _p: self.community.cache.recover(),
            pool="writer",
            on_success=self.repaired.emit,
            on_failure=self.failed.emit,
            on_finished=done,
        )
