"""The main window: three panes and a status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from desktop.settings import Settings
from ui.badge_list import BadgeListView
from ui.member_search import MemberSearchView
from ui.review_queue import ReviewQueueView
from ui.session import AppSession
from ui.status_panel import StatusPanel


class MainWindow(QMainWindow):
    """Lives on the GUI thread."""

    def __init__(
        self, session: AppSession, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("BadgeDesk")
        self.resize(1200, 760)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.members = MemberSearchView(session, settings)
        self.badges = BadgeListView(session)
        self.queue = ReviewQueueView(session)
        self.tabs.addTab(self.members, "&Members")
        self.tabs.addTab(self.badges, "&Badges")
        self.tabs.addTab(self.queue, "&Review queue")
        self.setCentralWidget(self.tabs)
        self.status = StatusPanel(self.statusBar(), session)
        self.members.message.connect(self.status.show_message)
        self._build_menus()
        session.community_named.connect(self._named)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sync_action = QAction("&Sync now", self)
        self.sync_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.sync_action.triggered.connect(self.session.sync)
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for number, title in enumerate(("Members", "Badges", "Review queue")):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _checked=False, n=number: self.tabs.setCurrentIndex(n))
            view_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About BadgeDesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _named(self, name: str) -> None:
        self.setWindowTitle(f"{name} — BadgeDesk")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About BadgeDesk",
            "BadgeDesk: a fast, offline-first desktop client for moderating community badges.",
        )

    def restore_geometry(self, encoded: str) -> None:
        if encoded:
            self.restoreGeometry(QByteArray.fromBase64(encoded.encode()))

    def saved_geometry(self) -> str:
        return bytes(self.saveGeometry().toBase64().data()).decode()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.shutdown()
        super().closeEvent(event)
