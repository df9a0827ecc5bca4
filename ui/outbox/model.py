"""Table models of the outbox pane: batches with their counts, and single actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from desktop.audit import AuditEntry
from desktop.domain import ActionKind, ActionState, Badge
from desktop.outbox import BatchSummary, HoldReason
from ui.widgets.action_labels import KIND_LABELS
from ui.widgets.colours import colour
from ui.widgets.table_model import FlatTableModel, ModelIndex
from ui.widgets.text import plain_tooltip

BatchRole = Qt.ItemDataRole.UserRole + 1
EntryRole = Qt.ItemDataRole.UserRole + 2


class BatchTableModel(FlatTableModel):
    """Batches, newest first. GUI thread only; rows are loaded elsewhere."""

    headers = (
        "Queued",
        "Action",
        "Badge",
        "From",
        "By",
        "Total",
        "Applied",
        "No-op",
        "Conflict",
        "Held",
        "Failed",
        "Unsent",
        "Skipped",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BatchSummary] = []
        self._badges: dict[int, Badge] = {}

    def set_rows(self, rows: list[BatchSummary], badges: dict[int, Badge]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._badges = badges
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def summary(self, row: int) -> BatchSummary:
        return self._rows[row]

    def row_of(self, batch_id: str) -> int:
        return next((i for i, s in enumerate(self._rows) if s.batch.id == batch_id), -1)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        batch = summary.batch
        column = index.column()
        if role == BatchRole:
            return summary
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return batch.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if column == 1:
                text = KIND_LABELS[batch.kind]
                return f"{text} (undo)" if batch.undo_of else text
            if column == 2:
                badge = self._badges.get(batch.badge_id)
                return badge.title if badge is not None else f"badge #{batch.badge_id}"
            if column == 3:
                return batch.source
            if column == 4:
                return batch.actor
            counts = (
                summary.total,
                summary.applied,
                summary.noop,
                summary.conflict,
                summary.held,
                summary.failed,
                summary.unsent,
                summary.skipped,
            )
            return f"{counts[column - 5]:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (8, 9, 10):
            value = (summary.conflict, summary.held, summary.failed)[column - 8]
            return QBrush(colour("error")) if value else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{batch.label} ({batch.id})", f"Reason: {batch.reason or '—'}"]
            if batch.kind is ActionKind.AWARD:
                lines.append("Sends the award message" if batch.notify else "No message to members")
            if batch.undone_by:
                lines.append("Undone" if batch.undone_by == "-" else f"Undone by batch {batch.undone_by[:6]}")
            return plain_tooltip("\n".join(lines))
        return None


class ActionTableModel(FlatTableModel):
    """Single actions (from the audit query). GUI thread only."""

    headers = ("Queued", "Action", "Member", "Badge", "State", "Outcome / why", "Batch")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditEntry] = []

    def set_rows(self, rows: list[AuditEntry]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == EntryRole:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if column == 1:
                return KIND_LABELS[entry.kind]
            if column == 2:
                return entry.member
            if column == 3:
                return (
                    entry.badge if entry.request_id is None else f"request #{entry.request_id}: {entry.badge}"
                )
            if column == 4:
                return entry.state.value
            if column == 5:
                return _why(entry)
            return (entry.batch_id or "")[:6]
        if role == Qt.ItemDataRole.ForegroundRole and entry.state.needs_user:
            return QBrush(colour("error"))
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 5):
            return plain_tooltip(entry.member if column == 2 else _why(entry))
        return None


def _why(entry: AuditEntry) -> str:
    if entry.state in (ActionState.HELD, ActionState.CONFLICT) and entry.hold_reason:
        reason = HoldReason(entry.hold_reason)
        hint = "apply anyway or skip" if reason.forceable else "skip"
        return f"{reason.text} ({hint})"
    if entry.state is ActionState.FAILED:
        return entry.detail or "refused by the server"
    if entry.state is ActionState.DONE and entry.detail:
        # A no-op: why nothing changed, and who granted a badge already held.
        return entry.detail
    return entry.outcome.replace("_", " ")
