"""The badge designer's costs: rendering a full design, and dragging a slider.

    ./dev bench designer [--runs 200] [--other-sliders]

"Full design": gradient fill, three rings, a two-line banner, a glyph (every
layer the renderer draws). Figures:

- core: ``render_svg`` (the design to SVG text, in the Qt-free core);
- 600 px PNG: the core render, rasterised by QSvgRenderer into a transparent
  600 × 600 image and encoded as PNG (what "Export PNG" does);
- bare previews (the drag's baseline): the same SVG parsed once by a bare
  QSvgRenderer and rasterised at 600, 128, 64 and 32 px, nothing else;
- slider drag: the real designer widget, its ring-width slider moved through
  100 values, one event-loop turn each, as a mouse drag delivers them; the
  time from each value until Qt has repainted the canvas and the six preview
  tiles (what a drag makes it repaint), wall clock and CPU, and the ratio of
  each to the bare previews measured just before;
- slider drag, whole window: the same, but the whole window repainted after
  each value (how this figure was measured before issue 18);
- with ``--other-sliders``, the gradient angle and the emblem size dragged
  the same way (the ring width moves the rings and the emblem; the angle the
  face under everything; the emblem size only the emblem).

Nothing is asserted: the goals are ≤ 30 ms for the 600 px PNG and a p95 of
≤ 8 ms for the drag.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence

from machine import describe

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QSlider, QWidget

from desktop.designer.document import Banner, Design, Emblem, Fill, FillKind, Frame, Shape
from desktop.designer.render import render_svg
from ui.widgets.rendering import png_bytes, svg_to_image, svg_to_images

FULL = Design(
    shape=Shape.SHIELD,
    fill=Fill(FillKind.LINEAR, "#2e8b57", "#174d30", 60),
    frame=Frame(rings=3, colour="#e6e9ee", width=10),
    banner=Banner(text="Outstanding Community Contributor", colour="#ffffff", background="#23272e"),
    emblem=Emblem(glyph="fa6s.user-shield", colour="#ffffff", scale=0.7),
)


#: The sizes the designer draws a badge at: the canvas, then the size previews.
SIZES = (600, 128, 64, 32)


class Samples:
    """Each run's wall-clock and CPU time (ms): on a shared machine the CPU time is the steadier."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, wall_started: float, cpu_started: float) -> None:
        self.wall.append((time.perf_counter() - wall_started) * 1000)
        self.cpu.append((time.process_time() - cpu_started) * 1000)


def timed(fn: Callable[[], object], runs: int) -> Samples:
    fn()  # warm: fonts and glyphs load once
    samples = Samples()
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        samples.add(wall, cpu)
    return samples


def p95(times: Sequence[float]) -> float:
    return sorted(times)[int(len(times) * 0.95) - 1]


def summary(name: str, samples: Samples, baseline: Samples | None = None) -> None:
    wall = sorted(samples.wall)
    print(
        f"{name:<40} median {statistics.median(wall):6.2f} ms   p95 {p95(wall):6.2f} ms"
        f"   max {wall[-1]:6.2f} ms   CPU median {statistics.median(samples.cpu):6.2f} ms"
        f"  p95 {p95(samples.cpu):6.2f} ms"
    )
    if baseline is not None:
        median = statistics.median(wall) / statistics.median(baseline.wall)
        print(
            f"{'':<40} ÷ bare previews: median {median:.2f}×"
            f"   p95 {p95(wall) / p95(baseline.wall):.2f}×"
            f"   CPU median {statistics.median(samples.cpu) / statistics.median(baseline.cpu):.2f}×"
        )


def png_600() -> bytes:
    return png_bytes(render_svg(FULL), 600)


def bare_previews(svg: str) -> Callable[[], object]:
    return lambda: svg_to_images(svg, SIZES)


class Paints(QObject):
    """Counts paint events of the widgets it watches."""

    def __init__(self, widgets: Sequence[QWidget]) -> None:
        super().__init__()
        self.painted: set[QWidget] = set()
        self.widgets = list(widgets)
        for widget in self.widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.painted.add(watched)
        return False

    @property
    def all_painted(self) -> bool:
        return len(self.painted) == len(self.widgets)


def child(parent: QWidget, name: str) -> QWidget:
    found = parent.findChild(QWidget, name)
    if found is None:
        raise LookupError(f"the designer has no widget named {name}")
    return found


def slider_drag(runs: int, *, whole_window: bool, slider_name: str = "frameWidth") -> Samples:
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
    slider = designer.findChild(QSlider, slider_name)
    if slider is None:
        raise LookupError(f"the designer has no slider named {slider_name}")
    # Found by name: the canvas and the light and dark tile of each size preview.
    names = ["designerCanvas"] + [f"previewImage{s}_{page}" for s in SIZES[1:] for page in ("light", "dark")]
    paints = Paints([child(designer, name) for name in names])
    samples = Samples()
    # Held down, as under the mouse: the whole drag is one undo step.
    slider.setSliderDown(True)
    for step in range(runs):
        # Never the value it has (nothing would change, nothing would be drawn).
        value = slider.minimum() + (step % 2) + (step // 2) % (slider.maximum() - slider.minimum() - 1)
        if value == slider.value():
            value = value + 1 if value < slider.maximum() else value - 1
        wall, cpu = time.perf_counter(), time.process_time()
        count = designer.render_count
        paints.painted.clear()
        slider.setValue(value)
        if whole_window:
            while designer.render_count == count:
                app.processEvents()
            designer.repaint()
        else:
            while designer.render_count == count or not paints.all_painted:
                app.processEvents()
                if time.perf_counter() - wall > 5:
                    raise RuntimeError(f"not repainted after 5 s: {names}, painted {paints.painted}")
        samples.add(wall, cpu)
    slider.setSliderDown(False)
    designer.ask = lambda *_: "discard"
    designer.close()
    tasks.shutdown()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--other-sliders",
        action="store_true",
        help="also drag the gradient angle and the emblem size (each changes other layers)",
    )
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
    svg = render_svg(FULL)
    bare = timed(bare_previews(svg), args.runs)
    summary("bare previews 600/128/64/32 px (baseline)", bare)
    summary("slider drag: value → previews repainted", slider_drag(100, whole_window=False), bare)
    summary("slider drag: value → window repainted", slider_drag(100, whole_window=True), bare)
    if args.other_sliders:
        for name in ("fillAngle", "emblemScale"):
            drag = slider_drag(100, whole_window=False, slider_name=name)
            summary(f"{name} drag: value → previews repainted", drag, bare)
    print(f"PNG size: {len(png_600()):,} bytes; SVG size: {len(render_svg(FULL)):,} bytes")
    del app


if __name__ == "__main__":
    main()
