"""Table model of the audit log: one row per outbox action, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop.audit import AuditEntry
from desktop.domain import ActionState, AwardOutcome
from ui.i18n import format_datetime
from ui.widgets.action_labels import KIND_LABELS
from ui.widgets.colours import colour
from ui.widgets.table_model import ModelIndex, NewestFirstModel
from ui.widgets.text import plain_tooltip

#: The whole :class:`~desktop.audit.AuditEntry` of a row.
AuditEntryRole = Qt.ItemDataRole.UserRole + 1

#: The headers in English, shown translated by :meth:`AuditTableModel.headerData`.
COLUMNS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("AuditTableModel", "When")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Who")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Action")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Member")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Badge / request")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Why")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Batch")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "State")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Outcome")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Detail")),
    str(QT_TRANSLATE_NOOP("AuditTableModel", "Confirmed")),
)
(WHEN, WHO, ACTION, MEMBER, BADGE, WHY, BATCH, STATE, OUTCOME, DETAIL, CONFIRMED) = range(len(COLUMNS))


# An action's state as the State column names it (the stored value, in the user's language).
STATE_NAMES: dict[ActionState, str] = {
    ActionState.PENDING: str(QT_TRANSLATE_NOOP("ActionState", "pending")),
    ActionState.SENDING: str(QT_TRANSLATE_NOOP("ActionState", "sending")),
    ActionState.DONE: str(QT_TRANSLATE_NOOP("ActionState", "done")),
    ActionState.FAILED: str(QT_TRANSLATE_NOOP("ActionState", "failed")),
    ActionState.CONFLICT: str(QT_TRANSLATE_NOOP("ActionState", "conflict")),
    ActionState.HELD: str(QT_TRANSLATE_NOOP("ActionState", "held")),
    ActionState.DISCARDED: str(QT_TRANSLATE_NOOP("ActionState", "discarded")),
}
# The outcomes the outbox stores (the server's answer, or what the user did), as the Outcome
# column names them; another outcome shows as stored, its underscores as spaces.
_OUTCOMES: dict[str, str] = {
    AwardOutcome.AWARDED: str(QT_TRANSLATE_NOOP("AuditTableModel", "awarded")),
    AwardOutcome.ALREADY_HELD: str(QT_TRANSLATE_NOOP("AuditTableModel", "already held")),
    AwardOutcome.NOT_FOUND: str(QT_TRANSLATE_NOOP("AuditTableModel", "not found")),
    AwardOutcome.MEMBER_SUSPENDED: str(QT_TRANSLATE_NOOP("AuditTableModel", "member suspended")),
    AwardOutcome.BADGE_NOT_AWARDABLE: str(QT_TRANSLATE_NOOP("AuditTableModel", "badge not awardable")),
    AwardOutcome.REVOKED: str(QT_TRANSLATE_NOOP("AuditTableModel", "revoked")),
    AwardOutcome.NOT_HELD: str(QT_TRANSLATE_NOOP("AuditTableModel", "not held")),
    "approved": str(QT_TRANSLATE_NOOP("AuditTableModel", "approved")),
    "denied": str(QT_TRANSLATE_NOOP("AuditTableModel", "denied")),
    "returned": str(QT_TRANSLATE_NOOP("AuditTableModel", "returned")),
    "uploaded": str(QT_TRANSLATE_NOOP("AuditTableModel", "uploaded")),
    "refused": str(QT_TRANSLATE_NOOP("AuditTableModel", "refused")),
    "one-by-one": str(QT_TRANSLATE_NOOP("AuditTableModel", "one-by-one")),
    "skipped": str(QT_TRANSLATE_NOOP("AuditTableModel", "skipped")),
    "discarded": str(QT_TRANSLATE_NOOP("AuditTableModel", "discarded")),
    "undone": str(QT_TRANSLATE_NOOP("AuditTableModel", "undone")),
}


def state_name(state: ActionState) -> str:
    """The action state's name in the user's language ("failed")."""
    name = STATE_NAMES[state]
    return QCoreApplication.translate("ActionState", name)


def _translated(text: str) -> str:
    """One of this model's texts marked with ``QT_TRANSLATE_NOOP("AuditTableModel", …)``."""
    return QCoreApplication.translate("AuditTableModel", text)


def outcome_text(outcome: str) -> str:
    known = _OUTCOMES.get(outcome)
    return _translated(known) if known is not None else outcome.replace("_", " ")


def local_time(value: datetime | None) -> str:
    """A moment as the locale writes it, to the second (actions of one batch come close together)."""
    return format_datetime(value, seconds=True)


def one_line(text: str) -> str:
    return " ".join(text.split())


class AuditTableModel(NewestFirstModel):
    """Audit entries as loaded by the view, newest first; pages are appended.

    GUI thread only. Every string is returned as display text, which item
    views paint as plain text; tooltips go through :func:`plain_tooltip`, so
    names like ``<b>x</b>`` show literally.
    """

    headers = COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        shown = super().headerData(section, orientation, role)
        return _translated(shown) if isinstance(shown, str) else shown

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditEntry] = []
        self._warning: QIcon | None = None

    # --- contents -----------------------------------------------------------------

    def page_key(self, row: AuditEntry) -> Any:
        return row.id

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
            return one_line(entry.batch)
        if column == STATE:
            return state_name(entry.state)
        if column == OUTCOME:
            return outcome_text(entry.outcome)
        if column == DETAIL:
            return one_line(entry.detail)
        if column == CONFIRMED:
            return local_time(entry.confirmed_at)
        return ""

    def _tooltip(self, entry: AuditEntry, column: int) -> str | None:
        if column == BATCH:
            if not entry.batch_id:
                return None
            if entry.batch:
                return plain_tooltip(
                    self.tr("{batch}\nBatch id: {id}").format(batch=entry.batch, id=entry.batch_id)
                )
            return plain_tooltip(self.tr("Batch {id}").format(id=entry.batch_id))
        if column == WHEN:
            lines = [self.tr("Queued {time}").format(time=local_time(entry.created_at))]
            if entry.sent_at is not None:
                lines.append(self.tr("Sent {time}").format(time=local_time(entry.sent_at)))
            if entry.confirmed_at is not None:
                lines.append(self.tr("Confirmed {time}").format(time=local_time(entry.confirmed_at)))
            return plain_tooltip("\n".join(lines))
        if column == STATE and entry.state.needs_user:
            text = self.tr("{state}: waits for you in the outbox")
            return plain_tooltip(text.format(state=state_name(entry.state)))
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
    if entry.badge:
        text = QCoreApplication.translate("AuditTableModel", "request #{id}: {badge}")
        return text.format(id=entry.request_id, badge=entry.badge)
    return QCoreApplication.translate("AuditTableModel", "request #{id}").format(id=entry.request_id)


#: Columns whose text may be long or written by others: the tooltip shows it whole, line breaks kept.
_FULL_TEXT: dict[int, Callable[[AuditEntry], str]] = {
    MEMBER: lambda e: e.member,
    BADGE: badge_or_request,
    WHY: lambda e: e.reason,
    DETAIL: lambda e: e.detail,
}
