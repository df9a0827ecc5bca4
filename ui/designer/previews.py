"""The designer's middle column: the canvas, and the badge at its real sizes on light and dark pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.designer.document import Design
from desktop.designer.render import Rendered, render
from ui.designer.canvas import CANVAS_SIZE, BadgeCanvas
from ui.designer.controls import muted, plain
from ui.i18n import format_number
from ui.widgets.rendering import svg_to_images
from ui.widgets.small_screens import scrolling_sideways

#: The sizes members see a badge at, each shown at its real pixel size.
PREVIEW_SIZES = (128, 64, 32)


class SizePreview(QWidget):
    """One render at its real pixel size, on a light and on a dark page, with its size under it."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"preview{size}")
        self.size_px = size
        # A member's light and dark forum pages, whatever the app's own palette: these stay fixed.
        self.image_label = self._tile(size, "#ffffff", "light")
        self.dark_label = self._tile(size, "#1f2329", "dark")
        caption = muted(plain(self.tr("{size} px").format(size=format_number(size)), wrap=False))
        caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tiles = QHBoxLayout()
        tiles.setSpacing(0)
        tiles.addWidget(self.image_label, 0, Qt.AlignmentFlag.AlignBottom)
        tiles.addWidget(self.dark_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addStretch(1)
        layout.addLayout(tiles)
        layout.addWidget(caption)

    def _tile(self, size: int, background: str, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"previewImage{size}_{name}")
        # Room around the badge, so its edge shows against the page.
        pad = max(4, size // 10)
        label.setFixedSize(size + 2 * pad, size + 2 * pad)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet(f"background: {background}; border: 1px solid palette(mid);")
        return label

    def set_image(self, image: QImage) -> None:
        # At its size in logical pixels, as a browser shows a PNG of that size (scaled up on HiDPI).
        pixmap = QPixmap.fromImage(image)
        self.image_label.setPixmap(pixmap)
        self.dark_label.setPixmap(pixmap)


class PreviewsPanel(QWidget):
    """The canvas above a strip of :class:`SizePreview`. GUI thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designerPreviews")
        self.canvas = BadgeCanvas()
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
        """Draw ``design`` on the canvas and at every size, in one pass over its SVG.

        Raises :class:`~desktop.designer.glyphs.GlyphError` or :class:`ValueError`
        when it cannot be drawn; nothing shown changes then.
        """
        rendered = render(design)
        # The canvas at the screen's ratio (sharp on HiDPI); size previews stay 1×, as a browser shows them.
        ratios = {CANVAS_SIZE: self.canvas.devicePixelRatioF()}
        drawn = svg_to_images(rendered.svg, (CANVAS_SIZE, *PREVIEW_SIZES), ratios)
        self.canvas.set_image(drawn[CANVAS_SIZE])
        for size, preview in self.size_previews.items():
            preview.set_image(drawn[size])
        return rendered
