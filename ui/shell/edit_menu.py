"""The main window's Edit menu: Copy (the selected rows of the pane's table) and Find (its search field).

Find shows the platform's key in the menu but leaves the key itself to the panes,
whose own Find shortcuts work wherever they are shown (a second binding of the
same key in the window would be ambiguous and do nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QTableView, QTabWidget, QWidget


def rows_as_text(table: QTableView) -> str:
    """The selected rows, a line each, cells separated by tabs (pastes into a spreadsheet)."""
    model = table.model()
    selection = table.selectionModel()
    if model is None or selection is None:
        return ""
    rows = sorted(index.row() for index in selection.selectedRows())
    lines = []
    for row in rows:
        cells = (
            model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            for column in range(model.columnCount())
        )
        lines.append("\t".join("" if cell is None else str(cell) for cell in cells))
    return "\n".join(lines)


class EditMenu:
    """Builds the Edit menu of ``window``; ``finds`` maps a pane to what focuses its search field."""

    def __init__(
        self, window: QMainWindow, tabs: QTabWidget, finds: dict[QWidget, Callable[[], None]]
    ) -> None:
        self.tabs = tabs
        self.finds = finds
        self.menu = QMenu("&Edit", window)
        self.copy_action = QAction("&Copy rows", window)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setToolTip("Copy the selected rows of this pane's table (tab-separated)")
        self.copy_action.triggered.connect(self.copy_rows)
        self.find_action = QAction("&Find", window)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        # Shown in the menu; the key itself belongs to the panes (see the module's docstring).
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.find_action.triggered.connect(self.find)
        self.menu.addAction(self.copy_action)
        self.menu.addAction(self.find_action)
        self.menu.aboutToShow.connect(self._update)
        window.addAction(self.copy_action)

    def _table(self) -> QTableView | None:
        return getattr(self.tabs.currentWidget(), "table", None)

    def _update(self) -> None:
        self.find_action.setEnabled(self.tabs.currentWidget() in self.finds)
        table = self._table()
        self.copy_action.setEnabled(table is not None and table.selectionModel().hasSelection())

    def copy_rows(self) -> None:
        table = self._table()
        if table is not None:
            text = rows_as_text(table)
            if text:
                QGuiApplication.clipboard().setText(text)

    def find(self) -> None:
        focus = self.finds.get(self.tabs.currentWidget())
        if focus is not None:
            focus()
