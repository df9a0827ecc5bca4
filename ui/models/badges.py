"""Table model of the community's badges with their icon and holder count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from desktop.domain import Badge, BadgeState
from ui.models import FlatTableModel, ModelIndex
from ui.text import plain_tooltip

BadgeRole = Qt.ItemDataRole.UserRole + 1

ICON_SIZE = QSize(32, 32)

COLUMNS = ("Badge", "State", "Category", "Tier", "Holders")


@dataclass(frozen=True, slots=True)
class BadgeRow:
    badge: Badge
    holders: int
    #: Rendered on the worker (QImage is thread-safe; QPixmap is not).
    image: QImage | None


def render_badge_image(badge: Badge, size: QSize = ICON_SIZE) -> QImage | None:
    """The badge's image at ``size``; ``None`` when it has none or it is unreadable.

    Safe on any thread.
    """
    if not badge.image:
        return None
    if badge.image_media_type == "image/svg+xml":
        renderer = QSvgRenderer(QByteArray(badge.image))
        if not renderer.isValid():
            return None
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        return image
    image = QImage.fromData(badge.image)
    if image.isNull():
        return None
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


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
                badge.state.value.capitalize(),
                badge.category,
                badge.tier,
                f"{row.holders:,}",
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icon(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return plain_tooltip(badge.description)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and badge.state in (
            BadgeState.DISABLED,
            BadgeState.DISCONTINUED,
        ):
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None
