"""Table model over the cached members: it holds ids and loads rows lazily.

A million members must not mean a million objects: the model keeps the list
of ids (in display order) and a bounded cache of loaded rows. Rows are read in
blocks on a worker; until a block arrives its rows show a placeholder, and a
row that could not be loaded shows disabled instead of raising.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import shiboken6
from PySide6.QtCore import Qt

from desktop.community import Community
from desktop.domain import Member, MemberStatus
from desktop.member_search import SortKey, held_counts
from ui.operations import TaskManager
from ui.widgets.table_model import FlatTableModel, ModelIndex

MemberIdRole = Qt.ItemDataRole.UserRole + 1
MemberRole = Qt.ItemDataRole.UserRole + 2


COLUMNS: tuple[tuple[str, str], ...] = (
    ("Name", "display_name"),
    ("Username", "username"),
    ("Email", "email"),
    ("Joined", "joined_at"),
    ("Last seen", "last_seen_at"),
    ("Status", "status"),
    ("Badges", "badges"),
)
#: Header section → the sort it asks for (columns without one do not sort).
SORTABLE: dict[int, SortKey] = {
    0: SortKey.NAME,
    3: SortKey.JOINED,
    4: SortKey.LAST_SEEN,
    6: SortKey.BADGE_COUNT,
}


def _cell(member: Member, attribute: str, held: tuple[int, int]) -> str:
    if attribute == "badges":
        badges, grants = held
        # A badge held several times (Discourse's multiple_grant): the grants too.
        return f"{badges:,}" if grants == badges else f"{badges:,} ({grants:,} grants)"
    value = getattr(member, attribute)
    if value is None:
        return ""
    if attribute in ("joined_at", "last_seen_at"):
        return str(value.strftime("%Y-%m-%d"))
    if isinstance(value, MemberStatus):
        return value.value.capitalize()
    return str(value)


class MemberTableModel(FlatTableModel):
    """Lives on the GUI thread; loads blocks of rows through ``tasks``."""

    headers = tuple(title for title, _attribute in COLUMNS)

    BLOCK = 256
    MAX_CACHED = 20_000

    def __init__(self, community: Community, tasks: TaskManager, parent: Any = None) -> None:
        super().__init__(parent)
        self._community = community
        self._tasks = tasks
        self._ids: list[int] = []
        #: member id → (member, (badges held, grants held)), the most recently loaded last.
        self._rows: OrderedDict[int, tuple[Member, tuple[int, int]]] = OrderedDict()
        self._failed: set[int] = set()
        self._requested: set[int] = set()
        self._generation = 0

    # --- content --------------------------------------------------------------

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._rows.clear()
        self._failed.clear()
        self._requested.clear()
        self.endResetModel()

    @property
    def ids(self) -> list[int]:
        return self._ids

    def refresh(self) -> None:
        """Reload every row when next shown (same ids, new content)."""
        self.invalidate(frozenset(self._rows))

    def invalidate(self, member_ids: frozenset[int]) -> None:
        """Reload these members (same ids, new content) when next shown."""
        # A new generation drops blocks in flight, which may hold old content.
        self._generation += 1
        self._requested.clear()
        for member_id in member_ids:
            self._rows.pop(member_id, None)
            self._failed.discard(member_id)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def _ensure(self, row: int) -> None:
        block = row // self.BLOCK
        if block in self._requested:
            return
        self._requested.add(block)
        ids = self._ids[block * self.BLOCK : (block + 1) * self.BLOCK]
        generation = self._generation
        cache = self._community.cache
        self._tasks.start(
            "load members",
            lambda _c, _p: (cache.members_by_ids(ids), held_counts(cache, ids)),
            on_success=lambda loaded: self._loaded(generation, block, ids, *loaded),
            on_failure=lambda _e: self._loaded(generation, block, ids, {}, {}),
        )

    def _loaded(
        self,
        generation: int,
        block: int,
        ids: list[int],
        rows: dict[int, Member],
        counts: dict[int, tuple[int, int]],
    ) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._requested.discard(block)
        for member_id in ids:
            member = rows.get(member_id)
            if member is None:
                self._failed.add(member_id)
            else:
                self._rows[member_id] = (member, counts.get(member_id, (0, 0)))
                self._rows.move_to_end(member_id)
        while len(self._rows) > self.MAX_CACHED:
            self._rows.popitem(last=False)
        first = block * self.BLOCK
        last = min(first + len(ids), len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # --- Qt model interface ---------------------------------------------------

    def row_count(self) -> int:
        return len(self._ids)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._ids[index.row()] in self._failed:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        member_id = self._ids[index.row()]
        if role == MemberIdRole:
            return member_id
        loaded = self._rows.get(member_id)
        if loaded is None:
            if member_id not in self._failed:
                self._ensure(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return "(not available)" if member_id in self._failed else "…"
            return None
        member, badges = loaded
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(member, COLUMNS[index.column()][1], badges)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == MemberRole:
            return member
        if role == Qt.ItemDataRole.ToolTipRole and member.status is not MemberStatus.ACTIVE:
            return f"This member is {member.status.value}"
        return None
