"""The open community as the views see it: state, signals and operations.

:class:`AppSession` lives on the GUI thread. It runs the core's blocking calls
through :class:`~ui.operations.TaskManager` and turns their results into
signals; the panes listen and refresh only what changed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.api.errors import ApiError, AuthError, MalformedResponse, ServerUnreachable
from desktop.cancellation import CancelToken
from desktop.community import Community
from desktop.domain import ActionState, ChangeSet, utc_now
from desktop.outbox import SendReport
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
    #: (unconfirmed actions, actions that need the user: failed or in conflict)
    pending_changed = Signal(int, int)
    community_named = Signal(str)
    #: The server answered a request without refusing the token.
    token_accepted = Signal()

    def __init__(self, community: Community, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.community = community
        self.tasks = tasks
        self.online: bool | None = None
        self.last_sync: datetime | None = None
        self.last_error: str = ""
        self.pending_actions = 0
        self._sync_op: Operation | None = None
        self._send_op: Operation | None = None
        self._send_again = False
        # Progress of the running sync, to tell whether it stored anything.
        self._sync_first_done: int | None = None
        self._sync_last_done = 0
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
        """Start a sync unless one runs; the outbox is sent after it."""
        if self._sync_op is not None or self.community.endpoint is None:
            return None
        self._sync_first_done = None
        self._sync_last_done = 0
        op = self.tasks.start(
            "sync",
            lambda cancel, report: self.community.sync(progress=report, cancel=cancel),
            pool="network",
            on_success=self._sync_succeeded,
            on_failure=self._sync_failed,
            on_progress=self._sync_progressed,
            on_cancel=self._sync_cancelled,
            on_finished=self._sync_done,
        )
        if op is not None:
            self._sync_op = op
            self.sync_started.emit()
        return op

    def cancel_sync(self) -> None:
        if self._sync_op is not None:
            self._sync_op.cancel()

    def _sync_progressed(self, progress: SyncProgress) -> None:
        if self._sync_first_done is None:
            self._sync_first_done = progress.done
        self._sync_last_done = progress.done
        self.sync_progress.emit(progress)

    def _stored_before_stopping(self) -> bool:
        """Whether the unfinished sync stored pages (they are kept and shown)."""
        return self._sync_first_done is not None and self._sync_last_done > self._sync_first_done

    def _sync_succeeded(self, result: SyncResult) -> None:
        self.token_accepted.emit()
        self.last_sync = utc_now()
        self.last_error = ""
        self._set_online(True)
        self.community_named.emit(result.community)
        self.sync_finished.emit(result)
        if result.changes:
            self.changed.emit(result.changes)
        self.send_outbox()

    def _sync_failed(self, error: Exception) -> None:
        if isinstance(error, ApiError) and not isinstance(error, AuthError | ServerUnreachable):
            self.token_accepted.emit()
        self._report_failure("Sync", error)
        self.sync_finished.emit(None)
        if self._stored_before_stopping():
            self.changed.emit(ChangeSet(reset=True))

    def _report_failure(self, what: str, error: Exception) -> None:
        if isinstance(error, ServerUnreachable):
            self._set_online(False)
            message = f"Offline: {error}. Working from the cache."
        elif isinstance(error, MalformedResponse):
            message = f"{error}. The cache was left as it was."
        elif isinstance(error, AuthError):
            message = str(error)
        elif isinstance(error, ApiError):
            message = f"{what} failed: {error}"
        else:
            log.error("%s failed unexpectedly", what, exc_info=error)
            message = f"{what} failed: {type(error).__name__}: {error}"
        self.last_error = message
        self.error.emit(message)

    def _sync_cancelled(self) -> None:
        self.last_error = "Sync cancelled; it resumes where it stopped next time."
        self.error.emit(self.last_error)
        self.sync_finished.emit(None)
        if self._stored_before_stopping():
            self.changed.emit(ChangeSet(reset=True))

    def _sync_done(self) -> None:
        self._sync_op = None

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    # --- outbox ---------------------------------------------------------------

    def send_outbox(self) -> None:
        """Send what the outbox holds (nothing happens when it is empty).

        One send at a time: two would send the same actions twice (harmless to
        the server thanks to the keys, but wasteful); a request during a send
        starts another one after it.
        """
        if self.community.endpoint is None:
            return
        if self._send_op is not None:
            self._send_again = True
            return
        self._send_again = False

        def work(cancel: CancelToken, _report: object) -> SendReport | None:
            if not self.community.outbox.pending_count():
                return None
            return self.community.send_outbox(cancel=cancel)

        self._send_op = self.tasks.start(
            "send outbox",
            work,
            pool="network",
            on_success=self._sent,
            on_failure=lambda error: self._report_failure("Sending", error),
            on_finished=self._send_done,
        )

    def _send_done(self) -> None:
        self._send_op = None
        self.refresh_pending()
        if self._send_again:
            self.send_outbox()

    def _sent(self, report: SendReport | None) -> None:
        if report is not None and report.changes:
            self.changed.emit(report.changes)

    def refresh_pending(self) -> None:
        self.tasks.start(
            "count actions",
            lambda _c, _p: self.community.outbox.counts(),
            on_success=self._got_counts,
        )

    def _got_counts(self, counts: dict[ActionState, int]) -> None:
        self.pending_actions = sum(n for state, n in counts.items() if state.unsent)
        attention = counts.get(ActionState.FAILED, 0) + counts.get(ActionState.CONFLICT, 0)
        self.pending_changed.emit(self.pending_actions, attention)

    def shutdown(self) -> None:
        self._timer.stop()
        self.cancel_sync()
        if self._send_op is not None:
            self._send_op.cancel()
