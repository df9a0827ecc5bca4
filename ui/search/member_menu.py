"""The Members pane's context menu, and opening a member's profile on the server.

Right click on a row, or the Menu key / Shift+F10 on the current one
(:class:`~ui.widgets.row_menu.RowMenu`): *Award badge…* and *Revoke badge…*
press the pane's own buttons, for the selection, enabled exactly when they are;
*Open on the server* (also ``Ctrl+Shift+O`` and the member detail's button)
and the two copies act on the current member.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QPushButton

from desktop.domain import Member
from ui.search.model import MemberRole
from ui.widgets.member_profile import (
    OPEN_PROFILE_KEY,
    open_in_browser,
    open_profile_text,
    profile_url,
    why_no_profile,
)
from ui.widgets.row_menu import RowMenu

if TYPE_CHECKING:
    from ui.search.member_search import MemberSearchView


class MemberMenu(QObject):
    """The entries of one Members pane's context menu. GUI thread only."""

    def __init__(self, view: MemberSearchView) -> None:
        super().__init__(view)
        self.view = view
        #: Replaceable in tests: hands an address to the browser; False when none took it.
        self.open_url: Callable[[str], bool] = open_in_browser
        self.open_profile_action = QAction(self.tr("&Open on the server"), view)
        self.open_profile_action.setObjectName("openMemberProfile")
        self.open_profile_action.setShortcut(QKeySequence(OPEN_PROFILE_KEY))
        self.open_profile_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_profile_action.triggered.connect(self.open_current_profile)
        view.addAction(self.open_profile_action)
        self.copy_username_action = QAction(self.tr("Copy &username"), self)
        self.copy_username_action.triggered.connect(self.copy_username)
        self.copy_email_action = QAction(self.tr("Copy &email address"), self)
        self.copy_email_action.triggered.connect(self.copy_email)
        self.rows = RowMenu(view.table, self._fill)
        view.detail.profile_requested.connect(self.open_profile)
        view.detail.detail_changed.connect(self.update)
        view.table.selectionModel().currentRowChanged.connect(lambda *_rows: self.update())
        view.model.dataChanged.connect(lambda *_args: self.update())
        view.session.capabilities_changed.connect(lambda _capabilities: self.update())
        self.update()

    def current_member(self) -> Member | None:
        """The member of the current row, once loaded (or as the detail panel has it)."""
        view = self.view
        index = view.table.currentIndex()
        if not index.isValid():
            return None
        member = view.model.data(view.model.index(index.row(), 0), MemberRole)
        if isinstance(member, Member):
            return member
        shown = view.detail.detail
        if shown is not None and shown.member.id == view.model.ids[index.row()]:
            return shown.member
        return None

    def update(self) -> None:
        """Enable what the current member allows; the detail's button follows the menu's entry."""
        member = self.current_member()
        why_not = why_no_profile(self.view.session.capabilities, member)
        self.open_profile_action.setEnabled(not why_not)
        self.open_profile_action.setToolTip(why_not)
        shown = self.view.detail.detail
        detail_why = why_no_profile(self.view.session.capabilities, shown.member if shown else None)
        self.view.detail.set_profile_link(
            detail_why, self.open_profile_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.copy_username_action.setEnabled(member is not None)
        self.copy_email_action.setEnabled(member is not None and bool(member.email))

    def _button_entry(self, menu: QMenu, text: str, button: QPushButton) -> QAction:
        """An entry that presses ``button``, enabled when it is."""
        entry = menu.addAction(text)
        entry.setEnabled(button.isEnabled())
        entry.triggered.connect(button.click)
        return entry

    def _fill(self, menu: QMenu) -> None:
        self.update()
        self._button_entry(menu, self.tr("&Award badge…"), self.view.award_button)
        self._button_entry(menu, self.tr("&Revoke badge…"), self.view.revoke_button)
        menu.addSeparator()
        menu.addAction(self.open_profile_action)
        menu.addAction(self.copy_username_action)
        menu.addAction(self.copy_email_action)

    # --- what the entries do ------------------------------------------------------------

    def open_current_profile(self) -> None:
        member = self.current_member()
        if member is not None:
            self.open_profile(member)

    def open_profile(self, member: Member) -> None:
        """Open ``member``'s profile on the server in the browser, or say why not."""
        url = profile_url(self.view.session.capabilities, member)
        if url is None:
            self.view.message.emit(why_no_profile(self.view.session.capabilities, member))
            return
        self.view.message.emit(open_profile_text(url, self.open_url(url)))

    def copy_username(self) -> None:
        member = self.current_member()
        if member is not None:
            QApplication.clipboard().setText(member.username)
            self.view.message.emit(
                self.tr("Copied the username {username}.").format(username=member.username)
            )

    def copy_email(self) -> None:
        member = self.current_member()
        if member is not None and member.email:
            QApplication.clipboard().setText(member.email)
            self.view.message.emit(self.tr("Copied the email address {email}.").format(email=member.email))
