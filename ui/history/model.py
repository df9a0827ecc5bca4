"""Table model of the History pane: one row per award event, newest first, pages appended."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush

from desktop.award_history import AwardEvent, EventKind, EventSource
from ui.i18n import format_datetime
from ui.widgets.colours import colour
from ui.widgets.table_model import ModelIndex, NewestFirstModel
from ui.widgets.text import plain_tooltip

#: The whole :class:`~desktop.award_history.AwardEvent` of a row.
AwardEventRole = Qt.ItemDataRole.UserRole + 1

#: The headers in English, shown translated by :meth:`HistoryTableModel.headerData`.
COLUMNS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "When")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Event")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Member")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Badge")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Who")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Reason")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Batch")),
    str(QT_TRANSLATE_NOOP("HistoryTableModel", "Source")),
)
(WHEN, EVENT, MEMBER, BADGE, WHO, REASON, BATCH, SOURCE) = range(len(COLUMNS))

KIND_NAMES: dict[EventKind, str] = {
    EventKind.AWARD: str(QT_TRANSLATE_NOOP("HistoryTableModel", "award")),
    EventKind.REVOKE: str(QT_TRANSLATE_NOOP("HistoryTableModel", "revoke")),
}
SOURCE_NAMES: dict[EventSource, str] = {
    EventSource.SERVER: str(QT_TRANSLATE_NOOP("HistoryTableModel", "server")),
    EventSource.LOCAL: str(QT_TRANSLATE_NOOP("HistoryTableModel", "this machine")),
    EventSource.BOTH: str(QT_TRANSLATE_NOOP("HistoryTableModel", "server, sent from here")),
}


def _translated(text: str) -> str:
    return QCoreApplication.translate("HistoryTableModel", text)


def one_line(text: str) -> str:
    return " ".join(text.split())


class HistoryTableModel(NewestFirstModel):
    """Award events as the view loaded them; GUI thread only. Text is shown as plain text."""

    headers = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AwardEvent] = []

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        shown = super().headerData(section, orientation, role)
        return _translated(shown) if isinstance(shown, str) else shown

    def page_key(self, row: AwardEvent) -> Any:
        return row.position

    def award_event(self, row: int) -> AwardEvent:
        return self._rows[row]

    @property
    def events(self) -> list[AwardEvent]:
        return list(self._rows)

    @property
    def oldest(self) -> tuple[int, int, int] | None:
        """Where the next page starts (``before``), or None when empty."""
        return self._rows[-1].position if self._rows else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(event, column)
        if role == AwardEventRole:
            return event
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (MEMBER, BADGE, REASON, BATCH):
                return plain_tooltip(self.text(event, column, whole=True)) or None
            return None
        if role == Qt.ItemDataRole.ForegroundRole and event.kind is EventKind.REVOKE:
            return QBrush(colour("quiet"))
        return None

    @staticmethod
    def text(event: AwardEvent, column: int, *, whole: bool = False) -> str:
        """The cell's display text (one line, unless ``whole``)."""
        shown = one_line if not whole else str
        if column == WHEN:
            return format_datetime(event.when, seconds=True)
        if column == EVENT:
            return _translated(KIND_NAMES[event.kind])
        if column == MEMBER:
            return shown(event.member)
        if column == BADGE:
            return shown(event.badge)
        if column == WHO:
            return shown(event.who)
        if column == REASON:
            return shown(event.reason)
        if column == BATCH:
            return shown(event.batch)
        if column == SOURCE:
            return _translated(SOURCE_NAMES[event.source])
        return ""
