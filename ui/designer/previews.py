"""The designer's middle column: the canvas, and the badge at its real sizes on light and dark pages."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from desktop.designer.document import Design
from desktop.designer.render import Rendered, render
from ui.designer.canvas import BadgeCanvas
from ui.designer.controls import muted, plain
from ui.designer.layered_picture import LayeredPicture
from ui.i18n import format_number
from ui.widgets.small_screens import scrolling_sideways

#: The sizes members see a badge at, each shown at its real pixel size.
PREVIEW_SIZES = (128, 64, 32)


class PreviewTile(QWidget):
    """A badge image at its own pixel size, centred on a fixed page colour with room around it.

    Painted straight from the image: a new image each slider step moves no
    layout and converts nothing, as a label's pixmap would.
    """

    def __init__(self, size: int, page: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"previewImage{size}_{name}")
        self.image = QImage()
        self._page = QColor(page)
        # Room around the badge, so its edge shows against the page.
        pad = max(4, size // 10)
        self.setFixedSize(size + 2 * pad, size + 2 * pad)
        # The page fills the tile: nothing beneath needs painting first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._page)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if not self.image.isNull():
            # At its size in logical pixels, as a browser shows a PNG of that size (scaled up on HiDPI).
            side = round(self.image.deviceIndependentSize().width())
            painter.drawImage(QPoint((self.width() - side) // 2, (self.height() - side) // 2), self.image)


class SizePreview(QWidget):
    """One render at its real pixel size, on a light and on a dark page, with its size under it."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"preview{size}")
        self.size_px = size
        # A member's light and dark forum pages, whatever the app's own palette: these stay fixed.
        self.light_tile = PreviewTile(size, "#ffffff", "light")
        self.dark_tile = PreviewTile(size, "#1f2329", "dark")
        caption = muted(plain(self.tr("{size} px").format(size=format_number(size)), wrap=False))
        caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tiles = QHBoxLayout()
        tiles.setSpacing(0)
        tiles.addWidget(self.light_tile, 0, Qt.AlignmentFlag.AlignBottom)
        tiles.addWidget(self.dark_tile, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addStretch(1)
        layout.addLayout(tiles)
        layout.addWidget(caption)

    @property
    def image(self) -> QImage:
        """The badge as last drawn at this size (null before the first)."""
        return self.light_tile.image

    def set_image(self, image: QImage) -> None:
        self.light_tile.set_image(image)
        self.dark_tile.set_image(image)


class PreviewsPanel(QWidget):
    """The canvas above a strip of :class:`SizePreview`. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerPreviews")
        self.canvas = BadgeCanvas()
        #: The badge as last drawn, kept in layers so the next change redraws only what it changed.
        self.picture = LayeredPicture()
        self.size_previews = {size: SizePreview(size) for size in PREVIEW_SIZES}
        strip = QFrame()
        strip.setObjectName("sizeStrip")
        strip.setFrameShape(QFrame.Shape.StyledPanel)
        heading = plain(self.tr("As members see it: real size, on light and dark pages"), wrap=False)
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        row = QHBoxLayout()
        row.setSpacing(22)
        row.addStretch(1)
        for preview in self.size_previews.values():
            row.addWidget(preview, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        strip_layout = QVBoxLayout(strip)
        strip_layout.setContentsMargins(12, 8, 12, 8)
        strip_layout.addWidget(heading)
        strip_layout.addLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(8)
        layout.addWidget(self.canvas, 1)
        # Narrower than the strip on a small screen: the strip scrolls, the canvas keeps its room.
        layout.addWidget(scrolling_sideways(strip, "sizeStripScroll"))

    def draw(self, design: Design) -> Rendered:
        """Draw ``design`` at every size; only the layers that changed since the last one are drawn again.

        Raises :class:`~desktop.designer.glyphs.GlyphError` or :class:`ValueError`
        when it cannot be drawn; nothing shown changes then.
        """
        # Only drawn here: the copy of the design that exports carry would be parsed for nothing.
        rendered = render(design, embed_design=False)
        self.picture.set(rendered)
        # Size previews stay 1×, as a browser shows them; the canvas draws at the screen's ratio.
        for size, preview in self.size_previews.items():
            preview.set_image(self.picture.draw(size))
        self.canvas.set_picture(self.picture)
        return rendered
