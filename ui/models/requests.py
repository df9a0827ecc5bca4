"""Table model of badge requests, with the member and badge they concern."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from desktop.domain import Badge, BadgeRequest, Member, MemberStatus
from ui.models import FlatTableModel, ModelIndex
from ui.text import plain_tooltip

RequestRole = Qt.ItemDataRole.UserRole + 1


COLUMNS = ("Requested", "Member", "Badge", "Note", "Evidence")


@dataclass(frozen=True, slots=True)
class RequestRow:
    request: BadgeRequest
    member: Member | None
    badge: Badge | None


class RequestTableModel(FlatTableModel):
    """Lives on the GUI thread; rows are loaded elsewhere and handed in.

    Member-provided text (the note) is returned as plain display text; views
    never render it as rich text.
    """

    headers = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RequestRow] = []

    def set_rows(self, rows: list[RequestRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
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
