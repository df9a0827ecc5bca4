"""Rasterise the core's badge SVGs with Qt, and write them to files; badge icons for the panes.

The core draws a badge as SVG (:mod:`desktop.designer.render`); Qt only turns
it into pixels. On screen a badge is drawn at the screen's device pixel ratio
(``ratio``: 2 on most HiDPI screens) with the ratio set on the image, so Qt
shows it at its logical size with every device pixel drawn, not a 1× image
stretched. The images are ARGB32 premultiplied with a transparent
background, so a badge keeps its own outline on any page.

Thread safety: any thread (QSvgRenderer and QPainter on a QImage need no GUI thread).
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop.domain import Badge


def svg_renderer(svg: str) -> QSvgRenderer:
    """The SVG parsed, to be drawn at any size by :func:`draw_svg`; :class:`ValueError` when unreadable."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(QCoreApplication.translate("BadgeFiles", "The badge's SVG could not be read."))
    return renderer


def device_pixels(size: int, ratio: float) -> int:
    """How many device pixels ``size`` logical pixels cover at ``ratio`` (a fractional 1.5 rounds up)."""
    return math.ceil(size * ratio - 1e-9)


def draw_svg(renderer: QSvgRenderer, size: int, ratio: float = 1.0) -> QImage:
    """A transparent ``size`` px image (logical pixels at ``ratio``) of the parsed SVG."""
    side = device_pixels(size, ratio)
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def svg_to_image(svg: str, size: int) -> QImage:
    """The SVG drawn into a transparent ``size`` × ``size`` image."""
    return draw_svg(svg_renderer(svg), size)


def svg_to_images(
    svg: str, sizes: Iterable[int], ratios: Mapping[int, float] | None = None
) -> dict[int, QImage]:
    """The SVG at several sizes, parsed once: each size drawn natively, not scaled down.

    ``ratios`` gives a size's device pixel ratio (1 when absent); the result stays keyed by logical size.
    """
    renderer = svg_renderer(svg)
    return {size: draw_svg(renderer, size, (ratios or {}).get(size, 1.0)) for size in sizes}


def render_badge_image(badge: Badge, size: QSize, ratio: float = 1.0) -> QImage | None:
    """The badge's image at logical ``size`` drawn at device pixel ``ratio``; ``None`` when it has none
    or it is unreadable.

    Safe on any thread (pass the ratio read on the GUI thread, e.g. ``widget.devicePixelRatioF()``).
    """
    pixels = QSize(device_pixels(size.width(), ratio), device_pixels(size.height(), ratio))
    if not badge.image:
        return None
    if badge.image_media_type == "image/svg+xml":
        renderer = QSvgRenderer(QByteArray(badge.image))
        if not renderer.isValid():
            return None
        image = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.setDevicePixelRatio(ratio)
        return image
    image = QImage.fromData(badge.image)
    if image.isNull():
        return None
    scaled = image.scaled(
        pixels, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    scaled.setDevicePixelRatio(ratio)
    return scaled


def export_png(svg: str, size: int, path: Path) -> None:
    """Write the badge as a transparent ``size`` px PNG; :class:`OSError` says why it failed."""
    _write(path, lambda temporary: _save_png(svg_to_image(svg, size), temporary))


def export_svg(svg: str, path: Path) -> None:
    """Write the SVG as UTF-8; :class:`OSError` says why it failed."""

    def write(temporary: Path) -> None:
        temporary.write_text(svg, encoding="utf-8")

    _write(path, write)


#: Qt's PNG "quality" sets zlib's effort: 80 encodes a 600 px badge in about 14 ms
#: (the default takes 34 ms) for files about a third larger (~100 KB).
PNG_QUALITY = 80


def png_bytes(svg: str, size: int) -> bytes:
    """The badge as a transparent ``size`` px PNG, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"png")
    writer.setQuality(PNG_QUALITY)
    if not writer.write(svg_to_image(svg, size)):
        raise OSError(writer.errorString() or _png_not_written())
    buffer.close()
    return bytes(data.data())


def _save_png(image: QImage, temporary: Path) -> None:
    writer = QImageWriter(str(temporary), b"png")
    writer.setQuality(PNG_QUALITY)
    if not writer.write(image):
        raise OSError(writer.errorString() or _png_not_written())


def _png_not_written() -> str:
    return QCoreApplication.translate("BadgeFiles", "the PNG image could not be written")


def _write(path: Path, write: Callable[[Path], None]) -> None:
    """Written beside and renamed, so a failed export never leaves half a file under the name."""
    folder = path.parent
    if not folder.is_dir():
        raise OSError(
            QCoreApplication.translate(
                "BadgeFiles", "Could not write {path}: the folder {folder} does not exist."
            ).format(path=path, folder=folder)
        )
    # A plain new file (not mkstemp's private one) gets the user's usual permissions.
    temporary = folder / f".{path.name}.{secrets.token_hex(4)}.part"
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        why = error.strerror or str(error)
        raise OSError(
            QCoreApplication.translate("BadgeFiles", "Could not write {path}: {why}.").format(
                path=path, why=why
            )
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
