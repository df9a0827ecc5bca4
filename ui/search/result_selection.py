"""Which result rows the Members pane has selected, and selecting them again after a refresh.

The selection is read from its ranges (asking Qt for every selected row of a
million-row "select all" takes many seconds). Before a query runs again the
selected members and the current one are noted; the worker finds their new
rows (:func:`complete_results`) and :meth:`ResultSelection.restore` selects them.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QTableView

from desktop.cancellation import CancelToken
from desktop.member_search import MemberQuery, MemberSearch
from ui.search.model import MemberTableModel

#: Selections up to this size survive a refresh of the results.
MAX_KEPT_SELECTION = 10_000


@dataclass(frozen=True, slots=True)
class Outcome:
    """A complete result list, with the rows to select again."""

    #: Packed (see :class:`~ui.search.model.MemberTableModel`).
    ids: Sequence[int]
    selected_rows: list[int]
    current_row: int | None


def complete_results(
    search: MemberSearch,
    query: MemberQuery,
    pasted: Collection[int] | None,
    keep: Collection[int],
    current_id: int | None,
    cancel: CancelToken | None = None,
) -> Outcome:
    """The complete, ranked ids ``query`` finds (within ``pasted``), with the rows of ``keep``.

    Any thread: it only reads through ``search``. ``cancel`` stops the query at once.
    """
    ids = search.packed_ids(query, cancel=cancel)
    if pasted is not None:
        ids = array("q", (i for i in ids if i in pasted))
    rows = [row for row, member_id in enumerate(ids) if member_id in keep] if keep else []
    current_row = ids.index(current_id) if current_id is not None and current_id in keep else None
    return Outcome(ids, rows, current_row)


class ResultSelection:
    """The selection of ``table`` over ``model``'s member ids; GUI thread only."""

    def __init__(self, table: QTableView, model: MemberTableModel) -> None:
        self.table = table
        self.model = model

    def _ranges(self) -> list[Any]:
        selection = self.table.selectionModel().selection()
        return [selection.at(i) for i in range(selection.count())]

    def count(self) -> int:
        return sum(r.bottom() - r.top() + 1 for r in self._ranges())

    def ids(self) -> list[int]:
        ids = self.model.ids
        rows: set[int] = set()
        for selected in self._ranges():
            rows.update(range(selected.top(), selected.bottom() + 1))
        return [ids[row] for row in sorted(rows)]

    def to_keep(self) -> tuple[set[int], int | None]:
        """The selected members and the current one, when few enough to select again."""
        if self.count() > MAX_KEPT_SELECTION:
            return set(), None
        current = self.table.currentIndex()
        return set(self.ids()), self.model.ids[current.row()] if current.isValid() else None

    def restore(self, outcome: Outcome) -> QModelIndex | None:
        """Select ``outcome``'s rows again; the current row's index, when it has one."""
        if not outcome.selected_rows:
            return None
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in outcome.selected_rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.table.selectionModel().select(selection, flags)
        if outcome.current_row is None:
            return None
        index = self.model.index(outcome.current_row, 0)
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(index)
        return index
