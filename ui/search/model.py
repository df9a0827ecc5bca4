"""Table model over the cached members: it holds ids and loads rows lazily.

A million members must not mean a million objects: the model keeps the list
of ids (in display order) and a bounded cache of loaded rows. Rows are read in
blocks on a worker; until a block arrives its rows show a placeholder, and a
row that could not be loaded shows disabled instead of raising.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import Member, MemberStatus
from desktop.member_search import SortKey, held_counts, repeated_grants
from ui.i18n import format_date, format_number
from ui.operations import TaskManager
from ui.widgets.table_model import FlatTableModel, ModelIndex

MemberIdRole = Qt.ItemDataRole.UserRole + 1
MemberRole = Qt.ItemDataRole.UserRole + 2
#: The roles :meth:`MemberTableModel.data` answers.
_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
        MemberIdRole,
        MemberRole,
    }
)
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


#: (header, member attribute); headers in English, shown translated by :meth:`MemberTableModel.headerData`.
COLUMNS: tuple[tuple[str, str], ...] = (
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Name")), "display_name"),
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Username")), "username"),
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Email")), "email"),
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Joined")), "joined_at"),
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Last seen")), "last_seen_at"),
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Status")), "status"),
    (str(QT_TRANSLATE_NOOP("MemberTableModel", "Badges")), "badges"),
)
#: Header section → the sort it asks for (columns without one do not sort).
SORTABLE: dict[int, SortKey] = {
    0: SortKey.NAME,
    3: SortKey.JOINED,
    4: SortKey.LAST_SEEN,
    6: SortKey.BADGE_COUNT,
}

#: A member's status as the table, the detail and the filter menu name it.
STATUS_NAMES: dict[MemberStatus, str] = {
    MemberStatus.ACTIVE: str(QT_TRANSLATE_NOOP("MemberStatus", "Active")),
    MemberStatus.SUSPENDED: str(QT_TRANSLATE_NOOP("MemberStatus", "Suspended")),
    MemberStatus.DELETED: str(QT_TRANSLATE_NOOP("MemberStatus", "Deleted")),
}
#: The tooltip of a member who is not active.
_STATUS_TIPS: dict[MemberStatus, str] = {
    MemberStatus.SUSPENDED: str(QT_TRANSLATE_NOOP("MemberTableModel", "This member is suspended")),
    MemberStatus.DELETED: str(QT_TRANSLATE_NOOP("MemberTableModel", "This member is deleted")),
}


def status_name(status: MemberStatus) -> str:
    """The member status's name in the user's language ("Active")."""
    name = STATUS_NAMES[status]
    return QCoreApplication.translate("MemberStatus", name)


def _translated(text: str) -> str:
    """One of this model's texts marked with ``QT_TRANSLATE_NOOP("MemberTableModel", …)``."""
    return QCoreApplication.translate("MemberTableModel", text)


@dataclass(frozen=True, slots=True)
class Held:
    """What a row's Badges cell says: badges and grants held, and the filtered badges held several times."""

    badges: int = 0
    grants: int = 0
    # (title, grants) of the "holds" filter's badges this member holds several times.
    repeated: tuple[tuple[str, int], ...] = ()

    def text(self) -> str:
        # A badge held several times (Discourse's multiple_grant): the grants too.
        if self.grants == self.badges:
            text = format_number(self.badges)
        else:
            # lupdate drops a translate() whose count is not a plain name (self.grants).
            grants = self.grants
            text = QCoreApplication.translate("MemberTableModel", "{badges} (%Ln grant(s))", "", grants)
            text = text.format(badges=format_number(self.badges))
        held = QCoreApplication.translate("MemberTableModel", "{badge} ×{count}")
        return " · ".join(
            [text, *(held.format(badge=title, count=format_number(n)) for title, n in self.repeated)]
        )


@dataclass(frozen=True, slots=True)
class LoadedRows:
    """Members' rows read on a worker for :class:`MemberTableModel` (:meth:`~MemberTableModel.row_reader`)."""

    ids: list[int]
    members: dict[int, Member]
    held: dict[int, Held]
    #: The model's content version when the read started: older rows are not kept.
    version: int


def _load_held(cache: Cache, ids: list[int], focus: dict[int, str]) -> dict[int, Held]:
    counts = held_counts(cache, ids)
    repeated = repeated_grants(cache, ids, sorted(focus))
    return {
        member_id: Held(
            badges,
            grants,
            tuple(
                (focus[b], n)
                for b, n in sorted(repeated.get(member_id, {}).items(), key=lambda i: focus[i[0]])
            ),
        )
        for member_id, (badges, grants) in counts.items()
    }


def _cell(member: Member, attribute: str, held: Held) -> str:
    if attribute == "badges":
        return held.text()
    value = getattr(member, attribute)
    if value is None:
        return ""
    if attribute in ("joined_at", "last_seen_at"):
        # Shown by the locale; the sort is the query's (SortKey), on the stored value.
        return format_date(value)
    if isinstance(value, MemberStatus):
        return status_name(value)
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
        #: Packed, not a list: a million ids free at once on a reset, not one int object at a time.
        self._ids: Sequence[int] = array("q")
        #: member id → (member, what it holds), the most recently loaded last.
        self._rows: OrderedDict[int, tuple[Member, Held]] = OrderedDict()
        #: Badge id → title of the "holds" filter's badges that may be held several times.
        self._focus: dict[int, str] = {}
        self._failed: set[int] = set()
        self._requested: set[int] = set()
        #: Changes with the ids (a block in flight may be for rows that moved).
        self._generation = 0
        #: Changes with the content (data changed, another focus): rows read before are dropped.
        self._version = 0

    # --- content --------------------------------------------------------------

    def set_ids(self, ids: Sequence[int], loaded: LoadedRows | None = None) -> None:
        """Show ``ids``, with rows ``loaded`` on a worker (see :meth:`row_reader`) if any.

        Rows loaded before stay (up to :attr:`MAX_CACHED`): the next keystroke's results
        mostly show the same members, painted at once instead of a placeholder first and
        the row after a read. Changed members are dropped by :meth:`invalidate`.
        """
        self.beginResetModel()
        self._generation += 1
        # Packed (4 or 8 bytes an id), not a Python int each: 40 MB less at a million members.
        # A packed list is kept as it is (never changed after): no copy on the GUI thread.
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self._failed.clear()
        self._requested.clear()
        if loaded is not None:
            self._store(loaded)
        self.endResetModel()

    def row_reader(self) -> Callable[[Sequence[int]], LoadedRows]:
        """A function that reads these members' rows, for a worker; call this on the GUI thread."""
        cache = self._community.cache
        focus = dict(self._focus)
        version = self._version

        def read(ids: Sequence[int]) -> LoadedRows:
            ids = list(ids)
            return LoadedRows(ids, cache.members_by_ids(ids), _load_held(cache, ids, focus), version)

        return read

    def set_focus(self, badges: dict[int, str]) -> None:
        """Badges (id → title) whose grants each row counts when held several times; reloads if changed."""
        if badges != self._focus:
            self._focus = dict(badges)
            self.refresh()

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    def refresh(self) -> None:
        """Reload every row when next shown (same ids, new content)."""
        self.invalidate(frozenset(self._rows))

    def invalidate(self, member_ids: frozenset[int]) -> None:
        """Reload these members (same ids, new content) when next shown."""
        # Rows read before this (blocks in flight, a window's rows) may hold old content.
        self._version += 1
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
        ids = list(self._ids[block * self.BLOCK : (block + 1) * self.BLOCK])
        generation = self._generation
        read = self.row_reader()
        self._tasks.start(
            "load members",
            lambda _c, _p: read(ids),
            pool="rows",
            on_success=lambda loaded: self._loaded(generation, block, loaded),
            on_failure=lambda _e: self._loaded(generation, block, LoadedRows(ids, {}, {}, self._version)),
        )

    def _store(self, loaded: LoadedRows) -> bool:
        """Keep ``loaded``'s rows (a member not found: its row disabled); False when they are out of date."""
        if loaded.version != self._version:
            return False
        for member_id in loaded.ids:
            member = loaded.members.get(member_id)
            if member is None:
                self._failed.add(member_id)
            else:
                self._rows[member_id] = (member, loaded.held.get(member_id, Held()))
                self._rows.move_to_end(member_id)
        while len(self._rows) > self.MAX_CACHED:
            self._rows.popitem(last=False)
        return True

    def _loaded(self, generation: int, block: int, loaded: LoadedRows) -> None:
        if not shiboken6.isValid(self):
            return
        if generation == self._generation:
            self._requested.discard(block)
        if not self._store(loaded) or generation != self._generation:
            return
        first = block * self.BLOCK
        last = min(first + len(loaded.ids), len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # --- Qt model interface ---------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        shown = super().headerData(section, orientation, role)
        return _translated(shown) if isinstance(shown, str) else shown

    def row_count(self) -> int:
        return len(self._ids)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._ids[index.row()] in self._failed:
            return Qt.ItemFlag.NoItemFlags
        return _SELECTABLE

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A painted cell asks for a dozen roles; most are answered here at once (paints stay short).
        if role not in _ANSWERED or not index.isValid():
            return None
        member_id = self._ids[index.row()]
        if role == MemberIdRole:
            return member_id
        loaded = self._rows.get(member_id)
        if loaded is None:
            if member_id not in self._failed:
                self._ensure(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("(not available)") if member_id in self._failed else "…"
            return None
        member, badges = loaded
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(member, COLUMNS[index.column()][1], badges)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == MemberRole:
            return member
        if role == Qt.ItemDataRole.ToolTipRole and member.status is not MemberStatus.ACTIVE:
            return _translated(_STATUS_TIPS[member.status])
        return None
