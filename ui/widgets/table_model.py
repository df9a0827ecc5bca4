"""The flat table model every pane's item models build on: thin adapters over cache queries."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex


class FlatTableModel(QAbstractTableModel):
    """A flat table with fixed, titled columns; subclasses say how many rows.

    GUI thread only.
    """

    #: Column titles, in order.
    headers: tuple[str, ...] = ()

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class NewestFirstModel(FlatTableModel):
    """Rows newest first, a page at a time (the audit log, the award history).

    Subclasses say each row's position in that order (:meth:`page_key`: larger is
    newer); a page appended after a refresh skips rows already shown.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def page_key(self, row: Any) -> Any:
        raise NotImplementedError

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[Any]) -> None:
        """Add the next (older) page; rows already shown are not repeated."""
        if self._rows:
            oldest = self.page_key(self._rows[-1])
            rows = [row for row in rows if self.page_key(row) < oldest]
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def row_count(self) -> int:
        return len(self._rows)
