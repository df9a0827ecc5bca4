"""The open community as the views see it: state, signals and operations.

:class:`AppSession` lives on the GUI thread. It runs the core's blocking calls
through :class:`~ui.operations.TaskManager` and turns their results into
signals; the panes listen and refresh only what changed. Waiting for room
after a full disk is :mod:`ui.session.disk_space`; what a failure means for
the connection and the token, :mod:`ui.session.connection`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import failures
from desktop.cancellation import CancelToken
from desktop.community import Community
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionState, ChangeSet, utc_now
from desktop.net.errors import ServerBusy, ServerUnreachable
from desktop.outbox import Outbox, SendProgress, SendReport
from desktop.outbox.sending_turn import SendingElsewhere, sending_turn
from desktop.sync import KEY_COMMUNITY, KEY_LAST_SYNC, SyncProgress, SyncResult, stored_capabilities
from ui.operations import Operation, TaskManager
from ui.session.cache_care import CacheCare
from ui.session.connection import connection_problem, token_refused, token_refused_text, vouches_for_token
from ui.session.disk_space import SpaceWatch

log = logging.getLogger(__name__)

#: How often the window looks again whether a headless run still holds the profile's sending turn.
TURN_RETRY_MS = 5_000


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
    #: (unconfirmed actions, actions that need the user: failed, conflict or held)
    pending_changed = Signal(int, int)
    #: Actions per ActionState, after every change to the outbox.
    outbox_counts = Signal(object)
    #: The exception that kept the outbox's counts from being read.
    outbox_counts_failed = Signal(object)
    send_started = Signal()
    #: SendProgress of the running send.
    send_progress = Signal(object)
    #: SendReport, or None when the send failed, was cancelled or had nothing to do.
    send_finished = Signal(object)
    #: The outbox was paused (True) or resumed (False).
    paused_changed = Signal(bool)
    community_named = Signal(str)
    #: The server answered a request without refusing the token.
    token_accepted = Signal()
    #: Sentences about repairs of the cache (a salvaged work file, a mirror set aside).
    cache_repaired = Signal(list)
    #: The server refused the token (401): sending is paused until a new one is given.
    token_refused = Signal()
    #: Something only the user can fix stands between the app and the server (a
    #: refused token, a certificate that cannot be verified): a short status label.
    connection_problem = Signal(str)
    #: What the server can do (``Capabilities``), known from the last sync: panes show or hide features.
    capabilities_changed = Signal(object)

    def __init__(self, community: Community, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.community = community
        self.tasks = tasks
        self.online: bool | None = None
        self.last_sync: datetime | None = None
        self.last_error: str = ""
        self.pending_actions = 0
        #: What the server could do at the last sync (None before the first one).
        self.capabilities: Capabilities | None = None
        self._sync_op: Operation | None = None
        self._send_op: Operation | None = None
        self._send_again = False
        self._sync_after_send = False
        # Progress of the running sync, to tell whether it stored anything.
        self._sync_first_done: int | None = None
        self._sync_last_done = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync)
        self.paused = False
        # After a send failed because the server was gone or busy: try again later.
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self.sync)
        self._retry_delay_s = 0
        # While a headless run of this profile holds the sending turn: send when it is done.
        self._turn_timer = QTimer(self)
        self._turn_timer.setSingleShot(True)
        self._turn_timer.setInterval(TURN_RETRY_MS)
        self._turn_timer.timeout.connect(self.send_outbox)
        #: The window said a scheduled run holds the sending turn (said once, until it sends again).
        self.waiting_for_turn = False
        self._sync_total = 0
        # After a full disk stopped a sync or a send: look for room now and then, then go on.
        self._space = SpaceWatch(lambda: self.data_folder, self)
        self._sync_again = False
        self._care = CacheCare(community, tasks, self)
        self._care.repaired.connect(self._repaired)
        self._care.failed.connect(self._repair_failed)

    # --- start ----------------------------------------------------------------

    def start(self, sync_interval_s: int = 0) -> None:
        """Show what the cache has at once, then sync."""
        self.tasks.start(
            "read sync state",
            lambda _c, _p: self.community.cache.sync_state(),
            on_success=self._got_state,
            on_failure=self._state_failed,
        )
        self.tasks.start(
            "read pause",
            lambda _c, _p: self.community.outbox.paused(),
            on_success=self._got_paused,
            on_failure=self._pause_failed,
        )
        self.refresh_pending()
        self.sync()
        self.set_sync_interval(sync_interval_s)
        self._care.check_later()

    def set_sync_interval(self, seconds: int) -> None:
        """Sync every ``seconds`` from now on (0: only by hand); the next one a whole interval away."""
        if seconds > 0:
            self._timer.start(seconds * 1000)
        else:
            self._timer.stop()

    @property
    def sync_interval_s(self) -> int:
        """Seconds between two syncs by the clock (0: only by hand)."""
        return self._timer.interval() // 1000 if self._timer.isActive() else 0

    # --- a damaged cache --------------------------------------------------------

    def check_mirror(self) -> None:
        """Check the mirror now (the app opens it unchecked, and checks it after start); damage
        found is repaired (:meth:`repair_cache`)."""
        self._care.check_mirror()

    def repair_cache(self) -> None:
        """Check both cache files and repair what is damaged, then reload the panes and sync
        (which rebuilds the mirror). Nothing queued is dropped."""
        self._care.repair()

    def _repair_failed(self, error: Exception) -> None:
        self._report_failure(failures.OPEN, error)

    def _repaired(self, notices: list[str]) -> None:
        if not notices:
            return
        self.last_error = notices[-1]
        self.error.emit(notices[-1])
        self.cache_repaired.emit(notices)
        self.changed.emit(ChangeSet(reset=True))
        self.refresh_pending()
        if self.syncing:
            self._sync_again = True
        else:
            self.sync()

    def _got_state(self, state: dict[str, str]) -> None:
        self._set_capabilities(stored_capabilities(state))
        if KEY_LAST_SYNC in state and self.last_sync is None:
            self.last_sync = datetime.fromisoformat(state[KEY_LAST_SYNC])
        if KEY_COMMUNITY in state:
            self.community_named.emit(state[KEY_COMMUNITY])
        self.changed.emit(ChangeSet(reset=True))

    def refresh_capabilities(self) -> None:
        """Show what the server can do with the endpoint as it is now (after the user changed it).

        Read from a new session, not from the last sync's record, which describes the old
        endpoint until the next sync stores the new one.
        """

        def work(_cancel: Any, _report: Any) -> Capabilities:
            with contextlib.closing(self.community.connector()) as session:
                return Capabilities.of(session)

        self.tasks.start(
            "read what the server can do",
            work,
            pool="network",
            on_success=self._set_capabilities,
            # The sync that follows a change says what is wrong with the server, if anything.
            on_failure=lambda error: log.info("Capabilities not read: %s", type(error).__name__),
        )

    def _set_capabilities(self, capabilities: Capabilities | None) -> None:
        if capabilities is not None and capabilities != self.capabilities:
            self.capabilities = capabilities
            self.capabilities_changed.emit(capabilities)

    def _state_failed(self, error: Exception) -> None:
        self._report_failure(failures.loading(self.tr("the local cache")), error)
        # Each pane tries its own read and, failing, offers to retry it.
        self.changed.emit(ChangeSet(reset=True))

    # --- failures -------------------------------------------------------------

    @property
    def data_folder(self) -> Path:
        """The folder of this community's cache (whatever files it is made of)."""
        return self.community.cache.directory

    def describe(self, error: BaseException, task: failures.Task) -> failures.Failure:
        """The user's sentence for ``error``; for the sync, with the room it still needs."""
        needed = None
        if task is failures.SYNC:
            needed = failures.space_for_sync(self.data_folder, self._sync_last_done, self._sync_total)
        return failures.describe(error, task, folder=self.data_folder, space_needed=needed)

    def _report_failure(self, task: failures.Task, error: Exception) -> failures.Failure:
        failure = self.describe(error, task)
        if failure.kind is failures.FailureKind.OFFLINE:
            self._set_online(False)
        message = failure.message
        problem = connection_problem(error)
        refused = token_refused(error)
        if refused:
            # The core paused the outbox (unless the user already had).
            self._got_paused(True)
            message = token_refused_text()
        self.last_error = message
        self.error.emit(message)
        if problem is not None:
            self._set_problem(problem)
        if refused:
            self.token_refused.emit()
        return failure

    @property
    def waiting_for_space(self) -> bool:
        return self._space.waiting

    @property
    def space_check_ms(self) -> int:
        """Milliseconds between two looks at the free room while waiting for it."""
        return self._space.check_ms

    @space_check_ms.setter
    def space_check_ms(self, value: int) -> None:
        self._space.check_ms = value

    # --- sync -----------------------------------------------------------------

    @property
    def syncing(self) -> bool:
        return self._sync_op is not None

    def sync(self, *, snapshot: bool = False, confirm_sweep: bool = False) -> Operation | None:
        """Start a sync unless one runs; the outbox is sent after it.

        ``snapshot``: on a server without a changes feed, read everything again now (and
        delete what is gone); ``confirm_sweep``: delete it even if it is most of a kind.
        """
        if self._sync_op is not None or self.community.endpoint is None:
            return None
        if self._send_op is not None:
            # A sync that resets the cache would make the running send see
            # members vanish; sync right after it instead.
            self._sync_after_send = True
            return None
        self._sync_first_done = None
        self._sync_last_done = 0
        self._sync_total = 0
        op = self.tasks.start(
            "sync",
            lambda cancel, report: self.community.sync(
                progress=report, cancel=cancel, snapshot=snapshot, confirm_sweep=confirm_sweep
            ),
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

    def resync(self) -> None:
        """Sync now, or right after the running sync, which began with an endpoint now out of date."""
        if self._sync_op is not None:
            self._sync_again = True
            return
        self.sync()

    def cancel_sync(self) -> None:
        if self._sync_op is not None:
            self._sync_op.cancel()

    def _sync_progressed(self, progress: SyncProgress) -> None:
        if self._sync_first_done is None:
            self._sync_first_done = progress.done
        self._sync_last_done = progress.done
        self._sync_total = progress.total
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
        self.tasks.start(
            "read what the server can do",
            lambda _c, _p: self.community.capabilities(),
            on_success=self._set_capabilities,
            on_failure=self._state_failed,
        )
        self.sync_finished.emit(result)
        if result.changes:
            self.changed.emit(result.changes)
        self.send_outbox()

    def _sync_failed(self, error: Exception) -> None:
        if vouches_for_token(error):
            self.token_accepted.emit()
        failure = self._report_failure(failures.SYNC, error)
        self.sync_finished.emit(None)
        if self._stored_before_stopping():
            self.changed.emit(ChangeSet(reset=True))
        if failure.waits_for_space:
            # Each stored page kept its place: the sync goes on from there.
            self._space.wait(failure.space_needed, self.sync)

    def _sync_cancelled(self) -> None:
        self.last_error = self.tr("Sync cancelled; it resumes where it stopped next time.")
        self.error.emit(self.last_error)
        self.sync_finished.emit(None)
        if self._stored_before_stopping():
            self.changed.emit(ChangeSet(reset=True))

    def _sync_done(self) -> None:
        self._sync_op = None
        if self._sync_again:
            # The mirror was replaced while that sync ran: fill the new one now.
            self._sync_again = False
            self.sync()

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    def _set_problem(self, label: str) -> None:
        # Neither online nor offline: the next answer from the server says which.
        self.online = None
        self.connection_problem.emit(label)

    def use_new_token(self, token: str) -> None:
        """Replace a refused token, resume what its refusal paused, then sync (which sends).

        The queued actions keep their idempotency keys, so what went out with
        the old token is not applied twice.
        """

        def done(resumed: bool) -> None:
            if resumed:
                self._got_paused(False)
            self.sync()

        self.tasks.start(
            "use new token",
            lambda _c, _p: self.community.use_token(token),
            pool="writer",
            on_success=done,
            on_failure=self._token_change_failed,
        )

    def _token_change_failed(self, error: Exception) -> None:
        self._report_failure(failures.changing(self.tr("using the new token")), error)

    # --- outbox ---------------------------------------------------------------

    @property
    def sending(self) -> bool:
        return self._send_op is not None

    def send_outbox(self) -> None:
        """Send what the outbox holds (nothing happens when it is empty or paused).

        One send at a time: two would send the same actions twice (harmless to
        the server thanks to the keys, but wasteful); a request during a send
        starts another one after it.
        """
        if self.community.endpoint is None or self.paused:
            return
        if self._send_op is not None:
            self._send_again = True
            return
        self._send_again = False

        def work(cancel: CancelToken, report: Callable[[object], None]) -> SendReport | None:
            if not self.community.outbox.pending_count():
                return None
            # A headless run of this profile sends in its turn, this window in its own.
            with sending_turn(self.community.cache.directory):
                return self.community.send_outbox(cancel=cancel, progress=report)

        self._send_op = self.tasks.start(
            "send outbox",
            work,
            pool="network",
            on_success=self._sent,
            on_failure=self._send_failed,
            on_progress=self._send_progressed,
            on_cancel=lambda: self.send_finished.emit(None),
            on_finished=self._send_done,
        )
        if self._send_op is not None:
            self.send_started.emit()

    def cancel_send(self) -> None:
        """Stop the running send after its current chunk; nothing queued is lost."""
        if self._send_op is not None:
            self._send_op.cancel()

    def _send_progressed(self, progress: SendProgress) -> None:
        self.send_progress.emit(progress)
        # Confirmed items are shown as done only now that the server said so.
        self.refresh_pending()

    def _send_done(self) -> None:
        self._send_op = None
        self.refresh_pending()
        if self._sync_after_send:
            self._sync_after_send = False
            self._send_again = False
            self.sync()  # sends again when it is done
        elif self._send_again:
            self.send_outbox()

    def _sent(self, report: SendReport | None) -> None:
        self._retry_delay_s = 0
        self.waiting_for_turn = False
        if report is not None:
            self._set_online(True)
            if report.changes:
                self.changed.emit(report.changes)
        self.send_finished.emit(report)

    def _send_failed(self, error: Exception) -> None:
        if isinstance(error, SendingElsewhere):
            # Not a failure: a scheduled run is sending this profile; send after it.
            log.info("send: %s; trying again in %d s", error, TURN_RETRY_MS // 1000)
            if not self.waiting_for_turn:
                self.waiting_for_turn = True
                self.error.emit(
                    self.tr(
                        "A scheduled run is sending this community's actions: this window sends after it."
                    )
                )
            self.send_finished.emit(None)
            self._turn_timer.start()
            return
        failure = self._report_failure(failures.SEND, error)
        self.send_finished.emit(None)
        self.changed.emit(ChangeSet(outbox=True))
        if failure.waits_for_space:
            # Unconfirmed actions stay queued (in flight ones keep their keys):
            # sending goes on once there is room again.
            self._space.wait(failure.space_needed, self.send_outbox)
        elif isinstance(error, ServerUnreachable | ServerBusy):
            # Back off, then sync (which sends again): 5 s, 10 s, … at most 5 minutes.
            self._retry_delay_s = min(300, max(5, self._retry_delay_s * 2))
            self._retry_timer.start(self._retry_delay_s * 1000)

    # --- changing the outbox ---------------------------------------------------

    def change_outbox(
        self,
        name: str,
        change: Callable[[Outbox], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        send: bool = True,
    ) -> None:
        """Run ``change`` on the writer, then refresh the panes and send.

        Whatever ``change`` commits is in SQLite before ``on_done`` runs, so the
        UI never says "queued" before it is.
        """
        outbox = self.community.outbox

        def succeeded(result: Any) -> None:
            self.changed.emit(ChangeSet(outbox=True))
            self.refresh_pending()
            if on_done is not None:
                on_done(result)
            if send:
                self.send_outbox()

        self.tasks.start(
            name,
            lambda _c, _p: change(outbox),
            pool="writer",
            on_success=succeeded,
            on_failure=on_failure or functools.partial(self._report_change_failure, name),
        )

    def _report_change_failure(self, name: str, error: Exception) -> None:
        self._report_failure(failures.changing(name), error)

    def set_paused(self, paused: bool) -> None:
        """Pause (the running send stops after its chunk) or resume sending; kept across restarts."""

        def done(_result: object) -> None:
            self._got_paused(paused)
            # Resuming is like a reconnect: learn what changed on the server,
            # then send (holding what no longer fits).
            if not paused and self.sync() is None and not self.syncing:
                self.send_outbox()

        self.tasks.start(
            "pause outbox" if paused else "resume outbox",
            lambda _c, _p: self.community.outbox.set_paused(paused),
            pool="writer",
            on_success=done,
            on_failure=self._pause_failed,
        )

    def _pause_failed(self, error: Exception) -> None:
        self._report_failure(failures.changing(self.tr("pausing or resuming the outbox")), error)

    def _got_paused(self, paused: bool) -> None:
        if paused != self.paused:
            self.paused = paused
            self.paused_changed.emit(paused)

    def refresh_pending(self) -> None:
        self.tasks.start(
            "count actions",
            lambda _c, _p: self.community.outbox.counts(),
            on_success=self._got_counts,
            on_failure=self.outbox_counts_failed.emit,
        )

    def _got_counts(self, counts: dict[ActionState, int]) -> None:
        self.pending_actions = sum(n for state, n in counts.items() if state.unsent)
        attention = sum(n for state, n in counts.items() if state.needs_user)
        self.pending_changed.emit(self.pending_actions, attention)
        self.outbox_counts.emit(counts)

    def shutdown(self) -> None:
        self._timer.stop()
        self._care.stop()
        self._retry_timer.stop()
        self._turn_timer.stop()
        self._space.stop()
        self.cancel_sync()
        if self._send_op is not None:
            self._send_op.cancel()
