"""The Badges pane's context menu: right click on a badge, or the Menu key / Shift+F10 on the current one.

Its entries are the pane's own actions (edit, duplicate, show holders, group
check, the *Change state* menu's, and one holder at a time, hand over,
holders by period), so each is enabled exactly when the
pane's is and does what it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from ui.badges.badge_list import BadgeListView


def fill_badge_menu(view: BadgeListView, menu: QMenu) -> None:
    """Fill ``menu`` for the selected badge of ``view``. GUI thread only."""
    for action in (view.edit_action, view.duplicate_action, view.holders_action, view.group_check_action):
        menu.addAction(action)
    menu.addSeparator()
    states = menu.addMenu(QCoreApplication.translate("BadgeListView", "Change &state"))
    states.addActions(list(view.state_actions.values()))
    states.menuAction().setEnabled(view.state_button.isEnabled())
    # One holder at a time (:mod:`ui.badges.title_actions`).
    menu.addSeparator()
    menu.addActions(list(view.titles.actions))
