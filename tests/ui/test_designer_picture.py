"""The designer's layered picture: redrawing only the layers a change touched draws the same badge."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from desktop.designer.document import Banner, Design, Emblem, EmblemKind, Fill, FillKind, Frame, Shape
from desktop.designer.render import render
from ui.designer import layered_picture
from ui.designer.layered_picture import LayeredPicture
from ui.widgets.rendering import draw_svg, svg_renderer

FULL = Design(
    shape=Shape.SHIELD,
    fill=Fill(FillKind.LINEAR, "#2e8b57", "#174d30", 60),
    frame=Frame(rings=3, colour="#e6e9ee", width=10),
    banner=Banner(text="Outstanding Contributor", colour="#ffffff", background="#23272e"),
    emblem=Emblem(glyph="fa6s.user-shield", colour="#ffffff", scale=0.7),
)


def steps() -> list[Design]:
    """A session of edits: each slider, then changes that touch every layer or only the definitions."""
    designs = [FULL]
    for width in (11, 14, 9):
        designs.append(replace(designs[-1], frame=replace(designs[-1].frame, width=width)))
    # The gradient and the rings in one step (a template, or undo): the face kept by the drag is stale.
    designs.append(replace(FULL, fill=replace(FULL.fill, angle=20), frame=replace(FULL.frame, width=6)))
    for scale in (0.5, 0.9):
        designs.append(replace(designs[-1], emblem=replace(designs[-1].emblem, scale=scale)))
    # Only the gradient's definition changes: every layer's text stays the same.
    for angle in (90, 135):
        designs.append(replace(designs[-1], fill=replace(designs[-1].fill, angle=angle)))
    designs.append(replace(designs[-1], shape=Shape.HEXAGON))
    designs.append(replace(designs[-1], banner=replace(designs[-1].banner, text="Helper")))
    designs.append(replace(designs[-1], emblem=Emblem(kind=EmblemKind.NONE)))
    designs.append(replace(designs[-1], frame=Frame(rings=0)))
    designs.append(FULL)
    return designs


def assert_close(drawn: QImage, expected: QImage) -> None:
    """Equal sizes and ratios, each colour channel within 2 of 255 (the layers over a change are blended)."""
    assert (drawn.size(), drawn.devicePixelRatio()) == (expected.size(), expected.devicePixelRatio())
    assert drawn.format() == expected.format()
    ours, theirs = bytes(drawn.constBits()), bytes(expected.constBits())
    worst = max(abs(a - b) for a, b in zip(ours, theirs, strict=True))
    assert worst <= 2


@pytest.mark.parametrize(("size", "ratio"), [(128, 1.0), (64, 2.0), (32, 1.0)])
def test_each_step_draws_what_the_whole_svg_draws(qapp: object, size: int, ratio: float) -> None:
    picture = LayeredPicture()
    assert picture.draw(size, ratio).isNull()
    for design in steps():
        rendered = render(design, embed_design=False)
        picture.set(rendered)
        assert_close(picture.draw(size, ratio), draw_svg(svg_renderer(rendered.svg), size, ratio))


def test_a_ring_width_step_reads_and_draws_only_the_layers_it_changed(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = LayeredPicture()
    first = render(FULL, embed_design=False)
    picture.set(first)
    picture.draw(128)
    wider = render(replace(FULL, frame=replace(FULL.frame, width=12)), embed_design=False)
    picture.set(wider)
    picture.draw(128)
    read: list[str] = []

    def reading(svg: str) -> QSvgRenderer:
        read.append(svg)
        return svg_renderer(svg)

    monkeypatch.setattr(layered_picture, "svg_renderer", reading)
    widest = render(replace(FULL, frame=replace(FULL.frame, width=14)), embed_design=False)
    picture.set(widest)
    assert_close(picture.draw(128), draw_svg(svg_renderer(widest.svg), 128))
    # Face, frame, edge, emblem, banner: the width moves the rings and resizes the emblem.
    face, frame, _edge, emblem, banner = widest.layers
    assert read == [widest.layer_svg(1, 4)]
    assert frame in read[0] and emblem in read[0]
    assert face not in read[0] and banner not in read[0]


def test_a_gradient_angle_step_draws_only_the_face_under_the_kept_layers(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = LayeredPicture()
    for angle in (60, 70):
        picture.set(render(replace(FULL, fill=replace(FULL.fill, angle=angle)), embed_design=False))
        picture.draw(64)
    read: list[str] = []

    def reading(svg: str) -> QSvgRenderer:
        read.append(svg)
        return svg_renderer(svg)

    monkeypatch.setattr(layered_picture, "svg_renderer", reading)
    turned = render(replace(FULL, fill=replace(FULL.fill, angle=80)), embed_design=False)
    picture.set(turned)
    assert_close(picture.draw(64), draw_svg(svg_renderer(turned.svg), 64))
    assert read == [turned.layer_svg(0, 1)]


def test_an_unreadable_drawing_changes_nothing(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    picture = LayeredPicture()
    rendered = render(FULL, embed_design=False)
    picture.set(rendered)
    before = picture.draw(64)

    def unreadable(_svg: str) -> QSvgRenderer:
        raise ValueError("unreadable")

    monkeypatch.setattr(layered_picture, "svg_renderer", unreadable)
    with pytest.raises(ValueError, match="unreadable"):
        picture.set(render(replace(FULL, shape=Shape.STAR), embed_design=False))
    assert picture.draw(64) == before


def test_resizing_the_canvas_keeps_one_canvas_size_and_every_preview_size(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = LayeredPicture()
    picture.set(render(FULL, embed_design=False))
    picture.set(render(replace(FULL, frame=replace(FULL.frame, width=12)), embed_design=False))
    drawn: list[int] = []

    def drawing(renderer: QSvgRenderer, pixels: int) -> QImage:
        drawn.append(pixels)
        return draw_svg(renderer, pixels)

    monkeypatch.setattr(layered_picture, "draw_svg", drawing)
    for size in (128, 64, 32):
        picture.draw(size, 2.0)
    # The window dragged larger: the canvas asks for a new size each paint.
    for side in range(500, 800, 50):
        picture.draw(side, 2.0)
    drawn.clear()
    for size in (128, 64, 32):
        picture.draw(size, 2.0)
    picture.draw(750, 2.0)
    # The kept layers (under and over the rings) are still there at every preview size and the
    # canvas's latest size: nothing is drawn again.
    assert drawn == []
    picture.draw(500, 2.0)
    assert drawn == [1000, 1000]  # an old canvas size was not kept: under and over drawn again
