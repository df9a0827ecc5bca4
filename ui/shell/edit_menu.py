"""The main window's Edit menu: Undo and Redo (on the current pane), Copy (the selected rows of the
pane's table) and Find (its search field).

Undo acts on a pane that has an undo (the review queue: its U key) and is disabled
elsewhere; while the menu is open it names what it would take back ("Undo approve")
and is disabled when there is nothing. Outside the menu its key stays enabled on such a
pane, so that Ctrl+Z there always answers (with "Nothing to undo." when that is so).
No pane has a redo: Redo is there for the key map, disabled, and its status tip says why.

Find shows the platform's key in the menu but leaves the key itself to the panes,
whose own Find shortcuts work wherever they are shown (a second binding of the
same key in the window would be ambiguous and do nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QTableView, QTabWidget, QWidget

from desktop.domain import Decision
from ui.review.review_queue import ReviewQueueView


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


@dataclass(frozen=True)
class PaneUndo:
    """A pane's undo as the Edit menu drives it.

    ``text`` names what ``undo`` would take back now, as the menu entry shows it
    ("&Undo approve"), or None when there is nothing; ``status`` says what Undo does
    there; ``no_redo`` why Redo is disabled there.
    """

    text: Callable[[], str | None]
    undo: Callable[[], None]
    status: str
    no_redo: str


class EditMenu(QObject):
    """Builds the Edit menu of ``window``; ``finds`` maps a pane to what focuses its search field,
    ``undos`` a pane to its undo. GUI thread only; a child of the window."""

    def __init__(
        self,
        window: QMainWindow,
        tabs: QTabWidget,
        finds: dict[QWidget, Callable[[], None]],
        undos: dict[QWidget, PaneUndo] | None = None,
    ) -> None:
        super().__init__(window)
        self.tabs = tabs
        self.finds = finds
        self.undos = undos or {}
        self.menu = QMenu(self.tr("&Edit"), window)
        self.undo_action = QAction(self.tr("&Undo"), window)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction(self.tr("&Redo"), window)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setEnabled(False)
        self.copy_action = QAction(self.tr("&Copy rows"), window)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setToolTip(self.tr("Copy the selected rows of this pane's table (tab-separated)"))
        self.copy_action.triggered.connect(self.copy_rows)
        self.find_action = QAction(self.tr("&Find"), window)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        # Shown in the menu; the key itself belongs to the panes (see the module's docstring).
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.find_action.triggered.connect(self.find)
        self.menu.addAction(self.undo_action)
        self.menu.addAction(self.redo_action)
        self.menu.addSeparator()
        self.menu.addAction(self.copy_action)
        self.menu.addAction(self.find_action)
        self.menu.aboutToShow.connect(self._update)
        self.menu.aboutToHide.connect(self._update_undo)
        # The keys work with the menu closed (a menu is a window of its own).
        for action in (self.undo_action, self.redo_action, self.copy_action):
            window.addAction(action)
        tabs.currentChanged.connect(self._update_undo)
        self._update_undo()

    def _table(self) -> QTableView | None:
        return getattr(self.tabs.currentWidget(), "table", None)

    def _update(self) -> None:
        self.find_action.setEnabled(self.tabs.currentWidget() in self.finds)
        table = self._table()
        self.copy_action.setEnabled(table is not None and table.selectionModel().hasSelection())
        self._update_undo(menu_open=True)

    def _update_undo(self, _index: int = -1, *, menu_open: bool = False) -> None:
        """Undo on the current pane; with the menu open, named for (and only with) something to undo."""
        pane = self.undos.get(self.tabs.currentWidget())
        if pane is None:
            self.undo_action.setEnabled(False)
            self.undo_action.setText(self.tr("&Undo"))
            self.undo_action.setStatusTip(self.tr("Nothing in this pane can be undone"))
            self.redo_action.setStatusTip(self.tr("Nothing in this pane can be redone"))
        else:
            text = pane.text() if menu_open else None
            self.undo_action.setEnabled(text is not None or not menu_open)
            self.undo_action.setText(text or self.tr("&Undo"))
            self.undo_action.setStatusTip(pane.status)
            self.redo_action.setStatusTip(pane.no_redo)
        self.undo_action.setToolTip(self.undo_action.statusTip())
        self.redo_action.setToolTip(self.redo_action.statusTip())

    def undo(self) -> None:
        pane = self.undos.get(self.tabs.currentWidget())
        if pane is not None:
            pane.undo()

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


def review_undo(queue: ReviewQueueView) -> PaneUndo:
    """The review queue's undo (its U key): the current card's decision, or else the last one made."""

    def text() -> str | None:
        decision = queue.decisions.next_undo()
        if decision is None:
            return None
        names = {
            Decision.APPROVE: QCoreApplication.translate("EditMenu", "&Undo approve"),
            Decision.DENY: QCoreApplication.translate("EditMenu", "&Undo deny"),
            Decision.RETURN: QCoreApplication.translate("EditMenu", "&Undo return"),
        }
        return names[decision]

    return PaneUndo(
        text,
        queue.undo,
        status=QCoreApplication.translate(
            "EditMenu", "Take back the current card's decision, or else the last one made here (as U does)"
        ),
        no_redo=QCoreApplication.translate(
            "EditMenu", "The review queue has no redo: decide the request again instead"
        ),
    )
