"""A context menu on a table's rows: a right click on a row, or the Menu key / Shift+F10 on the current one.

The pane fills the menu each time it opens, with its own actions (or entries
that press its own buttons), so an entry is enabled exactly when the pane's
button or action is and does exactly what it does. The menu opens without a
loop of its own (``popup``): tests read it with ``QApplication.activePopupWidget()``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QMenu

#: The keys that open the menu on the current row (the platform's Menu key, and Shift+F10).
MENU_KEYS = (QKeySequence(Qt.Key.Key_Menu), QKeySequence("Shift+F10"))


class RowMenu(QObject):
    """Opens the menu ``fill`` fills, over ``view``'s rows. GUI thread only."""

    def __init__(self, view: QAbstractItemView, fill: Callable[[QMenu], None]) -> None:
        super().__init__(view)
        self._view = view
        self._fill = fill
        #: The menu open now (or last opened); None before the first.
        self.menu: QMenu | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._at_mouse)
        for keys in MENU_KEYS:
            shortcut = QShortcut(keys, view)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.open_at_current)

    def build(self) -> QMenu:
        """A new menu with the entries as they are now (not shown)."""
        menu = QMenu(self._view)
        # An entry that is off says why in its tooltip ("This server shows no member profiles.").
        menu.setToolTipsVisible(True)
        self._fill(menu)
        return menu

    def _at_mouse(self, position: QPoint) -> None:
        # The view selected the row under the mouse (and kept a selection it is part of).
        if self._view.indexAt(position).isValid():
            self._popup(self._view.viewport().mapToGlobal(position))

    def open_at_current(self) -> None:
        """The menu below the current row's first cell (the view's corner without one)."""
        index = self._view.currentIndex()
        if not index.isValid():
            return
        self._view.scrollTo(index)
        rect = self._view.visualRect(index)
        self._popup(self._view.viewport().mapToGlobal(rect.bottomLeft()))

    def _popup(self, at: QPoint) -> None:
        if self.menu is not None and self.menu.isVisible():
            self.menu.close()
        menu = self.build()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.destroyed.connect(lambda _gone=None, m=menu: self._forget(m))
        self.menu = menu
        menu.popup(at)

    def _forget(self, menu: QMenu) -> None:
        if self.menu is menu:
            self.menu = None
