"""The status bar: online state, last sync, sync progress, pending actions."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from desktop.domain import utc_now
from desktop.sync import SyncProgress, SyncResult
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import plain_tooltip


def ago(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return "never"
    seconds = int(((now or utc_now()) - when).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class StatusPanel(QObject):
    """Fills a QStatusBar from an AppSession. GUI thread only; a child of the bar."""

    def __init__(self, bar: QStatusBar, session: AppSession) -> None:
        super().__init__(bar)
        self.bar = bar
        self.session = session
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setObjectName("statusMessage")
        self.online = QLabel("Connecting…")
        self.online.setObjectName("onlineState")
        self.last_sync = QLabel("Last sync: never")
        self.last_sync.setObjectName("lastSync")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.setToolTip("Stop the sync; it resumes where it stopped next time")
        self.cancel.clicked.connect(session.cancel_sync)
        self.cancel.hide()
        self.pending = QLabel("Pending actions: 0")
        self.pending.setObjectName("pendingActions")
        self.insecure = QLabel("⚠ Insecure HTTP")
        self.insecure.setObjectName("insecureHttp")
        set_status_style(self.insecure, text_style("error", "font-weight: bold"))
        self.insecure.hide()
        bar.addWidget(self.message, 1)
        for widget in (self.insecure, self.progress, self.cancel, self.online, self.last_sync, self.pending):
            bar.addPermanentWidget(widget)
        session.online_changed.connect(self._online)
        session.connection_problem.connect(self._problem)
        session.sync_started.connect(self._sync_started)
        session.sync_progress.connect(self._sync_progress)
        session.sync_finished.connect(self._sync_finished)
        session.error.connect(self.show_message)
        session.pending_changed.connect(self._pending)
        session.outbox_counts_failed.connect(self._pending_unknown)
        # Keep "5 min ago" true without a sync.
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._update_last_sync)
        self._clock.start(30_000)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        # Messages quote servers and errors: never let Qt read them as HTML.
        self.message.setToolTip(plain_tooltip(text))

    def show_insecure_http(self, url: str) -> None:
        self.insecure.setToolTip(
            plain_tooltip(
                f"--insecure-http: the API token is sent unencrypted to {url}; "
                "anyone on the network can read it"
            )
        )
        self.insecure.show()

    def _online(self, online: bool) -> None:
        self.online.setText("● Online" if online else "○ Offline")
        self.online.setToolTip(
            "Connected to the server" if online else "The server cannot be reached; working from the cache"
        )

    def _problem(self, label: str) -> None:
        self.online.setText(label)
        self.online.setToolTip(plain_tooltip(self.session.last_error or label))

    def _sync_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat("Syncing…")
        self.progress.show()
        self.cancel.show()
        self.show_message("Syncing…")

    def _sync_progress(self, progress: SyncProgress) -> None:
        if progress.requests_left is not None:
            # A server with one rate limit for all: what is left is requests and their time.
            self.progress.setRange(0, 0)
            self.progress.setFormat(f"Syncing {progress.describe()}")
            self.show_message(f"Syncing {progress.describe()}")
        elif progress.total > 0:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(min(progress.done, progress.total))
            self.progress.setFormat(f"Syncing {progress.phase}: %p%")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(f"Syncing {progress.phase}…")

    def _sync_finished(self, result: SyncResult | None) -> None:
        self.progress.hide()
        self.cancel.hide()
        if result is not None:
            kind = "Full sync" if result.full else "Sync"
            self.show_message(f"{kind} done: {result.items:,} items in {result.seconds:.1f} s")
            if result.withheld:
                # Nothing was deleted: say so, rather than let the rows linger unexplained.
                self.show_message(" ".join(f"{w.describe()}." for w in result.withheld))
        self._update_last_sync()

    def _update_last_sync(self) -> None:
        self.last_sync.setText(f"Last sync: {ago(self.session.last_sync)}")

    def _pending_unknown(self, _error: Exception) -> None:
        self.pending.setText("Pending actions: not read")
        self.pending.setToolTip("The outbox could not be read; the Outbox pane says why")

    def _pending(self, count: int, attention: int) -> None:
        text = f"Pending actions: {count:,}"
        if attention:
            text += f" ({attention:,} need attention)"
        self.pending.setText(text)
        self.pending.setToolTip(
            f"{attention:,} actions failed, conflict with the server or are held; they wait for your"
            " decision in the Outbox pane"
            if attention
            else "Changes waiting to be confirmed by the server"
        )
