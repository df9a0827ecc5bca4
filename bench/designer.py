"""The badge designer's costs: rendering a full design, and dragging a slider.

    ./dev bench designer [--runs 200]

"Full design": gradient fill, three rings, a two-line banner, a glyph (every
layer the renderer draws). Figures:

- core: ``render_svg`` (the design to SVG text, in the Qt-free core);
- 600 px PNG: the core render, rasterised by QSvgRenderer into a transparent
  600 × 600 image and encoded as PNG (what "Export PNG" does);
- previews: one live update of the designer (the SVG once, rasterised at
  600, 128, 64 and 32 px);
- slider drag: the real designer widget, its ring-width slider moved through
  100 values, one event-loop turn each, as a mouse drag delivers them; the
  time from each value to the previews being repainted.

Nothing is asserted: the goal for the 600 px PNG is ≤ 30 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from machine import describe

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.designer.document import Banner, Design, Emblem, Fill, FillKind, Frame, Shape
from desktop.designer.render import render_svg
from ui.widgets.rendering import png_bytes, svg_to_image

FULL = Design(
    shape=Shape.SHIELD,
    fill=Fill(FillKind.LINEAR, "#2e8b57", "#174d30", 60),
    frame=Frame(rings=3, colour="#e6e9ee", width=10),
    banner=Banner(text="Outstanding Community Contributor", colour="#ffffff", background="#23272e"),
    emblem=Emblem(glyph="fa6s.user-shield", colour="#ffffff", scale=0.7),
)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm: fonts and glyphs load once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{name:<34} median {statistics.median(times):6.2f} ms   p95 {p95:6.2f} ms   max {times[-1]:6.2f} ms"
    )


def png_600() -> bytes:
    return png_bytes(render_svg(FULL), 600)


def previews() -> None:
    svg = render_svg(FULL)
    for size in (600, 128, 64, 32):
        svg_to_image(svg, size)


def slider_drag(runs: int) -> list[float]:
    from desktop.designer.document import BadgeMeta
    from desktop.designer.drafts import Draft
    from ui.designer import BadgeDesigner
    from ui.operations import TaskManager

    tasks = TaskManager()
    draft = Draft(None, None, "", BadgeMeta(title="Bench"), FULL, None)
    designer = BadgeDesigner(draft, tasks=tasks, default_message="Hi {member}", community="Bench")
    designer.resize(1400, 900)
    designer.show()
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    slider = designer.frame_width
    times = []
    for step in range(runs):
        # Never the value it has (nothing would change, nothing would be drawn).
        value = slider.minimum() + (step % 2) + (step // 2) % (slider.maximum() - slider.minimum() - 1)
        if value == slider.value():
            value = value + 1 if value < slider.maximum() else value - 1
        started = time.perf_counter()
        count = designer.render_count
        slider.setValue(value)
        while designer.render_count == count:
            app.processEvents()
        designer.repaint()
        times.append((time.perf_counter() - started) * 1000)
    designer.document.end_gesture()
    designer.ask = lambda *_: "discard"
    designer.close()
    tasks.shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    app = QApplication([])
    print(describe())
    print(
        f"design: {FULL.shape.value}, {FULL.fill.kind.value} fill, {FULL.frame.rings} rings,"
        " two-line banner, glyph"
    )
    summary("core render_svg", timed(lambda: render_svg(FULL), args.runs))
    summary(
        "600 px raster (render + QSvgRenderer)", timed(lambda: svg_to_image(render_svg(FULL), 600), args.runs)
    )
    summary("600 px PNG (render + raster + encode)", timed(png_600, args.runs))
    summary("previews 600/128/64/32 px", timed(previews, args.runs))
    summary("slider drag: value → repainted", slider_drag(100))
    print(f"PNG size: {len(png_600()):,} bytes; SVG size: {len(render_svg(FULL)):,} bytes")
    del app


if __name__ == "__main__":
    main()
