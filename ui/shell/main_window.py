"""The main window: the panes (members, badges, review queue, outbox, audit log, history, reports,
programs) and a status bar."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from desktop import paths
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind, Badge
from desktop.outbox import Batch
from desktop.programs.runs import QueuedRun
from desktop.settings import Settings
from desktop.sync import SyncResult
from ui.audit.audit_view import AuditLogView
from ui.badges.badge_list import BadgeListView
from ui.history.history_view import HistoryView
from ui.outbox.batch_dialog import BatchDialog
from ui.outbox.outbox_view import OutboxView
from ui.programs.due import DueProgramsStrip
from ui.programs.pane import ProgramsPane
from ui.programs.run_dialog import ProgramRunDialog, open_run_dialog
from ui.reports.reports_view import ReportsView
from ui.review.keys import REVIEW_SHORTCUTS
from ui.review.review_queue import ReviewQueueView
from ui.search.member_search import MemberSearchView
from ui.session.app_session import AppSession
from ui.shell.edit_menu import EditMenu, review_undo
from ui.shell.help_menu import HelpMenu
from ui.shell.preferences_dialog import preferences_action
from ui.shell.quit_warning import ask_quit_with_actions_waiting
from ui.shell.status_panel import StatusPanel
from ui.shortcuts.app_keys import APP_SHORTCUTS
from ui.shortcuts.keymap import ShortcutMap
from ui.widgets.pane_tabs import PaneTabs
from ui.widgets.small_screens import remember_splitters, size_for_screen
from ui.widgets.text import confirm, message_box, tell

if TYPE_CHECKING:
    from ui.groupcheck.group_check_dialog import GroupCheckDialog


class MainWindow(QMainWindow):
    """Lives on the GUI thread."""

    def __init__(
        self, session: AppSession, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("BadgeDesk")  # i18n: not translated
        size_for_screen(self, 1200, 760)  # the first time; then as the user left it (restore_geometry)
        self.tabs = PaneTabs()
        self.tabs.setDocumentMode(True)
        self.members = MemberSearchView(session, settings)
        self.badges = BadgeListView(session)
        #: Every rebindable shortcut of the window: the review queue's and the window's own.
        self.shortcuts = ShortcutMap(
            (*REVIEW_SHORTCUTS, *APP_SHORTCUTS), settings.shortcuts if settings is not None else {}, self
        )
        self.queue = ReviewQueueView(session, settings, self.shortcuts)
        self.outbox = OutboxView(session)
        self.audit = AuditLogView(session)
        self.tabs.addTab(self.members, self.tr("&Members"))
        self.tabs.addTab(self.badges, self.tr("&Badges"))
        self.tabs.addTab(self.queue, self.tr("&Review queue"))
        self.tabs.addTab(self.outbox, self.tr("&Outbox"))
        self.tabs.addTab(self.audit, self.tr("&Audit log"))
        self.history = HistoryView(session)
        self.tabs.addTab(self.history, self.tr("H&istory"))
        self.reports = ReportsView(session)
        # No Alt+letter: each of R, E, P, O, T, S is taken (menus, tabs, the outbox's buttons);
        # Ctrl+7 (View menu) opens it.
        self.tabs.addTab(self.reports, self.tr("Reports"))
        self.programs = ProgramsPane(session, settings)
        # No Alt+letter either (G is the badge filter's in History, Review queue and Outbox): Ctrl+8.
        self.tabs.addTab(self.programs, self.tr("Programs"))
        self.setCentralWidget(self.tabs)
        # A pane shown now loads now, not after the members being listed.
        self.tabs.currentChanged.connect(lambda _index: session.tasks.release_background())
        # Above the panes: the programs whose period ended and was not run, one click to each dry run.
        self.due_programs = DueProgramsStrip(session, self)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.due_programs)
        # The panes' splitters, and each designer's, where the user left them last time.
        remember_splitters(self, settings)
        self.badges.designer_opened.connect(lambda designer: remember_splitters(designer, settings))
        self.status = StatusPanel(self.statusBar(), session)
        self.members.message.connect(self.status.show_message)
        self.outbox.message.connect(self.status.show_message)
        self.audit.message.connect(self.status.show_message)
        self.history.message.connect(self.status.show_message)
        self.history.correct_batch.connect(self.outbox.correct_batch)
        self.reports.message.connect(self.status.show_message)
        self.programs.message.connect(self.status.show_message)
        self.programs.show_batch.connect(self.show_batch_in_audit)
        self.programs.run_requested.connect(self.run_program)
        self.due_programs.dialog_opened.connect(self._run_dialog_opened)
        self.queue.message.connect(self.status.show_message)
        self.badges.message.connect(self.status.show_message)
        self.outbox.show_in_audit.connect(self.show_batch_in_audit)
        self.outbox.new_batch.connect(lambda: self.new_batch((), ActionKind.AWARD))
        self.members.batch_requested.connect(self.new_batch)
        self.batch_dialog: BatchDialog | None = None
        self.badges.group_check_requested.connect(self.group_check)
        self.badges.holders_requested.connect(self.show_holders)
        #: The open group check (one at a time).
        self.group_check_dialog: GroupCheckDialog | None = None
        self._community_name = ""
        #: Set by ``--insecure-http`` to a host that is not loopback: the title says so.
        self.insecure_http = False
        self._build_menus()
        session.community_named.connect(self._named)
        session.capabilities_changed.connect(self.apply_capabilities)
        session.cache_repaired.connect(self.show_cache_repairs)
        session.sync_finished.connect(self._ask_about_withheld_sweeps)
        #: Opens a folder in the file manager (tests replace it).
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        #: Asks yes or no (tests replace it).
        self.confirm: Callable[[QWidget | None, str, str], bool] = confirm
        #: Asks whether to quit with (parent, this many) actions not sent yet (tests replace it).
        self.ask_quit: Callable[[QWidget | None, int], bool] = ask_quit_with_actions_waiting

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_menu = file_menu
        # Handled by the controller: connecting may mean opening another community's cache.
        self.connect_action = QAction(self.tr("&Connect to a server…"), self)
        self.connect_action.setToolTip(
            self.tr("Connect BadgeDesk to a community server (BadgeDesk or Discourse)")
        )
        file_menu.addAction(self.connect_action)
        self.sync_action = QAction(self.tr("&Sync now"), self)
        self.sync_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.sync_action.triggered.connect(lambda: self.session.sync())
        file_menu.addAction(self.sync_action)
        self.full_pass_action = QAction(self.tr("&Read everything again"), self)
        self.full_pass_action.setToolTip(
            self.tr(
                "Read the whole community again now and remove what is gone from the server"
                " (otherwise done once a day: this server has no changes feed)"
            )
        )
        self.full_pass_action.triggered.connect(lambda: self.session.sync(snapshot=True))
        self.full_pass_action.setVisible(False)
        file_menu.addAction(self.full_pass_action)
        self.new_batch_action = QAction(self.tr("New &batch…"), self)
        self.new_batch_action.setShortcut(QKeySequence("Ctrl+B"))
        self.new_batch_action.setToolTip(
            self.tr("Award or revoke a badge for a list of members (CSV or pasted)")
        )
        self.new_batch_action.triggered.connect(lambda: self.new_batch((), ActionKind.AWARD))
        file_menu.addAction(self.new_batch_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        # Ctrl+Q on every key scheme: Windows' (and some desktops') has no Quit key.
        quit_keys = [QKeySequence("Ctrl+Q")]
        quit_keys += [
            k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) if k not in quit_keys
        ]
        quit_action.setShortcuts(quit_keys)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.quit)
        self.quit_action = quit_action
        file_menu.addAction(quit_action)
        self.edit_menu = EditMenu(
            self,
            self.tabs,
            {
                self.members: self.members.focus_search,
                self.audit: self.audit.filters.focus_text,
                self.history: self.history.focus_search,
            },
            {self.queue: review_undo(self.queue)},
        )
        self.menuBar().addMenu(self.edit_menu.menu)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        self.preferences_action = preferences_action(self)
        settings_menu.addAction(self.preferences_action)
        settings_menu.addSeparator()
        templates = QAction(self.tr("Deny and return &templates…"), self)
        templates.triggered.connect(self.queue.edit_templates)
        settings_menu.addAction(templates)
        shortcuts = QAction(self.tr("Keyboard &shortcuts…"), self)
        shortcuts.triggered.connect(self.queue.edit_shortcuts)
        settings_menu.addAction(shortcuts)
        # Shown (and handled) by the controller where the server keeps requests in a category.
        self.request_category_action = QAction(self.tr("&Request category…"), self)
        self.request_category_action.setToolTip(
            self.tr("The forum category whose open topics are badge requests (none: no review queue)")
        )
        self.request_category_action.setVisible(False)
        settings_menu.addAction(self.request_category_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.view_actions: list[QAction] = []
        titles = (
            self.tr("Members"),
            self.tr("Badges"),
            self.tr("Review queue"),
            self.tr("Outbox"),
            self.tr("Audit log"),
            self.tr("History"),
            self.tr("Reports"),
            self.tr("Programs"),
        )
        for number, title in enumerate(titles):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _checked=False, n=number: self.tabs.setCurrentIndex(n))
            view_menu.addAction(action)
            self.view_actions.append(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.help = HelpMenu(self, help_menu)
        help_menu.addSeparator()
        about = QAction(self.tr("&About BadgeDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self.show_log_action = QAction(self.tr("Show &log folder"), self)
        self.show_log_action.setToolTip(
            self.tr("Open the folder of BadgeDesk's log file ({folder})").format(folder=paths.log_dir())
        )
        self.show_log_action.triggered.connect(self.show_log_folder)
        help_menu.addAction(self.show_log_action)

    def apply_capabilities(self, capabilities: Capabilities) -> None:
        """Show only what this server can do: no review queue where members cannot request badges."""
        review = self.tabs.indexOf(self.queue)
        self.tabs.setTabVisible(review, capabilities.requests)
        self.view_actions[review].setEnabled(capabilities.requests)
        self.help.set_review_available(capabilities.requests)
        self.badges.apply_capabilities(capabilities)
        self.full_pass_action.setVisible(not capabilities.changes_feed)
        missing = capabilities.missing()
        if missing:
            self.status.show_message(self.tr("On this server, {missing}.").format(missing="; ".join(missing)))

    def new_batch(self, member_ids: Sequence[int], kind: ActionKind) -> BatchDialog:
        """Open the batch builder (one at a time), for a selection or a list."""
        if self.batch_dialog is not None:
            self.batch_dialog.close()
        dialog = BatchDialog(self.session, member_ids=member_ids, kind=kind, parent=self)
        dialog.queued.connect(self._batch_queued)
        dialog.finished.connect(lambda _result: setattr(self, "batch_dialog", None))
        self.batch_dialog = dialog
        dialog.show()
        return dialog

    def group_check(self, badge: Badge) -> GroupCheckDialog:
        """Open the group check of ``badge`` (one at a time, not modal)."""
        # Imported when opened: with the group check and the list importers, 40 ms at start.
        from ui.groupcheck.group_check_dialog import GroupCheckDialog

        if self.group_check_dialog is not None:
            self.group_check_dialog.close()
        dialog = GroupCheckDialog(self.session, badge, self.session.capabilities, parent=self)
        dialog.queued.connect(
            lambda batch: self.status.show_message(
                self.tr("{batch} queued; it is sent in the background.").format(batch=batch.title)
            )
        )
        dialog.finished.connect(lambda _result: setattr(self, "group_check_dialog", None))
        self.group_check_dialog = dialog
        dialog.show()
        return dialog

    def show_holders(self, badge: Badge) -> None:
        """The Members pane, listing who holds ``badge``."""
        self.tabs.setCurrentWidget(self.members)
        self.members.show_holders(badge.id)

    def _batch_queued(self, batch: Batch) -> None:
        self.status.show_message(
            self.tr("{batch} queued; it is sent in the background.").format(batch=batch.title)
        )
        self.tabs.setCurrentWidget(self.outbox)
        self.outbox.reload()
        self.outbox.pending_select = batch.id

    def run_program(self, program_id: int) -> None:
        """Open the program's run dialog, which reads its dry run at once."""
        open_run_dialog(self, self.session, program_id, on_open=self._run_dialog_opened)

    def _run_dialog_opened(self, dialog: ProgramRunDialog) -> None:
        dialog.queued.connect(self._program_queued)

    def _program_queued(self, run: QueuedRun) -> None:
        # The dialog stays open (it reads the dry run again): the status bar says it, the panes follow.
        for batch in (run.batch, run.revoke_batch):
            if batch is not None:
                self.status.show_message(
                    self.tr("{batch} queued; it is sent in the background.").format(batch=batch.title)
                )
        self.due_programs.check()

    def show_batch_in_audit(self, batch_id: str, name: str = "") -> None:
        self.tabs.setCurrentWidget(self.audit)
        self.audit.show_batch(batch_id, name)

    def _named(self, name: str) -> None:
        self._community_name = name
        self._update_title()

    def show_cache_repairs(self, notices: list[str]) -> None:
        """Tell what BadgeDesk found damaged in the cache and what it did (where the damaged file is kept).

        Not modal: the window works on while the message is read.
        """
        box = message_box(
            self,
            self.tr("BadgeDesk repaired its local cache"),
            "\n\n".join(notices),
            icon=QMessageBox.Icon.Warning,
            buttons=QMessageBox.StandardButton.Ok,
        )
        box.setObjectName("cacheRepairs")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.finished.connect(box.deleteLater)
        box.show()

    def _ask_about_withheld_sweeps(self, result: SyncResult | None) -> None:
        """A sync kept rows that would have been most of a kind: ask before deleting them."""
        if result is None or not result.withheld:
            return
        text = "\n\n".join(f"{w.describe()}." for w in result.withheld)
        title = self.tr("Delete what the server no longer has?")
        if self.confirm(self, title, self.tr("{what}\n\nDelete them now?").format(what=text)):
            self.session.sync(snapshot=True, confirm_sweep=True)

    def show_insecure_http(self, url: str) -> None:
        """Say in the title and the status bar, for as long as it lasts, that the token is unencrypted."""
        self.insecure_http = True
        self.status.show_insecure_http(url)
        self._update_title()

    def _update_title(self) -> None:
        name = self._community_name
        if self.insecure_http:
            title = (
                self.tr("{community} — BadgeDesk — INSECURE HTTP (token unencrypted)")
                if name
                else self.tr("BadgeDesk — INSECURE HTTP (token unencrypted)")
            )
        else:
            title = self.tr("{community} — BadgeDesk") if name else "BadgeDesk"  # i18n: not translated
        self.setWindowTitle(title.format(community=name))

    def _about(self) -> None:
        # Imported when opened: 10 ms at start.
        from ui.shell.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def show_log_folder(self) -> None:
        """Open the log folder in the file manager; where none opens, say where it is."""
        folder = paths.log_dir()
        # Made if nothing was logged yet (a read-only home leaves it missing: said below).
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        if not self.open_url(QUrl.fromLocalFile(str(folder))):
            tell(
                self,
                self.tr("Log folder"),
                self.tr("No file manager could be opened. BadgeDesk's log is in {folder}").format(
                    folder=folder
                ),
            )

    def restore_geometry(self, encoded: str) -> None:
        if encoded:
            self.restoreGeometry(QByteArray.fromBase64(encoded.encode()))

    def saved_geometry(self) -> str:
        return bytes(self.saveGeometry().toBase64().data()).decode()

    def quit(self) -> None:
        """File → Quit: close the window, after asking when actions still wait to be sent."""
        if self._may_quit():
            self.close()

    def _may_quit(self) -> bool:
        # The count the status bar shows (read off the GUI thread after every change).
        waiting = self.session.pending_actions
        return waiting == 0 or self.ask_quit(self, waiting)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window system's close (title bar, Alt+F4) asks as Quit does; a close from
        # code (Quit after asking, another community's window replacing this one) does not.
        if event.spontaneous() and not self._may_quit():
            event.ignore()
            return
        self.session.shutdown()
        super().closeEvent(event)
