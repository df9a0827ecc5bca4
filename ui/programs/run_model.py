"""The table of a program's dry run: each candidate, what becomes of it, why, and the reason it carries.

A thin adapter over :class:`desktop.programs.dry_run.ProgramDryRun`: the candidates
in the source's order, then the members gone from a list source. Tied members (equal
score across the cut-off) are checkable: the moderator ticks those who get the badge;
nothing else is.

GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from desktop.programs.dry_run import PICKABLE, PlannedCandidate, ProgramDryRun, Standing
from ui.i18n import format_number, translated
from ui.widgets.colours import colour
from ui.widgets.table_model import FlatTableModel

ModelIndex = QModelIndex | QPersistentModelIndex

_CONTEXT = "ProgramRunModel"

#: What the dry run made of a candidate, for people (translated where shown).
STANDINGS: dict[Standing, object] = {
    Standing.TO_AWARD: QT_TRANSLATE_NOOP("ProgramRunModel", "To award"),
    Standing.TIE: QT_TRANSLATE_NOOP("ProgramRunModel", "Tie: you decide"),
    Standing.BELOW_CUT: QT_TRANSLATE_NOOP("ProgramRunModel", "Below the cut-off"),
    Standing.AWARDED_THIS_PERIOD: QT_TRANSLATE_NOOP("ProgramRunModel", "Awarded this period"),
    Standing.ALREADY_HOLDS: QT_TRANSLATE_NOOP("ProgramRunModel", "Already holds the badge"),
    Standing.RULE_EXCLUDED: QT_TRANSLATE_NOOP("ProgramRunModel", "Does not meet the conditions"),
    Standing.INACTIVE: QT_TRANSLATE_NOOP("ProgramRunModel", "Suspended or deleted"),
    Standing.NOT_FOUND: QT_TRANSLATE_NOOP("ProgramRunModel", "Not found"),
    Standing.TO_REVOKE: QT_TRANSLATE_NOOP("ProgramRunModel", "Gone from the list: holds the badge"),
    Standing.REVOKED_THIS_PERIOD: QT_TRANSLATE_NOOP(
        "ProgramRunModel", "Gone from the list: revoked this period"
    ),
    Standing.NOT_HOLDING: QT_TRANSLATE_NOOP("ProgramRunModel", "Gone from the list: does not hold it"),
}

#: The columns, in order.
HEADERS = (
    QT_TRANSLATE_NOOP("ProgramRunModel", "Member"),
    QT_TRANSLATE_NOOP("ProgramRunModel", "Standing"),
    QT_TRANSLATE_NOOP("ProgramRunModel", "Score"),
    QT_TRANSLATE_NOOP("ProgramRunModel", "Why"),
    QT_TRANSLATE_NOOP("ProgramRunModel", "Reason the award carries"),
)
MEMBER, STANDING, SCORE, WHY, REASON = range(len(HEADERS))

#: The row's :class:`Standing` (a role for tests and for sorting by standing).
STANDING_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The raw score (a float, or None), whatever the locale shows.
SCORE_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: The member's id.
MEMBER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 3

#: Standings shown quieter: nothing will be sent for them.
_QUIET = {
    Standing.BELOW_CUT,
    Standing.AWARDED_THIS_PERIOD,
    Standing.ALREADY_HOLDS,
    Standing.RULE_EXCLUDED,
    Standing.REVOKED_THIS_PERIOD,
    Standing.NOT_HOLDING,
}
_WARN = {Standing.TIE, Standing.INACTIVE, Standing.NOT_FOUND, Standing.TO_REVOKE}


def standing_text(standing: Standing) -> str:
    return translated(_CONTEXT, STANDINGS[standing])


#: The rows the moderator may tick or untick (desktop.programs.dry_run.PICKABLE): those picked
#: (ticked at first), the ties across the cut-off, and those below it (another liked post).
_PICKABLE = PICKABLE


class ProgramRunModel(FlatTableModel):
    """The dry run's rows; each member it may award carries a check box (the moderator's choice):
    those picked start ticked, the ties and those below the cut-off unticked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlannedCandidate] = []
        self._chosen: set[int] = set()
        self.headers = tuple(translated(_CONTEXT, h) for h in HEADERS)

    def set_plan(self, plan: ProgramDryRun | None) -> None:
        self.beginResetModel()
        self._rows = [] if plan is None else [*plan.rows, *plan.gone]
        self._chosen = set() if plan is None else set(plan.to_award)
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def row(self, number: int) -> PlannedCandidate:
        return self._rows[number]

    @property
    def chosen(self) -> frozenset[int]:
        """The members ticked: the run awards them."""
        return frozenset(self._chosen)

    @property
    def chosen_ties(self) -> frozenset[int]:
        """The tied members the moderator ticked."""
        ties = {row.member_id for row in self._rows if row.standing is Standing.TIE}
        return frozenset(self._chosen & ties)

    def set_chosen(self, member_id: int, chosen: bool) -> None:
        for number, row in enumerate(self._rows):
            if row.member_id == member_id and row.standing in _PICKABLE:
                self.setData(
                    self.index(number, MEMBER),
                    Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked,
                    Qt.ItemDataRole.CheckStateRole,
                )

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        found = super().flags(index)
        if index.isValid() and index.column() == MEMBER and self._rows[index.row()].standing in _PICKABLE:
            found |= Qt.ItemFlag.ItemIsUserCheckable
        return found

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == MEMBER and row.standing in _PICKABLE:
            return Qt.CheckState.Checked if row.member_id in self._chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and column == STANDING:
            if row.standing in _WARN:
                return QBrush(colour("warning"))
            if row.standing in _QUIET:
                return QBrush(colour("quiet"))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == STANDING_ROLE:
            return row.standing
        if role == SCORE_ROLE:
            return row.candidate.score
        if role == MEMBER_ID_ROLE:
            return row.member_id
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != MEMBER:
            return False
        row = self._rows[index.row()]
        if row.standing not in _PICKABLE:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if checked:
            self._chosen.add(row.member_id)
        else:
            self._chosen.discard(row.member_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    @staticmethod
    def _text(row: PlannedCandidate, column: int) -> str:
        if column == MEMBER:
            return row.member
        if column == STANDING:
            return standing_text(row.standing)
        if column == SCORE:
            score = row.candidate.score
            if score is None:
                return ""
            return format_number(int(score)) if score.is_integer() else format_number(score)
        if column == WHY:
            return row.candidate.why
        # A member gone from the list carries no award; its "reason" is why it is gone.
        if row.standing in _PICKABLE:
            return row.reason
        return ""
