"""Table model of the review queue: one row per request group (duplicates together)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from desktop.domain import ActionState, Decision
from desktop.review import RequestGroup
from desktop.review_status import Again, Reversal
from ui.i18n import format_datetime
from ui.widgets.colours import colour
from ui.widgets.table_model import FlatTableModel, ModelIndex
from ui.widgets.text import plain_tooltip

GroupRole = Qt.ItemDataRole.UserRole + 1

GroupKey = tuple[str, int]

#: The columns' English titles (what tests and code refer to them by); shown translated by ``headerData``.
COLUMNS = ("Requested", "Member", "Badge", "Score", "Status")

#: What a group shows while its decision is being committed (not yet "queued").
SAVING = "saving"
SKIPPED = "skipped"


class ReviewGroupModel(FlatTableModel):
    """Lives on the GUI thread; groups are loaded by the pane and handed in.

    Besides what the cache says, the pane marks groups it is saving a decision
    for, and groups the moderator skipped in this session.
    """

    headers = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[RequestGroup] = []
        self._rows: dict[GroupKey, int] = {}
        self._marks: dict[GroupKey, str] = {}

    # --- content --------------------------------------------------------------

    def set_groups(self, groups: Sequence[RequestGroup]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self._rows = {g.key: row for row, g in enumerate(self._groups)}
        # A decided group has a key of its own: the pending one it came from,
        # and its "saving" mark, are gone once the cache knows the decision.
        # A conflict card being settled keeps its mark until the cache shows the follow-up.
        self._marks = {
            key: mark
            for key, mark in self._marks.items()
            if key in self._rows
            and not (key[0] == "decision" and not self._groups[self._rows[key]].undecided)
        }
        self.endResetModel()

    def group(self, row: int) -> RequestGroup | None:
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def groups(self) -> list[RequestGroup]:
        return list(self._groups)

    def row_of(self, key: GroupKey) -> int | None:
        return self._rows.get(key)

    def row_of_request(self, request_id: int) -> int | None:
        """The row showing this request (the decided group when there are two)."""
        found = [row for row, g in enumerate(self._groups) if any(r.id == request_id for r in g.requests)]
        decided = [row for row in found if self._groups[row].decision is not None]
        rows = decided or found
        return rows[-1] if rows else None

    def mark(self, key: GroupKey, mark: str | None) -> None:
        if mark is None:
            self._marks.pop(key, None)
        else:
            self._marks[key] = mark
        row = self._rows.get(key)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def marked(self, key: GroupKey) -> str | None:
        return self._marks.get(key)

    def is_open(self, row: int | None) -> bool:
        """Still to decide: pending and not being saved."""
        group = self.group(row) if row is not None else None
        return group is not None and group.pending and self._marks.get(group.key) != SAVING

    def row_count(self) -> int:
        return len(self._groups)

    # --- display --------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            titles = (
                self.tr("Requested"),
                self.tr("Member"),
                self.tr("Badge"),
                self.tr("Score"),
                self.tr("Status"),
            )
            return titles[section]
        return None

    def status_text(self, group: RequestGroup) -> str:
        mark = self._marks.get(group.key)
        if mark == SAVING:
            return self.tr("Saving…")
        if group.decision is not None:
            d = group.decision
            if d.state is ActionState.CONFLICT:
                if d.their_decision in (None, "pending"):
                    return self.tr("Changed on the server")
                left = len(group.undecided)
                if d.decided_by:
                    if left:
                        return self.tr("Decided by {who} · %n left to settle", "", left).format(
                            who=d.decided_by
                        )
                    return self.tr("Decided by {who}").format(who=d.decided_by)
                if left:
                    return self.tr("Decided by someone else · %n left to settle", "", left)
                return self.tr("Decided by someone else")
            if d.state is ActionState.DONE and d.again is not None:
                return self._again(d.again)
            if d.state is ActionState.DONE and d.undone and d.reversal is not None:
                return self._reversal(d.reversal)
            if d.state is ActionState.DONE:
                return self._outcome(d.decision, "undone" if d.undone else "sent")
            if d.state is ActionState.FAILED:
                return self._outcome(d.decision, "refused")
            return self._outcome(d.decision, "queued")
        parts = []
        if group.suspended:
            parts.append(self.tr("Suspended member"))
        if group.duplicates:
            parts.append(self.tr("%n request(s)", "", len(group.requests)))
        if mark == SKIPPED:
            parts.append(self.tr("Skipped"))
        return " · ".join(parts)

    def _reversal(self, reversal: Reversal) -> str:
        """Where the undo of an approval already sent is (the revoke of its award)."""
        texts = {
            Reversal.QUEUED: self.tr("Approved · undo queued"),
            Reversal.SENDING: self.tr("Approved · undoing…"),
            Reversal.REVOKED: self.tr("Reverted · award revoked"),
            Reversal.NOTHING: self.tr("Approved · undone"),
            Reversal.REFUSED: self.tr("Approved · undo refused"),
            Reversal.DISCARDED: self.tr("Approved · sent"),
        }
        return texts[reversal]

    def _again(self, again: Again) -> str:
        """Where the award of an approval given again is."""
        texts = {
            Again.QUEUED: self.tr("Approved again · queued"),
            Again.SENDING: self.tr("Approved again · sending"),
            Again.AWARDED: self.tr("Approved again · sent"),
            Again.HELD: self.tr("Approved again · already held"),
            Again.REFUSED: self.tr("Approved again · refused by the server"),
        }
        return texts[again]

    def _outcome(self, decision: Decision, outcome: str) -> str:
        """What became of a decision made here, as one phrase per decision and outcome."""
        if decision is Decision.APPROVE:
            texts = {
                "undone": self.tr("Approved · undone"),
                "sent": self.tr("Approved · sent"),
                "refused": self.tr("Approved · refused by the server"),
                "queued": self.tr("Approved · queued"),
            }
        elif decision is Decision.DENY:
            texts = {
                "undone": self.tr("Denied · undone"),
                "sent": self.tr("Denied · sent"),
                "refused": self.tr("Denied · refused by the server"),
                "queued": self.tr("Denied · queued"),
            }
        else:
            texts = {
                "undone": self.tr("Returned · undone"),
                "sent": self.tr("Returned · sent"),
                "refused": self.tr("Returned · refused by the server"),
                "queued": self.tr("Returned · queued"),
            }
        return texts[outcome]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self._groups[index.row()]
        column = index.column()
        if role == GroupRole:
            return group
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return format_datetime(group.created_at)
            if column == 1:
                return group.member_text
            if column == 2:
                return group.badge_text
            if column == 3:
                return group.score.total
            return self.status_text(group)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 3:
                return plain_tooltip(group.score.explain())
            if column == 4 and group.decision is not None:
                return plain_tooltip(group.decision.status_text)
        if role == Qt.ItemDataRole.ForegroundRole:
            if group.decision is not None and (
                group.decision.state in (ActionState.CONFLICT, ActionState.FAILED)
                or group.decision.reversal is Reversal.REFUSED
                or group.decision.again is Again.REFUSED
            ):
                return QBrush(colour("error"))
            if column == 4 and group.suspended and group.pending:
                return QBrush(colour("error"))
            if not group.pending or self._marks.get(group.key) == SAVING:
                return QBrush(colour("quiet"))
        if role == Qt.ItemDataRole.FontRole and group.pending and self._marks.get(group.key) != SKIPPED:
            font = QFont()
            font.setBold(column == 1)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        decision = group.decision
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and decision is not None
            and decision.state is ActionState.DONE
        ) and (not decision.undone or decision.again is Again.AWARDED):
            done = colour("success")
            done.setAlpha(28)
            return QBrush(done)
        return None


def group_at(index: QModelIndex | QPersistentModelIndex) -> RequestGroup | None:
    value = index.data(GroupRole) if index.isValid() else None
    return value if isinstance(value, RequestGroup) else None
