"""The Review queue's context menu: right click on a request, or the Menu key / Shift+F10 on the current one.

*Approve*, *Deny…* and *Return…* press the pane's own buttons (the decision
keys' commands, for the current card; each entry shows its key), enabled
exactly when they are; *Open the member on the server* (also ``Ctrl+Shift+O``)
opens the requesting member's profile in the browser through the view's
replaceable ``open_url``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop.domain import Member
from ui.widgets.member_profile import OPEN_PROFILE_KEY, open_profile_text, profile_url, why_no_profile
from ui.widgets.row_menu import RowMenu

if TYPE_CHECKING:
    from ui.review.review_queue import ReviewQueueView


class ReviewMenu(QObject):
    """The entries of one Review queue's context menu. GUI thread only."""

    def __init__(self, view: ReviewQueueView) -> None:
        super().__init__(view)
        self.view = view
        self.open_profile_action = QAction(self.tr("&Open the member on the server"), view)
        self.open_profile_action.setObjectName("openRequesterProfile")
        self.open_profile_action.setShortcut(QKeySequence(OPEN_PROFILE_KEY))
        self.open_profile_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_profile_action.triggered.connect(self.open_profile)
        view.addAction(self.open_profile_action)
        self.rows = RowMenu(view.table, self._fill)
        view.table.selectionModel().currentRowChanged.connect(lambda *_rows: self.update())
        view.session.capabilities_changed.connect(lambda _capabilities: self.update())
        self.update()

    def current_member(self) -> Member | None:
        group = self.view.current_group()
        return group.member if group is not None else None

    def update(self) -> None:
        why_not = why_no_profile(self.view.session.capabilities, self.current_member())
        self.open_profile_action.setEnabled(not why_not)
        self.open_profile_action.setToolTip(why_not)

    def _fill(self, menu: QMenu) -> None:
        self.update()
        view = self.view
        for id_, text in (
            ("review.approve", self.tr("&Approve")),
            ("review.deny", self.tr("&Deny…")),
            ("review.return", self.tr("&Return…")),
        ):
            button = view.buttons[id_]
            key = view.shortcuts.text(id_)
            # After a tab, the key is shown as a menu shows shortcuts (the key itself stays the view's).
            entry = menu.addAction(f"{text}\t{key}" if key else text)
            entry.setObjectName(id_)
            entry.setEnabled(button.isEnabled())
            entry.triggered.connect(button.click)
        menu.addSeparator()
        menu.addAction(self.open_profile_action)

    def open_profile(self) -> None:
        """Open the current request's member's profile on the server, or say why not."""
        member = self.current_member()
        capabilities = self.view.session.capabilities
        url = profile_url(capabilities, member)
        if url is None:
            self.view.message.emit(why_no_profile(capabilities, member))
            return
        self.view.message.emit(open_profile_text(url, bool(self.view.open_url(url))))
