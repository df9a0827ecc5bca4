"""On a HiDPI screen badge pictures are drawn at the device pixel ratio, with the ratio set on them.

A 1× picture on a 2× screen is stretched and blurry; at ratio 2 a 112 px icon
must hold 224 device pixels and say so (``devicePixelRatio() == 2``) so Qt
shows it at 112 logical pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, QSize
from PySide6.QtGui import QColor, QIcon, QImage, QImageWriter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.designer.document import BadgeMeta, Design, Shape
from desktop.designer.render import render
from tests.core.test_cache import badge
from tests.ui.test_designer import make_designer, tasks  # noqa: F401  (a designer window, offscreen)
from ui.designer import BadgeDesigner
from ui.designer.controls import THUMB
from ui.designer.family_dialog import PREVIEW, FamilyDialog
from ui.designer.previews import PreviewsPanel
from ui.operations import TaskManager
from ui.review.request_card import ICON, RequestCard
from ui.widgets.rendering import device_pixels, render_badge_image

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
    image = panel.canvas.badge_image()
    assert image.width() == panel.canvas.badge_side() * 2
    assert image.devicePixelRatio() == 2.0
    for size, preview in panel.size_previews.items():
        # The size previews show the badge as a browser shows a PNG of that size: 1×.
        assert (preview.image.width(), preview.image.devicePixelRatio()) == (size, 1.0)


# --- the designer's pickers: templates, shapes and the family's tiers ---------------------------------


def assert_icon_at(icon: QIcon, side: int, ratio: float) -> None:
    """The icon holds a picture of ``side`` logical pixels drawn at ``ratio``, not a 1× one scaled up."""
    pixels = device_pixels(side, ratio)
    assert icon.availableSizes() == [QSize(pixels, pixels)]
    pixmap = icon.pixmap(QSize(side, side), ratio)
    assert (pixmap.width(), pixmap.devicePixelRatio()) == (pixels, ratio)


def test_the_template_and_shape_thumbnails_are_drawn_at_the_ratio_and_again_when_it_changes(
    make_designer: Callable[..., BadgeDesigner],  # noqa: F811
    tasks: TaskManager,  # noqa: F811
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every widget of the window on a screen of that ratio (the pickers read it on the GUI thread).
    ratio = [2.0]
    monkeypatch.setattr(QWidget, "devicePixelRatioF", lambda _self: ratio[0])
    designer = make_designer()

    def drawn_at(expected: float) -> None:
        combo = designer.template_combo
        assert designer.templates and combo.count() == len(designer.templates) + 1
        for index in range(1, combo.count()):
            assert_icon_at(combo.itemIcon(index), THUMB, expected)
        shapes = designer.shape_combo
        assert shapes.count() == len(Shape)
        for index in range(shapes.count()):
            assert_icon_at(shapes.itemIcon(index), THUMB, expected)
        assert designer.canvas.badge_image().devicePixelRatio() == expected

    drawn_at(2.0)
    # Dragged to a screen of another scale: Qt tells the window, which draws them all again.
    ratio[0] = 3.0
    QCoreApplication.sendEvent(designer, QEvent(QEvent.Type.DevicePixelRatioChange))
    qtbot.waitUntil(lambda: tasks.active == 0 and not designer.render_pending)
    drawn_at(3.0)


def test_the_family_previews_are_drawn_at_the_dialog_ratio_and_again_when_it_changes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ratio = [2.0]
    monkeypatch.setattr(FamilyDialog, "devicePixelRatioF", lambda _self: ratio[0])
    # What the dialog hands its labels (a label hands back its picture at its own screen's ratio).
    shown: dict[str, QPixmap] = {}
    monkeypatch.setattr(QLabel, "setPixmap", lambda label, pixmap: shown.update({label.objectName(): pixmap}))
    dialog = FamilyDialog(Design(), BadgeMeta(title="Mentor"))
    qtbot.addWidget(dialog)

    def drawn_at(expected: float) -> None:
        assert sorted(shown) == sorted(preview.objectName() for preview in dialog.previews)
        for pixmap in shown.values():
            assert (pixmap.width(), pixmap.devicePixelRatio()) == (device_pixels(PREVIEW, expected), expected)
            assert pixmap.deviceIndependentSize().toSize() == QSize(PREVIEW, PREVIEW)
        shown.clear()

    drawn_at(2.0)
    # Dragged to a screen of another scale: Qt tells the dialog, which draws the tiers again.
    ratio[0] = 1.5
    QCoreApplication.sendEvent(dialog, QEvent(QEvent.Type.DevicePixelRatioChange))
    drawn_at(1.5)
