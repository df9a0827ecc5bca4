"""Table model of badge requests, with the member and badge they concern."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.domain import Badge, BadgeRequest, Member, MemberStatus
from ui.text import plain_tooltip

RequestRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Requested", "Member", "Badge", "Note", "Evidence")


@dataclass(frozen=True, slots=True)
class RequestRow:
    request: BadgeRequest
    member: Member | None
    badge: Badge | None


class RequestTableModel(QAbstractTableModel):
    """Lives on the GUI thread; rows are loaded elsewhere and handed in.

    Member-provided text (the note) is returned as plain display text; views
    never render it as rich text.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RequestRow] = []

    def set_rows(self, rows: list[RequestRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        request = row.request
        if role == RequestRole:
            return request
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return request.created_at.strftime("%Y-%m-%d %H:%M")
            if column == 1:
                if row.member is None:
                    return f"member #{request.member_id}"
                flag = " (suspended)" if row.member.status is MemberStatus.SUSPENDED else ""
                return f"{row.member.display_name} (@{row.member.username}){flag}"
            if column == 2:
                return row.badge.title if row.badge else f"badge #{request.badge_id}"
            if column == 3:
                # One line in the table; the whole note is in the tooltip.
                return " ".join(request.note.split())
            return request.evidence_url or ""
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return plain_tooltip(request.note)
        return None
