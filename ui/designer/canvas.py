"""The designer's canvas: the badge as large as fits the middle of the window, drawn at that size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.designer.layered_picture import LayeredPicture
from ui.widgets.colours import status_colours
from ui.widgets.rendering import device_pixels

#: The exported PNG's size in pixels (the canvas shows the badge at whatever side fits).
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
    """The badge as large as fits, on a faint checkerboard that shows what is transparent.

    The badge is drawn from its SVG at the side it is shown at, when it is
    painted: nothing is scaled, and a slider drag draws it once a frame, not
    at 600 px and then again scaled down. GUI thread only.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerCanvas")
        self._picture: LayeredPicture | None = None
        #: The badge as last drawn; stale when the SVG, the side or the ratio changed since.
        self._image = QImage()
        #: The checkerboard and its border at the widget's size, drawn again on a resize or a palette switch.
        self._page = QPixmap()
        self.setMinimumSize(280, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName(self.tr("Badge preview"))
        # Every pixel is painted (the page's corners in the window's colour): nothing under it is.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark pages while the designer is open.
        if event.type() == QEvent.Type.PaletteChange:
            self._page = QPixmap()
        super().changeEvent(event)

    def set_picture(self, picture: LayeredPicture) -> None:
        """Show the badge ``picture`` holds now; it is drawn when next painted."""
        self._picture = picture
        self._image = QImage()
        self.update()

    def badge_side(self) -> int:
        """The side the badge is shown at, in logical pixels: the canvas less its border and margin."""
        return max(1, min(self.width(), self.height()) - 34)

    def badge_image(self) -> QImage:
        """The badge at :meth:`badge_side` and the screen's ratio (null before the first SVG)."""
        if self._picture is None:
            return QImage()
        side, ratio = self.badge_side(), self.devicePixelRatioF()
        image = self._image
        if image.isNull() or image.devicePixelRatio() != ratio or image.width() != device_pixels(side, ratio):
            self._image = self._picture.draw(side, ratio)
        return self._image

    def sizeHint(self) -> QSize:
        return QSize(460, 460)

    def _page_pixmap(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixels = QSize(device_pixels(self.width(), ratio), device_pixels(self.height(), ratio))
        page = self._page
        if not page.isNull() and page.devicePixelRatio() == ratio and page.size() == pixels:
            return page
        page = QPixmap(pixels)
        page.setDevicePixelRatio(ratio)
        page.fill(self.palette().color(QPalette.ColorRole.Window))
        painter = QPainter(page)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        clip = QPainterPath()
        clip.addRoundedRect(area, 8, 8)
        painter.fillPath(clip, QBrush(_checkerboard()))
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawPath(clip)
        painter.end()
        self._page = page
        return page

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._page_pixmap())
        image = self.badge_image()
        if image.isNull():
            return
        side = self.badge_side()
        # On whole pixels: a badge drawn at its size is copied, not resampled.
        painter.drawImage(QPoint((self.width() - side) // 2, (self.height() - side) // 2), image)
