"""Table model of the community's badges with their icon and holder count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from desktop.cache.database import Cache
from desktop.domain import Badge, BadgeState
from desktop.grants import holder_counts
from desktop.programs.titles import OneHolder, OneHolderBadges
from ui.badges.member_picker import suggestion_text
from ui.i18n import format_number
from ui.widgets.rendering import render_badge_image
from ui.widgets.table_model import FlatTableModel, ModelIndex
from ui.widgets.text import plain_tooltip

if TYPE_CHECKING:
    from desktop.designer.drafts import BadgeDrafts

BadgeRole = Qt.ItemDataRole.UserRole + 1

ICON_SIZE = QSize(32, 32)

#: The columns' English titles (what tests and code refer to them by); shown translated by ``headerData``.
COLUMNS = ("Badge", "State", "Category", "Tier", "Holders", "Not yet on the server", "Title holder")


def state_name(state: BadgeState) -> str:
    """A badge state as lists and filters show it ("Published"); the stored value stays the identifier."""
    names = {
        BadgeState.DRAFT: QCoreApplication.translate("BadgeState", "Draft"),
        BadgeState.PUBLISHED: QCoreApplication.translate("BadgeState", "Published"),
        BadgeState.DISABLED: QCoreApplication.translate("BadgeState", "Disabled"),
        BadgeState.DISCONTINUED: QCoreApplication.translate("BadgeState", "Discontinued"),
    }
    return names.get(state, state.value.capitalize())


@dataclass(frozen=True, slots=True)
class BadgeRow:
    """A badge, or (negative id) a badge made here that the server does not have yet."""

    badge: Badge
    holders: int
    #: Rendered on the worker (QImage is thread-safe; QPixmap is not).
    image: QImage | None
    #: What waits to reach the server ("edit: queued", ...), or "".
    note: str = ""
    #: Grants of the badge: more than holders where members hold it several times (0: as many).
    grants: int = 0
    #: Marked one holder at a time (:mod:`desktop.programs.titles`): with its alumni badge.
    marking: OneHolder | None = None
    #: Who holds such a badge now, as the cache knows it ("@dana (Dana Lee)"; "" for nobody).
    title_holder: str = ""


def load_badge_rows(
    cache: Cache, drafts: BadgeDrafts, *, state: str = "", category: str = "", ratio: float = 1.0
) -> tuple[list[BadgeRow], list[str]]:
    """The rows the filters let through, and every category; on a worker.

    ``ratio``: the table's device pixel ratio, read on the GUI thread; icons are drawn at it.
    """
    # Here, not at import: the designer's rendering brings fontTools along, which the window's
    # start does without.
    from desktop.designer.render import render_svg

    holders = holder_counts(cache)
    markings = OneHolderBadges(cache).marked()
    title_holders = _title_holders(cache, list(markings))
    by_badge, by_draft = drafts.unsent_changes()
    badges = cache.badges()
    # Where the server keeps no drafts, a badge not on it is the user's until published.
    unsent = (
        QCoreApplication.translate("BadgeTableModel", "draft: kept on this computer until published")
        if drafts.keeps_drafts_here()
        else QCoreApplication.translate("BadgeTableModel", "new: not saved on the server")
    )
    local = [
        (
            Badge(
                id=-(d.id or 0),
                slug=d.slug,
                title=d.meta.title,
                description=d.meta.description,
                criteria=d.meta.criteria,
                tier=d.meta.tier,
                category=d.meta.category,
                state=BadgeState.DRAFT,
                award_message=d.meta.award_message,
                version=0,
                image=render_svg(d.design).encode("utf-8"),
                image_media_type="image/svg+xml",
            ),
            by_draft.get(d.id or 0, unsent),
        )
        for d in drafts.local_drafts()
    ]
    everything = [(b, by_badge.get(b.id, "")) for b in badges] + local
    categories = sorted({b.category for b, _ in everything if b.category}, key=str.casefold)
    rows = [
        BadgeRow(
            b,
            holders.get(b.id, (0, 0))[0],
            render_badge_image(b, ICON_SIZE, ratio),
            note,
            holders.get(b.id, (0, 0))[1],
            markings.get(b.id),
            title_holders.get(b.id, ""),
        )
        for b, note in everything
        if (not state or b.state.value == state) and (not category or b.category == category)
    ]
    rows.sort(key=lambda r: r.badge.title.casefold())
    return rows, categories


def _title_holders(cache: Cache, badge_ids: list[int]) -> dict[int, str]:
    """Who holds each one-holder badge, as the cache knows it (several: all of them, newest first)."""
    if not badge_ids:
        return {}
    marks = ", ".join("?" * len(badge_ids))
    with cache.read() as connection:
        found = connection.exec_driver_sql(
            f"SELECT badge_id, member_id FROM awards WHERE badge_id IN ({marks}) ORDER BY granted_at DESC",
            tuple(badge_ids),
        ).fetchall()
    members = cache.members_by_ids(sorted({int(m) for _, m in found}))
    names: dict[int, list[str]] = {}
    for badge_id, member_id in found:
        member = members.get(member_id)
        name = suggestion_text(member) if member is not None else f"#{member_id}"
        if name not in names.setdefault(badge_id, []):
            names[badge_id].append(name)
    return {badge_id: ", ".join(shown) for badge_id, shown in names.items()}


class BadgeTableModel(FlatTableModel):
    """Lives on the GUI thread; rows are loaded elsewhere and handed in."""

    headers = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BadgeRow] = []
        self._icons: dict[int, QIcon] = {}

    def set_rows(self, rows: list[BadgeRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._icons.clear()
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            titles = (
                self.tr("Badge"),
                self.tr("State"),
                self.tr("Category"),
                self.tr("Tier"),
                self.tr("Holders"),
                self.tr("Not yet on the server"),
                self.tr("Title holder"),
            )
            return titles[section]
        return None

    def _holders(self, row: BadgeRow) -> str:
        """Members holding the badge, and its grants where some hold it several times."""
        holders = format_number(row.holders)
        if row.grants > row.holders:
            grants = row.grants
            return self.tr("{holders} (%Ln grant(s))", "", grants).format(holders=holders)
        return holders

    def _holders_tooltip(self, row: BadgeRow) -> str:
        holders = row.holders
        grants = self.tr("%Ln grant(s)", "", row.grants)
        return self.tr(
            "%Ln member(s) (holds|hold) it, {grants}: some hold it several times", "", holders
        ).format(grants=grants)

    def _title_holder(self, row: BadgeRow) -> str:
        """A one-holder badge's holder now; "nobody" where it has none (other badges: "")."""
        if row.marking is None:
            return ""
        return row.title_holder or self.tr("nobody")

    def holders_of(self, badge_id: int) -> int | None:
        """How many members hold the badge, as loaded (None: not listed)."""
        number = self.row_of(badge_id)
        return None if number is None else self._rows[number].holders

    def marking_of(self, badge_id: int) -> OneHolder | None:
        """The badge's one-holder marking, as loaded (None: not marked, or not listed)."""
        number = self.row_of(badge_id)
        return None if number is None else self._rows[number].marking

    def row_of(self, badge_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.badge.id == badge_id:
                return number
        return None

    def _icon(self, row: BadgeRow) -> QIcon | None:
        if row.image is None:
            return None
        icon = self._icons.get(row.badge.id)
        if icon is None:
            icon = self._icons[row.badge.id] = QIcon(QPixmap.fromImage(row.image))
        return icon

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        badge = row.badge
        column = index.column()
        if role == BadgeRole:
            return badge
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                badge.title,
                state_name(badge.state),
                badge.category,
                badge.tier,
                self._holders(row) if badge.id > 0 else "",
                row.note,
                self._title_holder(row),
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icon(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return plain_tooltip(badge.description)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and row.grants > row.holders:
            return self._holders_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and badge.state in (
            BadgeState.DISABLED,
            BadgeState.DISCONTINUED,
        ):
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None
