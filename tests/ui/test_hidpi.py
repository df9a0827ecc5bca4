"""On a HiDPI screen badge pictures are drawn at the device pixel ratio, with the ratio set on them.

A 1× picture on a 2× screen is stretched and blurry; at ratio 2 a 112 px icon
must hold 224 device pixels and say so (``devicePixelRatio() == 2``) so Qt
shows it at 112 logical pixels.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QImageWriter
from pytestqt.qtbot import QtBot

from desktop.designer.document import Design
from desktop.designer.render import render
from tests.core.test_cache import badge
from ui.designer.canvas import CANVAS_SIZE
from ui.designer.previews import PreviewsPanel
from ui.review.request_card import ICON, RequestCard
from ui.widgets.rendering import render_badge_image

SVG = render(Design(), embed_design=False).svg.encode("utf-8")


def png(side: int) -> bytes:
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(QColor("#2f6fdb"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert QImageWriter(buffer, b"png").write(image)
    return bytes(data.data())


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0])
def test_an_svg_badge_is_drawn_at_the_ratio(ratio: float) -> None:
    image = render_badge_image(replace(badge(1), image=SVG), QSize(32, 32), ratio)
    assert image is not None
    assert (image.width(), image.height()) == (int(32 * ratio), int(32 * ratio))
    assert image.devicePixelRatio() == ratio
    assert image.deviceIndependentSize().toSize() == QSize(32, 32)


def test_a_raster_badge_is_scaled_to_the_device_pixels() -> None:
    raster = replace(badge(1), image=png(400), image_media_type="image/png")
    image = render_badge_image(raster, QSize(32, 32), 2.0)
    assert image is not None
    assert (image.width(), image.devicePixelRatio()) == (64, 2.0)


def test_the_review_card_draws_its_badge_at_the_widget_ratio(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = RequestCard()
    qtbot.addWidget(card)
    monkeypatch.setattr(card, "devicePixelRatioF", lambda: 2.0)
    pixmap = card._icon(replace(badge(1), image=SVG))
    assert pixmap.width() == ICON.width() * 2
    assert pixmap.devicePixelRatio() == 2.0


def test_the_designer_canvas_is_drawn_at_the_widget_ratio(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = PreviewsPanel()
    qtbot.addWidget(panel)
    monkeypatch.setattr(panel.canvas, "devicePixelRatioF", lambda: 2.0)
    panel.draw(Design())
    assert panel.canvas.image.width() == CANVAS_SIZE * 2
    assert panel.canvas.image.devicePixelRatio() == 2.0
    for size, preview in panel.size_previews.items():
        # The size previews show the badge as a browser shows a PNG of that size: 1×.
        assert preview.image_label.pixmap().width() == size
