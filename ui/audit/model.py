"""Table model of the audit log: one row per outbox action, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop.audit import AuditEntry
from desktop.domain import ActionState
from ui.widgets.action_labels import KIND_LABELS
from ui.widgets.colours import colour
from ui.widgets.table_model import FlatTableModel, ModelIndex
from ui.widgets.text import plain_tooltip

#: The whole :class:`~desktop.audit.AuditEntry` of a row.
AuditEntryRole = Qt.ItemDataRole.UserRole + 1

COLUMNS = (
    "When",
    "Who",
    "Action",
    "Member",
    "Badge / request",
    "Why",
    "Batch",
    "State",
    "Outcome",
    "Detail",
    "Confirmed",
)
(WHEN, WHO, ACTION, MEMBER, BADGE, WHY, BATCH, STATE, OUTCOME, DETAIL, CONFIRMED) = range(len(COLUMNS))


def local_time(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def one_line(text: str) -> str:
    return " ".join(text.split())


class AuditTableModel(FlatTableModel):
    """Audit entries as loaded by the view, newest first; pages are appended.

    GUI thread only. Every string is returned as display text, which item
    views paint as plain text; tooltips go through :func:`plain_tooltip`, so
    names like ``<b>x</b>`` show literally.
    """

    headers = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditEntry] = []
        self._warning: QIcon | None = None

    # --- contents -----------------------------------------------------------------

    def set_rows(self, rows: list[AuditEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[AuditEntry]) -> None:
        """Add the next (older) page; entries already shown are not repeated."""
        if self._rows:
            oldest = self._rows[-1].id
            rows = [e for e in rows if e.id < oldest]
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def row_count(self) -> int:
        return len(self._rows)

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    @property
    def entries(self) -> list[AuditEntry]:
        return list(self._rows)

    @property
    def oldest_id(self) -> int | None:
        """The id to page from (``before_id``), or None when empty."""
        return self._rows[-1].id if self._rows else None

    def row_of(self, action_id: int) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == action_id), -1)

    # --- Qt -------------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(entry, column)
        if role == AuditEntryRole:
            return entry
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.state.needs_user:
                return QBrush(colour("error"))
            if entry.state is ActionState.DISCARDED:  # never reached the server: it fades
                return QBrush(colour("quiet"))
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == STATE and entry.state.needs_user:
            return self._warning_icon()
        if role == Qt.ItemDataRole.FontRole and column == STATE and entry.state.needs_user:
            font = QFont()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def text(entry: AuditEntry, column: int) -> str:
        """The cell's display text (one line)."""
        if column == WHEN:
            return local_time(entry.created_at)
        if column == WHO:
            return entry.actor
        if column == ACTION:
            return KIND_LABELS.get(entry.kind, entry.kind.value)
        if column == MEMBER:
            return one_line(entry.member)
        if column == BADGE:
            return one_line(badge_or_request(entry))
        if column == WHY:
            return one_line(entry.reason)
        if column == BATCH:
            return (entry.batch_id or "")[:6]
        if column == STATE:
            return entry.state.value
        if column == OUTCOME:
            return entry.outcome.replace("_", " ")
        if column == DETAIL:
            return one_line(entry.detail)
        if column == CONFIRMED:
            return local_time(entry.confirmed_at)
        return ""

    def _tooltip(self, entry: AuditEntry, column: int) -> str | None:
        if column == BATCH:
            return plain_tooltip(f"Batch {entry.batch_id}") if entry.batch_id else None
        if column == WHEN:
            lines = [f"Queued {local_time(entry.created_at)}"]
            if entry.sent_at is not None:
                lines.append(f"Sent {local_time(entry.sent_at)}")
            if entry.confirmed_at is not None:
                lines.append(f"Confirmed {local_time(entry.confirmed_at)}")
            return plain_tooltip("\n".join(lines))
        if column == STATE and entry.state.needs_user:
            return plain_tooltip(f"{entry.state.value}: waits for you in the outbox")
        if column in _FULL_TEXT:
            return plain_tooltip(_FULL_TEXT[column](entry)) or None
        return None

    def _warning_icon(self) -> QIcon:
        if self._warning is None:
            self._warning = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._warning


def badge_or_request(entry: AuditEntry) -> str:
    if entry.request_id is None:
        return entry.badge
    return f"request #{entry.request_id}: {entry.badge}" if entry.badge else f"request #{entry.request_id}"


#: Columns whose text may be long or written by others: the tooltip shows it whole, line breaks kept.
_FULL_TEXT: dict[int, Callable[[AuditEntry], str]] = {
    MEMBER: lambda e: e.member,
    BADGE: badge_or_request,
    WHY: lambda e: e.reason,
    DETAIL: lambda e: e.detail,
}
