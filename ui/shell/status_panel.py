"""The status bar: online state, last sync, sync progress, pending actions."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from desktop.domain import utc_now
from desktop.sync import SyncProgress, SyncResult
from ui.i18n import format_datetime, format_number
from ui.session.app_session import AppSession
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.text import plain_tooltip


def ago(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return QCoreApplication.translate("StatusPanel", "never")
    seconds = int(((now or utc_now()) - when).total_seconds())
    if seconds < 60:
        return QCoreApplication.translate("StatusPanel", "just now")
    # Apart: lupdate drops a translate() call with "//" in its arguments.
    minutes, hours = seconds // 60, seconds // 3600
    if seconds < 3600:
        return QCoreApplication.translate("StatusPanel", "%n min ago", "", minutes)
    if seconds < 86400:
        return QCoreApplication.translate("StatusPanel", "%n h ago", "", hours)
    return format_datetime(when)


class StatusPanel(QObject):
    """Fills a QStatusBar from an AppSession. GUI thread only; a child of the bar."""

    def __init__(self, bar: QStatusBar, session: AppSession) -> None:
        super().__init__(bar)
        self.bar = bar
        self.session = session
        # A long message (a server's notes) elides on a small screen; its tooltip has all of it.
        self.message = ElidedLabel()
        self.message.setObjectName("statusMessage")
        self.online = QLabel(self.tr("Connecting…"))
        self.online.setObjectName("onlineState")
        self.last_sync = QLabel(self.tr("Last sync: {when}").format(when=ago(None)))
        self.last_sync.setObjectName("lastSync")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel = QToolButton()
        self.cancel.setText(self.tr("Cancel"))
        self.cancel.setToolTip(self.tr("Stop the sync; it resumes where it stopped next time"))
        self.cancel.clicked.connect(session.cancel_sync)
        self.cancel.hide()
        self.pending = QLabel(self.tr("Pending actions: %Ln", "", 0))
        self.pending.setObjectName("pendingActions")
        self.insecure = QLabel(self.tr("⚠ Insecure HTTP"))
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
                self.tr(
                    "--insecure-http: the API token is sent unencrypted to {url}; "
                    "anyone on the network can read it"
                ).format(url=url)
            )
        )
        self.insecure.show()

    def _online(self, online: bool) -> None:
        self.online.setText(self.tr("● Online") if online else self.tr("○ Offline"))
        self.online.setToolTip(
            self.tr("Connected to the server")
            if online
            else self.tr("The server cannot be reached; working from the cache")
        )

    def _problem(self, label: str) -> None:
        self.online.setText(label)
        self.online.setToolTip(plain_tooltip(self.session.last_error or label))

    def _sync_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Syncing…"))
        self.progress.show()
        self.cancel.show()
        self.show_message(self.tr("Syncing…"))

    def _sync_progress(self, progress: SyncProgress) -> None:
        if progress.requests_left is not None:
            # A server with one rate limit for all: what is left is requests and their time.
            self.progress.setRange(0, 0)
            text = self.tr("Syncing {progress}").format(progress=progress.describe())
            self.progress.setFormat(text)
            self.show_message(text)
        elif progress.total > 0:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(min(progress.done, progress.total))
            # %p is the bar's percentage, filled in by the bar.
            self.progress.setFormat(self.tr("Syncing {phase}: %p%").format(phase=progress.phase_name))
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(self.tr("Syncing {phase}…").format(phase=progress.phase_name))

    def _sync_finished(self, result: SyncResult | None) -> None:
        self.progress.hide()
        self.cancel.hide()
        if result is not None:
            seconds = format_number(result.seconds, 1)
            if result.full:
                text = self.tr("Full sync done: %Ln item(s) in {seconds} s", "", result.items)
            else:
                text = self.tr("Sync done: %Ln item(s) in {seconds} s", "", result.items)
            self.show_message(text.format(seconds=seconds))
            if result.withheld:
                # Nothing was deleted: say so, rather than let the rows linger unexplained.
                self.show_message(" ".join(f"{w.describe()}." for w in result.withheld))
        self._update_last_sync()

    def _update_last_sync(self) -> None:
        self.last_sync.setText(self.tr("Last sync: {when}").format(when=ago(self.session.last_sync)))

    def _pending_unknown(self, _error: Exception) -> None:
        self.pending.setText(self.tr("Pending actions: not read"))
        self.pending.setToolTip(self.tr("The outbox could not be read; the Outbox pane says why"))

    def _pending(self, count: int, attention: int) -> None:
        if attention:
            text = self.tr("Pending actions: {count} (%Ln need attention)", "", attention).format(
                count=format_number(count)
            )
        else:
            text = self.tr("Pending actions: %Ln", "", count)
        self.pending.setText(text)
        self.pending.setToolTip(
            self.tr(
                "%Ln action(s) failed, (conflicts|conflict) with the server or (is|are) held;"
                " (it waits|they wait) for your decision in the Outbox pane",
                "",
                attention,
            )
            if attention
            else self.tr("Changes waiting to be confirmed by the server")
        )
