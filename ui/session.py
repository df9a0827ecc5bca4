"""The open community as the views see it: state, signals and operations.

:class:`AppSession` lives on the GUI thread. It runs the core's blocking calls
through :class:`~ui.operations.TaskManager` and turns their results into
signals; the panes listen and refresh only what changed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.api.errors import ApiError, AuthError, MalformedResponse, ServerUnreachable
from desktop.community import Community
from desktop.domain import ChangeSet, utc_now
from desktop.sync import KEY_COMMUNITY, KEY_LAST_SYNC, SyncProgress, SyncResult
from ui.operations import Operation, TaskManager

log = logging.getLogger(__name__)


class AppSession(QObject):
    """GUI-thread owner of one :class:`Community`."""

    #: The cache changed: panes refresh what the change set names.
    changed = Signal(object)
    #: True online, False offline (server unreachable).
    online_changed = Signal(bool)
    sync_started = Signal()
    sync_progress = Signal(object)
    sync_finished = Signal(object)
    #: A user-facing sentence.
    error = Signal(str)
    pending_changed = Signal(int)
    community_named = Signal(str)

    def __init__(self, community: Community, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.community = community
        self.tasks = tasks
        self.online: bool | None = None
        self.last_sync: datetime | None = None
        self.last_error: str = ""
        self.pending_actions = 0
        self._sync_op: Operation | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync)

    # --- start ----------------------------------------------------------------

    def start(self, sync_interval_s: int = 0) -> None:
        """Show what the cache has at once, then sync."""
        self.tasks.start(
            "read sync state", lambda _c, _p: self.community.cache.sync_state(), on_success=self._got_state
        )
        self.refresh_pending()
        self.sync()
        if sync_interval_s > 0:
            self._timer.start(sync_interval_s * 1000)

    def _got_state(self, state: dict[str, str]) -> None:
        if KEY_LAST_SYNC in state and self.last_sync is None:
            self.last_sync = datetime.fromisoformat(state[KEY_LAST_SYNC])
        if KEY_COMMUNITY in state:
            self.community_named.emit(state[KEY_COMMUNITY])
        self.changed.emit(ChangeSet(reset=True))

    # --- sync -----------------------------------------------------------------

    @property
    def syncing(self) -> bool:
        return self._sync_op is not None

    def sync(self) -> Operation | None:
        """Start a sync unless one runs; then send what the outbox holds."""
        if self._sync_op is not None or self.community.endpoint is None:
            return None

        def work(cancel: Any, report: Any) -> SyncResult:
            result = self.community.sync(progress=report, cancel=cancel)
            if self.community.outbox.pending_count():
                sent = self.community.send_outbox(cancel=cancel)
                return SyncResult(
                    full=result.full,
                    changes=result.changes.merged(sent.changes),
                    items=result.items,
                    seconds=result.seconds,
                    community=result.community,
                )
            return result

        op = self.tasks.start(
            "sync",
            work,
            writes=True,
            on_success=self._sync_succeeded,
            on_failure=self._sync_failed,
            on_progress=self._sync_progressed,
        )
        op.cancelled.connect(self._sync_cancelled)
        op.finished.connect(self._sync_done)
        self._sync_op = op
        self.sync_started.emit()
        return op

    def cancel_sync(self) -> None:
        if self._sync_op is not None:
            self._sync_op.cancel()

    def _sync_progressed(self, progress: SyncProgress) -> None:
        self.sync_progress.emit(progress)

    def _sync_succeeded(self, result: SyncResult) -> None:
        self.last_sync = utc_now()
        self.last_error = ""
        self._set_online(True)
        self.community_named.emit(result.community)
        self.sync_finished.emit(result)
        if result.changes:
            self.changed.emit(result.changes)
        self.refresh_pending()

    def _sync_failed(self, error: Exception) -> None:
        if isinstance(error, ServerUnreachable):
            self._set_online(False)
            message = f"Offline: {error}. Working from the cache."
        elif isinstance(error, MalformedResponse):
            message = f"{error}. The cache was left as it was."
        elif isinstance(error, AuthError):
            message = str(error)
        elif isinstance(error, ApiError):
            message = f"Sync failed: {error}"
        else:
            log.exception("Sync failed unexpectedly", exc_info=error)
            message = f"Sync failed: {type(error).__name__}: {error}"
        self.last_error = message
        self.error.emit(message)
        self.sync_finished.emit(None)
        # A partial sync may have stored pages: show them.
        self.changed.emit(ChangeSet(reset=True))

    def _sync_cancelled(self) -> None:
        self.last_error = "Sync cancelled; it resumes where it stopped next time."
        self.error.emit(self.last_error)
        self.sync_finished.emit(None)
        self.changed.emit(ChangeSet(reset=True))

    def _sync_done(self) -> None:
        self._sync_op = None

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    # --- outbox ---------------------------------------------------------------

    def refresh_pending(self) -> None:
        self.tasks.start(
            "count pending actions",
            lambda _c, _p: self.community.outbox.pending_count(),
            on_success=self._got_pending,
        )

    def _got_pending(self, count: int) -> None:
        self.pending_actions = count
        self.pending_changed.emit(count)

    def shutdown(self) -> None:
        self._timer.stop()
        self.cancel_sync()
