"""Restarting the demo's server from the app when it stopped (crashed, or ended from outside).

The demo's sandbox runs beside the app as a child process. When a request fails and that
process is gone, or a look at the process every few seconds finds it gone (a send may take a
minute to give up on a server that does not answer), the status bar says so with a "Restart
demo server" button (File ▸ Restart demo server does the same, and also retries a demo server
that did not start). The restart
runs on a worker with a busy bar in the status bar; once the server serves again the app
reconnects to it (its port is new) and syncs, which sends whatever was queued meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QProgressBar, QToolButton

from desktop.cancellation import CancelToken
from desktop.sandbox.process import SandboxProcess
from ui.operations import Operation
from ui.shell.demo import demo_failure, start_demo_server
from ui.shell.main_window import MainWindow
from ui.widgets.text import plain_tooltip

if TYPE_CHECKING:
    from ui.shell.controller import AppController

#: How often the demo's server process is looked at, in milliseconds.
WATCH_MS = 2000


class DemoRestart(QObject):
    """Watches the demo's server and restarts it on request. GUI thread only, beside its controller."""

    def __init__(self, controller: AppController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window: MainWindow | None = None
        self.action: QAction | None = None
        self.button: QToolButton | None = None
        self.busy: QProgressBar | None = None
        #: The server is not serving (stopped, crashed, or did not start) and no restart runs.
        self.stopped = False
        self._operation: Operation | None = None
        self._notice = ""
        #: Looks whether the process still runs (a non-blocking wait on the child: no I/O).
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self._look)

    def attach(self, window: MainWindow) -> None:
        """Add the action (File menu) and the status bar's button and busy bar to a demo's window."""
        self.window = window
        self.action = QAction(self.tr("Res&tart demo server"), window)
        self.action.setObjectName("restartDemoServer")
        self.action.setToolTip(
            self.tr("Start the demo community's server again, on its data, and reconnect to it")
        )
        self.action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.action.triggered.connect(self.restart)
        window.file_menu.insertAction(window.new_batch_action, self.action)
        self.button = QToolButton()
        self.button.setObjectName("restartDemoServerButton")
        self.button.setDefaultAction(self.action)
        self.busy = QProgressBar()
        self.busy.setObjectName("restartProgress")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(220)
        self.busy.setTextVisible(True)
        self.busy.setFormat(self.tr("Restarting the demo server…"))
        bar = window.statusBar()
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.button)
        session = window.session
        session.online_changed.connect(self._online_changed)
        # Shown after the failure's own words (connected after the status panel): this is what to do.
        session.error.connect(self._repeat_notice)
        self._update()
        self.watch.start()

    def stop(self) -> None:
        """The app closes (or leaves the demo): stop looking."""
        self.watch.stop()

    # --- noticing -------------------------------------------------------------

    def _online_changed(self, online: bool) -> None:
        if not online:
            self._look()

    def _look(self) -> None:
        sandbox = self.controller.sandbox
        if self.stopped or self.controller.closing or self._operation is not None:
            return
        if sandbox is None or sandbox.running:
            return
        status = sandbox.exit_status
        self.offer(
            self.tr(
                "The demo community server stopped (exit status {status}): BadgeDesk works offline on the"
                " cache. Restart demo server starts it again."
            ).format(status=status)
        )

    def offer(self, notice: str) -> None:
        """The server is not serving: say so (``notice``) and offer the restart."""
        self.stopped = True
        self._notice = notice
        self._update()
        self._show(notice)

    def _repeat_notice(self, _message: str) -> None:
        if self.stopped and self._notice:
            self._show(self._notice)

    def _show(self, text: str) -> None:
        if self.window is not None:
            self.window.status.show_message(text)

    # --- starting and restarting ------------------------------------------------

    def start_first(self) -> None:
        """Start the demo's server as the demo community opens (its window shown)."""
        controller = self.controller
        assert controller.window is not None
        controller.window.status.show_message(
            self.tr(
                "Starting the demo community (the first start creates %Ln member(s))…",
                "",
                controller.demo_members,
            )
        )
        dialect, members, seed = (
            controller.demo_dialect,
            controller.demo_members,
            controller.settings.demo_seed,
        )
        controller.tasks.start(
            "start demo server",
            lambda cancel, _report: start_demo_server(dialect, members, seed, cancel),
            pool="network",
            on_success=controller.use_demo_server,
            on_failure=self._failed,
        )

    def restart(self) -> None:
        controller = self.controller
        if self._operation is not None or controller.closing or controller.server is not None:
            return
        # Stopped on the worker: waiting for the old process and its readers may take a moment.
        old, controller.sandbox = controller.sandbox, None
        dialect, members, seed = (
            controller.demo_dialect,
            controller.demo_members,
            controller.settings.demo_seed,
        )

        def work(cancel: CancelToken, _report: Callable[[Any], None]) -> SandboxProcess:
            if old is not None:
                old.stop()
            return start_demo_server(dialect, members, seed, cancel)

        self.stopped = False
        self._notice = ""
        self._operation = controller.tasks.start(
            "restart demo server",
            work,
            pool="network",
            on_success=self._started,
            on_failure=self._failed,
            on_finished=self._finished,
        )
        self._update()
        if self._operation is not None:
            self._show(self.tr("Restarting the demo community server…"))

    def _started(self, process: SandboxProcess) -> None:
        self._show(self.tr("The demo community server is running again; syncing…"))
        self.controller.use_demo_server(process)

    def _failed(self, error: Exception) -> None:
        self.offer(demo_failure(error))

    def _finished(self) -> None:
        self._operation = None
        self._update()

    def _update(self) -> None:
        restarting = self._operation is not None
        if self.action is not None:
            self.action.setEnabled(self.stopped and not restarting)
        if self.button is not None:
            self.button.setVisible(self.stopped and not restarting)
            self.button.setToolTip(plain_tooltip(self._notice))
        if self.busy is not None:
            self.busy.setVisible(restarting)
