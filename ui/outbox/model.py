"""Table models of the outbox pane: batches with their counts, and single actions."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush

from desktop.audit import AuditEntry
from desktop.domain import ActionKind, ActionState, Badge
from desktop.outbox import BatchSummary, HoldReason
from ui.i18n import format_datetime, format_number, translated
from ui.widgets.action_labels import KIND_LABELS
from ui.widgets.colours import colour
from ui.widgets.table_model import FlatTableModel, ModelIndex
from ui.widgets.text import plain_tooltip

BatchRole = Qt.ItemDataRole.UserRole + 1
#: The batch table's column with the batch's name for people (the last one).
_NAME = 13
EntryRole = Qt.ItemDataRole.UserRole + 2


def source_title(source: str) -> str:
    """Where a batch's members came from, as stored ("selection", a file's name), in the user's words."""
    if source == "selection":
        return QCoreApplication.translate("ListSource", "selection")
    if source == "pasted list":
        return QCoreApplication.translate("ListSource", "pasted list")
    if source == "member detail":
        return QCoreApplication.translate("ListSource", "member detail")
    undone = source.removeprefix("undo of batch ")
    if undone != source:
        return QCoreApplication.translate("ListSource", "undo of batch {batch}").format(batch=undone)
    return source  # a file's name


#: How the single actions' table names each state (the stored value stays as it is).
STATE_NAMES = cast(
    dict[ActionState, str],
    {
        ActionState.PENDING: QT_TRANSLATE_NOOP("ActionTableModel", "pending"),
        ActionState.SENDING: QT_TRANSLATE_NOOP("ActionTableModel", "sending"),
        ActionState.DONE: QT_TRANSLATE_NOOP("ActionTableModel", "done"),
        ActionState.FAILED: QT_TRANSLATE_NOOP("ActionTableModel", "failed"),
        ActionState.CONFLICT: QT_TRANSLATE_NOOP("ActionTableModel", "conflict"),
        ActionState.HELD: QT_TRANSLATE_NOOP("ActionTableModel", "held"),
        ActionState.DISCARDED: QT_TRANSLATE_NOOP("ActionTableModel", "discarded"),
    },
)

#: What the outcomes stored by the sender and the user's decisions read as (others: the stored
#: value with spaces).
OUTCOME_NAMES = cast(
    dict[str, str],
    {
        "awarded": QT_TRANSLATE_NOOP("ActionTableModel", "awarded"),
        "revoked": QT_TRANSLATE_NOOP("ActionTableModel", "revoked"),
        "approved": QT_TRANSLATE_NOOP("ActionTableModel", "approved"),
        "denied": QT_TRANSLATE_NOOP("ActionTableModel", "denied"),
        "returned": QT_TRANSLATE_NOOP("ActionTableModel", "returned"),
        "withdrawn": QT_TRANSLATE_NOOP("ActionTableModel", "withdrawn"),
        "created": QT_TRANSLATE_NOOP("ActionTableModel", "created"),
        "saved": QT_TRANSLATE_NOOP("ActionTableModel", "saved"),
        "sent": QT_TRANSLATE_NOOP("ActionTableModel", "sent"),
        "draft": QT_TRANSLATE_NOOP("ActionTableModel", "draft"),
        "published": QT_TRANSLATE_NOOP("ActionTableModel", "published"),
        "disabled": QT_TRANSLATE_NOOP("ActionTableModel", "disabled"),
        "discontinued": QT_TRANSLATE_NOOP("ActionTableModel", "discontinued"),
        "skipped": QT_TRANSLATE_NOOP("ActionTableModel", "skipped"),
        "discarded": QT_TRANSLATE_NOOP("ActionTableModel", "discarded"),
        "undone": QT_TRANSLATE_NOOP("ActionTableModel", "undone"),
        "refused": QT_TRANSLATE_NOOP("ActionTableModel", "refused"),
        "conflict": QT_TRANSLATE_NOOP("ActionTableModel", "conflict"),
        "uploaded": QT_TRANSLATE_NOOP("ActionTableModel", "uploaded"),
        "one-by-one": QT_TRANSLATE_NOOP("ActionTableModel", "one-by-one"),
        "nothing-to-upload": QT_TRANSLATE_NOOP("ActionTableModel", "nothing-to-upload"),
    },
)


class BatchTableModel(FlatTableModel):
    """Batches, newest first. GUI thread only; rows are loaded elsewhere."""

    headers = cast(
        tuple[str, ...],
        (
            QT_TRANSLATE_NOOP("BatchTableModel", "Queued"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Action"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Badge"),
            QT_TRANSLATE_NOOP("BatchTableModel", "From"),
            QT_TRANSLATE_NOOP("BatchTableModel", "By"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Total"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Applied"),
            QT_TRANSLATE_NOOP("BatchTableModel", "No-op"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Conflict"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Held"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Failed"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Unsent"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Skipped"),
            QT_TRANSLATE_NOOP("BatchTableModel", "Batch"),
        ),
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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        title = super().headerData(section, orientation, role)
        return translated("BatchTableModel", title) if isinstance(title, str) else title

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
                return format_datetime(batch.created_at)
            if column == 1:
                text = kind_label(batch.kind)
                return self.tr("{action} (undo)").format(action=text) if batch.undo_of else text
            if column == 2:
                badge = self._badges.get(batch.badge_id)
                return badge.title if badge is not None else self.tr("badge #{id}").format(id=batch.badge_id)
            if column == 3:
                # An undo batch comes from the batch it undoes: its name says which.
                return batch.name if batch.undo_of and batch.name else source_title(batch.source)
            if column == 4:
                return batch.actor
            if column == _NAME:
                return batch.title
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
            return format_number(counts[column - 5])
        if role == Qt.ItemDataRole.TextAlignmentRole and 5 <= column < _NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (8, 9, 10):
            value = (summary.conflict, summary.held, summary.failed)[column - 8]
            return QBrush(colour("error")) if value else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                f"{batch.title} ({batch.id})",
                self.tr("Reason: {reason}").format(reason=batch.reason or "—"),
            ]
            if batch.kind is ActionKind.AWARD:
                lines.append(
                    self.tr("Sends the award message") if batch.notify else self.tr("No message to members")
                )
            if batch.undone_by == "-":
                lines.append(self.tr("Undone"))
            elif batch.undone_by:
                undo_row = self.row_of(batch.undone_by)
                if undo_row >= 0:
                    undo = self._rows[undo_row].batch.title
                    lines.append(self.tr("Undone by {batch}").format(batch=undo))
                else:  # an undo older than the batches listed
                    lines.append(self.tr("Undone"))
            return plain_tooltip("\n".join(lines))
        return None


class ActionTableModel(FlatTableModel):
    """Single actions (from the audit query). GUI thread only."""

    headers = cast(
        tuple[str, ...],
        (
            QT_TRANSLATE_NOOP("ActionTableModel", "Queued"),
            QT_TRANSLATE_NOOP("ActionTableModel", "Action"),
            QT_TRANSLATE_NOOP("ActionTableModel", "Member"),
            QT_TRANSLATE_NOOP("ActionTableModel", "Badge"),
            QT_TRANSLATE_NOOP("ActionTableModel", "State"),
            QT_TRANSLATE_NOOP("ActionTableModel", "Outcome / why"),
            QT_TRANSLATE_NOOP("ActionTableModel", "Batch"),
        ),
    )

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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        title = super().headerData(section, orientation, role)
        return translated("ActionTableModel", title) if isinstance(title, str) else title

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == EntryRole:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return format_datetime(entry.created_at)
            if column == 1:
                return kind_label(entry.kind)
            if column == 2:
                return entry.member
            if column == 3:
                if entry.request_id is None:
                    return entry.badge
                return self.tr("request #{id}: {badge}").format(id=entry.request_id, badge=entry.badge)
            if column == 4:
                return translated("ActionTableModel", STATE_NAMES[entry.state])
            if column == 5:
                return _why(entry)
            return entry.batch
        if role == Qt.ItemDataRole.ForegroundRole and entry.state.needs_user:
            return QBrush(colour("error"))
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 5):
            return plain_tooltip(entry.member if column == 2 else _why(entry))
        if role == Qt.ItemDataRole.ToolTipRole and column == 6 and entry.batch:
            return plain_tooltip(entry.batch)
        return None


def kind_label(kind: ActionKind) -> str:
    """The kind of an action or a batch ("Award"), in the user's language.

    The labels are marked in ``ui.widgets.action_labels`` in the context "ActionLabels"; where
    that module translates them itself, translating its answer again changes nothing.
    """
    return translated("ActionLabels", KIND_LABELS[kind])


def _why(entry: AuditEntry) -> str:
    if entry.state in (ActionState.HELD, ActionState.CONFLICT) and entry.hold_reason:
        reason = HoldReason(entry.hold_reason)
        if reason is HoldReason.TITLE_HELD_ELSEWHERE and entry.detail:
            # A hand-over stopped: who holds the badge on the server, named.
            return QCoreApplication.translate("ActionTableModel", "{reason} (skip)").format(
                reason=entry.detail
            )
        if reason.forceable:
            return QCoreApplication.translate("ActionTableModel", "{reason} (apply anyway or skip)").format(
                reason=reason.text
            )
        return QCoreApplication.translate("ActionTableModel", "{reason} (skip)").format(reason=reason.text)
    if entry.state is ActionState.FAILED:
        return entry.detail or QCoreApplication.translate("ActionTableModel", "refused by the server")
    if entry.state is ActionState.DONE and entry.detail:
        # A no-op: why nothing changed, and who granted a badge already held.
        return entry.detail
    outcome = OUTCOME_NAMES.get(entry.outcome)
    return translated("ActionTableModel", outcome) if outcome else entry.outcome.replace("_", " ")
