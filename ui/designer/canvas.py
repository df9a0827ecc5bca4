"""The designer's canvas: the badge at 600 px, scaled to fit the middle of the window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.widgets.colours import status_colours

#: The size the badge is drawn at for the canvas (and the size of the exported PNG).
CANVAS_SIZE = 600


def _checkerboard(cell: int = 12) -> QPixmap:
    """One tile of a faint checkerboard, painted as a brush in one call; light or dark like the page."""
    first, second = status_colours().checker
    tile = QPixmap(cell * 2, cell * 2)
    tile.fill(QColor(first))
    painter = QPainter(tile)
    painter.fillRect(0, 0, cell, cell, QColor(second))
    painter.fillRect(cell, cell, cell, cell, QColor(second))
    painter.end()
    return tile


class BadgeCanvas(QWidget):
    """The badge at 600 px, scaled to fit, on a faint checkerboard that shows what is transparent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerCanvas")
        self.image = QImage()
        self.setMinimumSize(280, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName(self.tr("Badge preview"))
        self._checker = QBrush(_checkerboard())

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark pages while the designer is open.
        if event.type() == QEvent.Type.PaletteChange:
            self._checker = QBrush(_checkerboard())
        super().changeEvent(event)

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(460, 460)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        clip = QPainterPath()
        clip.addRoundedRect(area, 8, 8)
        painter.fillPath(clip, self._checker)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawPath(clip)
        if self.image.isNull():
            return
        side = min(area.width(), area.height()) - 32
        target = QRectF(area.center().x() - side / 2, area.center().y() - side / 2, side, side)
        painter.drawImage(target, self.image)
