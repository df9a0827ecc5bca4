"""The Help menu's guides: Getting started (the demo), Keyboard shortcuts, User guide.

About and Show log folder stay with the main window. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.shell.getting_started import GettingStartedPanel, Step, key_text, then
from ui.shell.user_guide_dialog import UserGuideDialog

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

#: The review queue's shortcut that shows its keys ("?" unless rebound).
HELP_KEY_ID = "review.help"


class HelpMenu(QObject):
    """Adds its actions to ``menu``; the Getting started panel docks under the panes."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.getting_started_action = QAction(self.tr("&Getting started"), window)
        self.getting_started_action.setToolTip(self.tr("What the demo community is, and five things to try"))
        self.getting_started_action.setShortcut(QKeySequence("Shift+F1"))
        self.getting_started_action.triggered.connect(self.show_getting_started)
        # Only the demo has a getting started (the controller shows it there).
        self.getting_started_action.setVisible(False)
        menu.addAction(self.getting_started_action)
        self.shortcuts_action = QAction(self.tr("&Keyboard shortcuts"), window)
        self.shortcuts_action.setToolTip(self.tr("Show the review queue's keys over the queue"))
        # The menu names the key; the key itself belongs to the review queue and, from the other
        # panes, to the action below: a window-wide one here would clash with the queue's own.
        self.shortcuts_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        menu.addAction(self.shortcuts_action)
        self.other_panes_key = QAction(self.tr("Keyboard shortcuts"), window)
        self.other_panes_key.setObjectName("shortcutsFromAnyPane")
        self.other_panes_key.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.other_panes_key.triggered.connect(self.show_shortcuts)
        window.addAction(self.other_panes_key)
        self.guide_action = QAction(self.tr("&User guide"), window)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.setToolTip(self.tr("The user guide, on this computer (no network needed)"))
        self.guide_action.triggered.connect(self.open_guide)
        menu.addAction(self.guide_action)
        self.panel = GettingStartedPanel(window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        #: The open user guide (one at a time).
        self.guide: UserGuideDialog | None = None
        self._review = True
        window.tabs.currentChanged.connect(lambda _index: self._update_keys())
        window.queue.shortcuts.changed.connect(self._update_keys)
        self._update_keys()

    # --- keyboard shortcuts -------------------------------------------------------

    def set_review_available(self, available: bool) -> None:
        """Where the server has no review queue, its keys have nowhere to be shown."""
        self._review = available
        self._update_keys()

    def _update_keys(self) -> None:
        key = self.window.queue.shortcuts.key(HELP_KEY_ID)
        self.shortcuts_action.setShortcut(key)
        self.other_panes_key.setShortcut(key)
        self.shortcuts_action.setEnabled(self._review)
        # On the queue its own action answers the key: two would make Qt answer neither.
        on_queue = self.window.tabs.currentWidget() is self.window.queue
        self.other_panes_key.setEnabled(self._review and not on_queue)

    def show_shortcuts(self) -> None:
        """Show the review queue with its keys over it."""
        if not self._review:
            return
        queue = self.window.queue
        self.window.tabs.setCurrentWidget(queue)
        if not queue.help.isVisible():
            queue.help.open_help()

    # --- the user guide -----------------------------------------------------------

    def open_guide(self) -> UserGuideDialog:
        if self.guide is None:
            self.guide = UserGuideDialog(self.window)
            self.guide.finished.connect(self._guide_closed)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide

    def _guide_closed(self, _result: int) -> None:
        if self.guide is not None:
            self.guide.deleteLater()
            self.guide = None

    # --- getting started (the demo) ---------------------------------------------

    def set_demo(self, demo: bool) -> None:
        self.getting_started_action.setVisible(demo)

    def show_getting_started(self) -> None:
        self.panel.show_steps(self.steps())

    def steps(self) -> list[Step]:
        """The five things to try, with the keys the window has now."""
        window = self.window
        views = window.view_actions
        queue = window.queue
        review_keys = queue.shortcuts

        def key(action: QAction) -> str:
            return key_text(action.shortcut())

        review_step = Step(
            then(
                key(views[2]),
                self.tr("{approve} or {deny}").format(
                    approve=review_keys.text("review.approve"), deny=review_keys.text("review.deny")
                ),
            ),
            self.tr(
                "Clear the review queue: approve or deny each badge request in turn; {help} lists every key."
            ).format(help=review_keys.text(HELP_KEY_ID)),
        )
        audit_step = Step(
            key(views[4]), self.tr("See who did what, when and why in the Audit log, and export it as CSV.")
        )
        return [
            Step(
                then(key(views[0]), key(window.edit_menu.find_action)),
                self.tr(
                    "Find a member: type part of a name, username or email in the Members pane's search."
                ),
            ),
            Step(
                key(window.new_batch_action),
                self.tr(
                    "Award a badge to a list of members: paste a few usernames into a new batch; its dry run"
                    " shows what would be sent before anything is."
                ),
            ),
            review_step if self._review else audit_step,
            Step(
                key(views[3]),
                self.tr(
                    "Watch your work reach the server in the Outbox: queued, sent, then confirmed,"
                    " exactly once."
                ),
            ),
            Step(
                then(key(views[1]), key(window.badges.new_action)),
                self.tr("Design a badge: New badge in the Badges pane opens the designer."),
            ),
        ]
