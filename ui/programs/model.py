"""The programs pane's tables and the words for a program: its source, its cadence.

Thin adapters over :mod:`desktop.programs.history`'s rows: the programs (name,
source in words, cadence, badge, last run, due), one program's runs (date, period,
how many awarded, the batch) and its winners by period (period, member, reason,
the award's state). :data:`ROW_ROLE` gives a row's record. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush

from desktop.dialects.activity import Measure
from desktop.domain import ActionState
from desktop.programs.history import ProgramRow, RunRow, Winner
from desktop.programs.model import SourceSpec
from desktop.programs.periods import Cadence
from ui.audit.model import state_name
from ui.i18n import format_date, format_datetime, format_number, translated
from ui.widgets.colours import colour
from ui.widgets.table_model import FlatTableModel, ModelIndex
from ui.widgets.text import plain_tooltip

#: A row's record (a ProgramRow, RunRow or Winner).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

_TEXTS = "ProgramTexts"

#: The cadences in the order offered, as named.
CADENCES: tuple[tuple[Cadence, str], ...] = (
    (Cadence.WEEKLY, str(QT_TRANSLATE_NOOP("ProgramTexts", "Weekly"))),
    (Cadence.MONTHLY, str(QT_TRANSLATE_NOOP("ProgramTexts", "Monthly"))),
    (Cadence.QUARTERLY, str(QT_TRANSLATE_NOOP("ProgramTexts", "Quarterly"))),
    (Cadence.YEARLY, str(QT_TRANSLATE_NOOP("ProgramTexts", "Yearly"))),
    (Cadence.ONE_OFF, str(QT_TRANSLATE_NOOP("ProgramTexts", "One-off"))),
)

#: The kinds of source, as the editor offers them.
KINDS: dict[str, str] = {
    "leaderboard": str(QT_TRANSLATE_NOOP("ProgramTexts", "Leaderboard: the top members of the period")),
    "liked-posts": str(QT_TRANSLATE_NOOP("ProgramTexts", "Most liked posts of the period")),
    "topic": str(QT_TRANSLATE_NOOP("ProgramTexts", "Everyone who posted in a topic")),
    "posters": str(QT_TRANSLATE_NOOP("ProgramTexts", "Everyone who posted in the period")),
    "list": str(QT_TRANSLATE_NOOP("ProgramTexts", "A list from another system")),
    "tenure": str(QT_TRANSLATE_NOOP("ProgramTexts", "Tenure: anniversaries in the period")),
}

#: What a leaderboard ranks by, in words.
MEASURES: tuple[tuple[Measure, str], ...] = (
    (Measure.LIKES_RECEIVED, str(QT_TRANSLATE_NOOP("ProgramTexts", "likes received"))),
    (Measure.REPLIES, str(QT_TRANSLATE_NOOP("ProgramTexts", "replies"))),
    (Measure.TOPICS, str(QT_TRANSLATE_NOOP("ProgramTexts", "topics"))),
    (Measure.DAYS_VISITED, str(QT_TRANSLATE_NOOP("ProgramTexts", "days visited"))),
    # Offered only where the server counts them (Capabilities.activity_measures).
    (Measure.SOLUTIONS, str(QT_TRANSLATE_NOOP("ProgramTexts", "solutions"))),
)


def cadence_name(cadence: Cadence) -> str:
    return translated(_TEXTS, dict(CADENCES)[cadence])


def kind_name(kind: str) -> str:
    known = KINDS.get(kind)
    return translated(_TEXTS, known) if known is not None else kind


def measure_name(value: str) -> str:
    known = dict((m.value, text) for m, text in MEASURES).get(value)
    return translated(_TEXTS, known) if known is not None else value


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate(_TEXTS, text, "", n)


def source_text(source: SourceSpec) -> str:
    """What the program reads, in a few words: "Top 3 by likes received"."""
    params = source.params
    kind = source.kind
    if kind == "leaderboard":
        text = QCoreApplication.translate("ProgramTexts", "Top {top} by {measure}").format(
            top=params.get("top", "?"), measure=measure_name(str(params.get("measure", "")))
        )
    elif kind == "liked-posts":
        top = _int(params, "top")
        text = QCoreApplication.translate("ProgramTexts", "The %n most liked post(s)", "", top)
    elif kind == "topic":
        title = str(params.get("topic_title") or "")
        if title:
            text = QCoreApplication.translate("ProgramTexts", "Everyone who posted in “{title}”").format(
                title=title
            )
        else:
            text = QCoreApplication.translate("ProgramTexts", "Everyone who posted in topic #{topic}").format(
                topic=params.get("topic_id", "?")
            )
    elif kind == "posters":
        if params.get("starts") and params.get("ends"):
            text = QCoreApplication.translate(
                "ProgramTexts", "Everyone who posted between {starts} and {ends}"
            ).format(starts=_moment(params["starts"]), ends=_moment(params["ends"]))
        else:
            text = QCoreApplication.translate("ProgramTexts", "Everyone who posted in the period")
    elif kind == "list":
        text = QCoreApplication.translate("ProgramTexts", "The list {file}").format(
            file=Path(str(params.get("path", ""))).name
        )
    elif kind == "tenure":
        years = _int(params, "years")
        text = QCoreApplication.translate("ProgramTexts", "%n year(s) a member", "", years)
    else:
        return kind
    minimum = params.get("min_posts")
    if kind in ("topic", "posters") and isinstance(minimum, int) and minimum > 1:
        text = QCoreApplication.translate(
            "ProgramTexts", "{source}, at least %n post(s)", "", minimum
        ).format(source=text)
    return text


def _int(params: dict[str, Any], name: str) -> int:
    value = params.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _moment(value: object) -> str:
    try:
        return format_datetime(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


Row = TypeVar("Row")


class _RowsModel(FlatTableModel, Generic[Row]):
    """Rows of records, with their English headers marked in ``_HEADERS`` of the subclass."""

    context = ""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        shown = super().headerData(section, orientation, role)
        return translated(self.context, shown) if isinstance(shown, str) else shown

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(self.text(row, index.column()).split())
        if role == ROW_ROLE:
            return row
        return self.other(row, index.column(), role)

    def text(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def other(self, row: Row, column: int, role: int) -> Any:
        return None


class ProgramTableModel(_RowsModel[ProgramRow]):
    context = "ProgramTableModel"
    headers = (
        str(QT_TRANSLATE_NOOP("ProgramTableModel", "Name")),
        str(QT_TRANSLATE_NOOP("ProgramTableModel", "Source")),
        str(QT_TRANSLATE_NOOP("ProgramTableModel", "Cadence")),
        str(QT_TRANSLATE_NOOP("ProgramTableModel", "Badge")),
        str(QT_TRANSLATE_NOOP("ProgramTableModel", "Last run")),
        str(QT_TRANSLATE_NOOP("ProgramTableModel", "Due")),
    )
    NAME, SOURCE, CADENCE, BADGE, LAST_RUN, DUE = range(6)

    def text(self, row: ProgramRow, column: int) -> str:
        program = row.program
        if column == self.NAME:
            return program.name
        if column == self.SOURCE:
            return source_text(program.spec.source)
        if column == self.CADENCE:
            return cadence_name(program.cadence)
        if column == self.BADGE:
            return row.badge_title or self.tr("badge #{id}").format(id=program.spec.badge_id)
        if column == self.LAST_RUN:
            run = row.last_run
            if run is None:
                return self.tr("never")
            return self.tr("{period}, {date}").format(period=run.period_key, date=format_date(run.ran_at))
        if column == self.DUE:
            if program.problem:
                return self.tr("cannot run")
            return "" if row.due is None else self.tr("due: {period}").format(period=row.due.key)
        return ""

    def other(self, row: ProgramRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUE and row.program.problem:
            return plain_tooltip(row.program.problem)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.BADGE and row.alumni_title:
            return plain_tooltip(self.tr("Alumni badge: {badge}").format(badge=row.alumni_title))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DUE:
            if row.program.problem:
                return QBrush(colour("error"))
            if row.due is not None:
                return QBrush(colour("warning"))
        return None


class RunTableModel(_RowsModel[RunRow]):
    context = "RunTableModel"
    headers = (
        str(QT_TRANSLATE_NOOP("RunTableModel", "Ran")),
        str(QT_TRANSLATE_NOOP("RunTableModel", "Period")),
        str(QT_TRANSLATE_NOOP("RunTableModel", "Awarded")),
        str(QT_TRANSLATE_NOOP("RunTableModel", "Revoked")),
        str(QT_TRANSLATE_NOOP("RunTableModel", "Batch")),
    )
    RAN, PERIOD, AWARDED, REVOKED, BATCH = range(5)

    def text(self, row: RunRow, column: int) -> str:
        if column == self.RAN:
            return format_datetime(row.run.ran_at)
        if column == self.PERIOD:
            return row.run.period_key
        if column == self.AWARDED:
            return format_number(row.awarded)
        if column == self.REVOKED:
            return format_number(row.revoked) if row.revoke_batch_name else ""
        if column == self.BATCH:
            if row.batch_name:
                return row.batch_name
            return self.tr("a hand-over") if row.handover else self.tr("nothing new to award")
        return ""

    def other(self, row: RunRow, column: int, role: int) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == self.BATCH
            and not (row.batch_name or row.handover)
        ):
            return QBrush(colour("quiet"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REVOKED and row.revoke_batch_name:
            return plain_tooltip(row.revoke_batch_name)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.AWARDED, self.REVOKED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class WinnerTableModel(_RowsModel[Winner]):
    context = "WinnerTableModel"
    headers = (
        str(QT_TRANSLATE_NOOP("WinnerTableModel", "Period")),
        str(QT_TRANSLATE_NOOP("WinnerTableModel", "Member")),
        str(QT_TRANSLATE_NOOP("WinnerTableModel", "Reason")),
        str(QT_TRANSLATE_NOOP("WinnerTableModel", "State")),
    )
    PERIOD, MEMBER, REASON, STATE = range(4)

    def text(self, row: Winner, column: int) -> str:
        if column == self.PERIOD:
            return row.period_key
        if column == self.MEMBER:
            return row.member or self.tr("member #{id}").format(id=row.member_id)
        if column == self.REASON:
            return row.reason
        if column == self.STATE:
            return "" if row.state is None else state_name(row.state)
        return ""

    def other(self, row: Winner, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE and row.state is not None:
            if row.state.needs_user:
                return QBrush(colour("error"))
            if row.state is not ActionState.DONE:
                return QBrush(colour("quiet"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REASON and row.reason:
            return plain_tooltip(row.reason)
        return None
