"""What every list pane shares: a count line above a table of cached rows.

A load that fails says so above the table, with a Retry button.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from desktop import failures
from desktop.domain import ChangeSet
from ui.operations import LatestOnly
from ui.session.app_session import AppSession
from ui.widgets.keyboard import no_tab_trap
from ui.widgets.load_failure import LoadFailure, not_loaded
from ui.widgets.text import plain_label


def row_table(name: str, model: QAbstractItemModel, parent: QWidget) -> QTableView:
    """A table of whole-row records: row selection, one line per row, fixed heights."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    # The model dies with its table, never before it: a model destroyed first
    # makes the selection model emit "selection changed" into a pane that is
    # being destroyed (a crash).
    model.setParent(table)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    no_tab_trap(table)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    vertical = table.verticalHeader()
    vertical.hide()
    # Fixed row heights: the view never asks every row for its size.
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(parent.fontMetrics().height() + 8)
    return table


class TablePane(QWidget):
    """A count label and a row-selecting table; subclasses load the rows.

    Reloads go through ``self.latest`` so an older, slower reload never
    overwrites a newer one; a failed one calls :meth:`load_failed`, whose
    Retry button reloads. GUI thread only.
    """

    def __init__(
        self,
        session: AppSession,
        model: QAbstractItemModel,
        *,
        name: str,
        loading: str,
        what: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.latest = LatestOnly(self)
        #: What the pane lists, as in "Loading the badges failed".
        self.what = what
        self.count_label = plain_label(loading)
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)
        self.table = row_table(name, model, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.failure)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table)
        session.changed.connect(self.on_changed)

    def on_changed(self, changes: ChangeSet) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def load_failed(self, error: Exception) -> None:
        """The rows could not be read: say so instead of "Loading…", and offer to retry."""
        self.count_label.setText(not_loaded())
        self.failure.show_failure(self.session.describe(error, failures.loading(self.what)).message)

    def set_column_widths(self, widths: dict[int, int], stretch: int | None = None) -> None:
        header = self.table.horizontalHeader()
        for column, width in widths.items():
            header.resizeSection(column, width)
        if stretch is None:
            header.setStretchLastSection(True)
        else:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
