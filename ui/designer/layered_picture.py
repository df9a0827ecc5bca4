"""The badge drawn at every size the designer shows, redrawing only the layers that changed.

A slider moves one or two of the badge's layers (the rings and the emblem for
the ring width, the face for the gradient angle) while the others stay as they
were. Each size keeps a picture of the unchanged layers under the changed ones
and of those over them; a new value draws only its changed layers from SVG,
onto a copy of the picture under them, and lays the picture over them on top.
Drawing the layers under the changed ones first and the changed ones onto
them is what drawing the whole SVG does; only the layers over them are blended
as one picture, which can differ from drawing them in place by rounding: at
most 2 of 255 in a colour channel, in a few edge pixels.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop.designer.render import Rendered, changed_span
from ui.widgets.rendering import device_pixels, draw_svg, svg_renderer

#: Pictures kept per group of layers: the three size previews, the canvas, one spare.
_KEPT_SIZES = 5
#: Device pixels above the largest preview (128 px at 3x): such an image is the canvas's, and only
#: the latest is kept, so that resizing the window does not fill the cache with old canvas sizes.
_LARGEST_PREVIEW = 384


class _Group:
    """Some of the badge's layers, parsed once and drawn once per size (device pixels) until they change."""

    def __init__(self, span: tuple[int, int] = (0, 0), renderer: QSvgRenderer | None = None) -> None:
        #: Which layers, ``(start, stop)``.
        self.span = span
        self.renderer = renderer
        self._images: OrderedDict[int, QImage] = OrderedDict()

    def image(self, pixels: int) -> QImage | None:
        """The group at ``pixels`` × ``pixels``, 1× (None when it draws nothing)."""
        if self.renderer is None:
            return None
        image = self._images.get(pixels)
        if image is None:
            image = draw_svg(self.renderer, pixels)
            if pixels > _LARGEST_PREVIEW:
                for old in [kept for kept in self._images if kept > _LARGEST_PREVIEW]:
                    del self._images[old]
            self._images[pixels] = image
            if len(self._images) > _KEPT_SIZES:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(pixels)
        return image


class LayeredPicture:
    """One rendered badge, drawn at any size and ratio. GUI thread only."""

    def __init__(self) -> None:
        self._last: Rendered | None = None
        self._below = _Group()
        self._changed = _Group()
        self._above = _Group()

    def set(self, rendered: Rendered) -> None:
        """Show ``rendered`` from now on; :class:`ValueError` (and nothing changed) if it cannot be read."""
        count = len(rendered.layers)
        first, stop = (0, count) if self._last is None else changed_span(self._last, rendered)
        below = self._group(self._below, rendered, 0, first)
        above = self._group(self._above, rendered, stop, count)
        changed_group = _Group((first, stop), svg_renderer(rendered.layer_svg(first, stop)))
        self._last = rendered
        self._below, self._changed, self._above = below, changed_group, above

    def _group(self, kept: _Group, rendered: Rendered, start: int, stop: int) -> _Group:
        # The same layers as last time, all outside the changed span: what they draw has not changed.
        if (start, stop) == kept.span:
            return kept
        if not any(rendered.layers[start:stop]):
            return _Group((start, stop))
        return _Group((start, stop), svg_renderer(rendered.layer_svg(start, stop)))

    def draw(self, size: int, ratio: float = 1.0) -> QImage:
        """The badge in a transparent ``size`` px image (logical, at ``ratio``); null before :meth:`set`."""
        changed = self._changed.renderer
        if changed is None:
            return QImage()
        pixels = device_pixels(size, ratio)
        below = self._below.image(pixels)
        if below is None:
            image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
        else:
            image = below.copy()
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        changed.render(painter)
        above = self._above.image(pixels)
        if above is not None:
            painter.drawImage(QPoint(0, 0), above)
        painter.end()
        image.setDevicePixelRatio(ratio)
        return image
