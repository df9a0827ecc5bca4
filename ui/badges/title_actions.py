"""The Badges pane's actions for a title that moves (one holder at a time).

*One holder at a time…* (Ctrl+Shift+T, checked on a marked badge) marks or
unmarks the selected badge and names its alumni badge; *Hand over…*
(Ctrl+Shift+H) and *Holders by period…* (Ctrl+Shift+Y) work on a marked badge.
They sit in a badge's context menu (:mod:`ui.badges.badge_menu`; the toolbar
has no room left on a small screen). The marking is saved on the writer; the dialogs
read on the readers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from desktop import failures
from desktop.domain import Action, Badge, BadgeState, ChangeSet
from desktop.programs.titles import OneHolder, OneHolderBadges
from ui.badges.handover_dialog import HandoverDialog
from ui.badges.holders_dialog import TitleHoldersDialog
from ui.badges.title_mark_dialog import TitleMarkDialog

if TYPE_CHECKING:
    from ui.badges.badge_list import BadgeListView


class TitleActions(QObject):
    """Owns the three actions and the dialogs they open. GUI thread only."""

    def __init__(self, view: BadgeListView) -> None:
        super().__init__(view)
        self.view = view
        self.mark_action = self._action(self.tr("&One holder at a time…"), "Ctrl+Shift+T", self.mark)
        self.mark_action.setCheckable(True)
        self.mark_action.setToolTip(
            self.tr("Only one member holds the badge at a time; the previous holder keeps an alumni badge")
        )
        self.handover_action = self._action(self.tr("Hand o&ver…"), "Ctrl+Shift+H", self.hand_over)
        self.handover_action.setToolTip(
            self.tr("Give the badge to the next member; the previous holder gets the alumni badge")
        )
        self.holders_action = self._action(
            self.tr("Holders by &period…"), "Ctrl+Shift+Y", self.show_holders_by_period
        )
        self.holders_action.setToolTip(self.tr("Who held the badge in each week, month, quarter or year"))
        #: The dialogs last opened (one of each at a time).
        self.mark_dialog: TitleMarkDialog | None = None
        self.handover_dialog: HandoverDialog | None = None
        self.holders_dialog: TitleHoldersDialog | None = None

    @property
    def actions(self) -> tuple[QAction, QAction, QAction]:
        return self.mark_action, self.handover_action, self.holders_action

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.view)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.view.addAction(action)
        return action

    def update(self, badge: Badge | None, marking: OneHolder | None) -> None:
        """Enable and check the actions for the selected badge (None: no badge, or one not on the server)."""
        on_server = badge is not None and badge.id > 0
        self.mark_action.setEnabled(on_server)
        self.mark_action.setChecked(on_server and marking is not None)
        # Only a published badge can be granted: a disabled or discontinued title stays where it is.
        published = badge is not None and badge.state is BadgeState.PUBLISHED
        self.handover_action.setEnabled(on_server and published and marking is not None)
        self.holders_action.setEnabled(on_server and marking is not None)

    def _selected(self) -> Badge | None:
        badge = self.view.selected_badge()
        return badge if badge is not None and badge.id > 0 else None

    def _closed(self, name: str, dialog: QDialog) -> None:
        if getattr(self, name) is dialog:
            setattr(self, name, None)
        dialog.deleteLater()

    # --- marking ----------------------------------------------------------------------------------

    def mark(self) -> TitleMarkDialog | None:
        """Ask how the selected badge is held (the dialog is window-modal); saved on OK."""
        badge = self._selected()
        # Triggering toggled the check: it shows the saved marking again until the save says otherwise.
        self.update(badge, None if badge is None else self.view.model.marking_of(badge.id))
        if badge is None:
            return None
        if self.mark_dialog is not None:
            self.mark_dialog.close()
        dialog = TitleMarkDialog(self.view.session, badge, self.view)
        dialog.accepted.connect(lambda: self._save(badge, *dialog.choice))
        dialog.finished.connect(lambda _r: self._closed("mark_dialog", dialog))
        self.mark_dialog = dialog
        dialog.open()
        return dialog

    def _save(self, badge: Badge, one_holder: bool, alumni: int | None) -> None:
        titles = OneHolderBadges(self.view.session.community.cache)

        def save(_cancel: object, _report: object) -> None:
            if one_holder:
                titles.mark(badge.id, alumni)
            else:
                titles.unmark(badge.id)

        def saved(_result: object) -> None:
            self.view.session.changed.emit(ChangeSet(badges=frozenset({badge.id})))
            self.view.message.emit(
                self.tr("“{badge}” is held by one member at a time.").format(badge=badge.title)
                if one_holder
                else self.tr("“{badge}” may be held by any number of members again.").format(
                    badge=badge.title
                )
            )

        def failed(error: Exception) -> None:
            task = failures.changing(self.tr("saving how the badge is held"))
            self.view.message.emit(self.view.session.describe(error, task).message)

        self.view.session.tasks.start(
            "mark one holder at a time", save, pool="writer", on_success=saved, on_failure=failed
        )

    # --- the hand-over and the holders --------------------------------------------------------------

    def hand_over(self) -> HandoverDialog | None:
        badge = self._selected()
        if badge is None or not self.handover_action.isEnabled():
            return None
        if self.handover_dialog is not None:
            self.handover_dialog.close()
        session = self.view.session
        dialog = HandoverDialog(session, badge, session.capabilities, parent=self.view)
        dialog.queued.connect(lambda action: self._queued(badge, action))
        dialog.finished.connect(lambda _r: self._closed("handover_dialog", dialog))
        self.handover_dialog = dialog
        dialog.show()
        return dialog

    def _queued(self, badge: Badge, _action: Action) -> None:
        self.view.message.emit(
            self.tr("The hand-over of “{badge}” is queued; it is sent in the background.").format(
                badge=badge.title
            )
        )

    def show_holders_by_period(self) -> TitleHoldersDialog | None:
        badge = self._selected()
        if badge is None or not self.holders_action.isEnabled():
            return None
        if self.holders_dialog is not None:
            self.holders_dialog.close()
        dialog = TitleHoldersDialog(self.view.session, badge, parent=self.view)
        dialog.finished.connect(lambda _r: self._closed("holders_dialog", dialog))
        self.holders_dialog = dialog
        dialog.show()
        return dialog


__all__ = ["TitleActions"]
