"""The report as a chart: a bar per period stacked by series, a line for the total.

Drawn with pyqtgraph. The largest series have a colour each
(:data:`ui.widgets.colours.CHART_SERIES`); the rest are drawn as one "Others"
series, so the legend stays readable with sixty badges (the table lists every
series). A split that counts some award in several series (by group: a member
in two groups) is not stacked, which would draw bars taller than the total:
its series stand side by side, and a note under the chart says why.

Hovering a bar (or a point of the total line) shows its exact figure in a
tooltip. The chart exports itself as PNG (pyqtgraph's exporter) and SVG (Qt's generator).

GUI thread only.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyqtgraph as pg  # type: ignore[import-untyped]  # no type information
from pyqtgraph.exporters import ImageExporter  # type: ignore[import-untyped]
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QImage, QImageWriter, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QSizePolicy, QToolTip, QVBoxLayout, QWidget

from desktop.reports import Measure, Report, Split
from ui.i18n import format_number
from ui.reports.model import period_name
from ui.widgets.colours import series_colour
from ui.widgets.text import plain_label, plain_tooltip

#: Series drawn with a colour of their own; the others are drawn as one.
MAX_SERIES = 9
#: The share of a period's slot its bars take.
BAR_WIDTH = 0.7
#: At most this many period names along the bottom axis (every n-th period when more).
MAX_TICKS = 12


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One drawn bar: where it is (data coordinates) and what it stands for."""

    x0: float
    x1: float
    y0: float
    y1: float
    series: str
    period: int
    value: int


@dataclass(frozen=True, slots=True)
class ChartSeries:
    name: str
    values: tuple[int, ...]


def chart_series(report: Report, limit: int = MAX_SERIES) -> list[ChartSeries]:
    """The series the chart draws: the ``limit`` largest, then the rest summed as "Others"."""
    drawn = [ChartSeries(s.name, s.values) for s in report.series[:limit]]
    rest = report.series[limit:]
    if len(rest) == 1:
        drawn.append(ChartSeries(rest[0].name, rest[0].values))
    elif rest:
        values = tuple(sum(s.values[i] for s in rest) for i in range(len(report.periods)))
        others = len(rest)  # a count computed inside the call hides the text from lupdate
        name = QCoreApplication.translate("ReportChart", "%n other(s)", "", others)
        drawn.append(ChartSeries(name, values))
    return drawn


class ReportChart(QWidget):
    """Lives on the GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.report: Report | None = None
        self.bars: list[ChartBar] = []
        #: The tooltip text shown for the last hover (empty: nothing under the pointer).
        self.hover_text = ""
        # The plot and, beside it (never over the bars), the legend.
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setObjectName("reportPlot")
        # The table beside it holds the same figures for the keyboard and screen readers.
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.setAccessibleName(self.tr("Chart of the report"))
        self.item = self.plot.addPlot(row=0, col=0)
        self.item.setMenuEnabled(False)
        self.item.hideButtons()
        self.item.setMouseEnabled(x=False, y=False)
        self.item.showGrid(x=False, y=True, alpha=0.25)
        self.legend = pg.LegendItem()
        self.plot.addItem(self.legend, row=0, col=1)
        # Its rows close together at the top, not spread over the plot's height.
        self.legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.plot.ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop)
        self.plot.ci.layout.setColumnStretchFactor(0, 1)
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._mouse_moved)
        # pyqtgraph's own right-click "Export..." (English only, and a dialog of its own): the
        # pane's Export button does this.
        for action in scene.contextMenu:
            action.setParent(None)
        scene.contextMenu = []
        self.note = plain_label(name="reportChartNote", wrap=True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self._apply_palette()

    # --- drawing --------------------------------------------------------------------

    def set_report(self, report: Report | None) -> None:
        self.report = report
        self._draw()

    def _draw(self) -> None:
        self.item.clear()
        self.legend.clear()
        self.bars = []
        report = self.report
        if report is None or not report.periods:
            self.note.hide()
            return
        series = chart_series(report)
        count = len(report.periods)
        side_by_side = report.overlapping
        stack = [0.0] * count
        for number, each in enumerate(series):
            colour = series_colour(number)
            if side_by_side:
                width = BAR_WIDTH / max(1, len(series))
                x0 = [i - BAR_WIDTH / 2 + number * width for i in range(count)]
                y0 = [0.0] * count
            else:
                width = BAR_WIDTH
                x0 = [i - BAR_WIDTH / 2 for i in range(count)]
                y0 = list(stack)
            heights = [float(v) for v in each.values]
            bars = pg.BarGraphItem(
                x0=x0,
                width=width,
                y0=y0,
                height=heights,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen(colour.darker(130), width=1),
            )
            self.item.addItem(bars)
            # The legend draws its text as HTML: a badge or group name is the user's, shown literally.
            self.legend.addItem(bars, html.escape(each.name))
            for i, value in enumerate(each.values):
                if value:
                    self.bars.append(
                        ChartBar(x0[i], x0[i] + width, y0[i], y0[i] + value, each.name, i, value)
                    )
                if not side_by_side:
                    stack[i] += value
        line = pg.PlotDataItem(
            x=list(range(count)),
            y=[float(t) for t in report.totals],
            pen=pg.mkPen(self._text_colour(), width=2),
            symbol="o",
            symbolSize=7,
            symbolBrush=pg.mkBrush(self._text_colour()),
            symbolPen=pg.mkPen(self._text_colour()),
        )
        self.item.addItem(line)
        self.legend.addItem(line, html.escape(self.tr("Total")))
        names = [period_name(span) for span in report.periods]
        step = max(1, -(-count // MAX_TICKS))
        ticks = [(i, names[i]) for i in range(0, count, step)]
        self.item.getAxis("bottom").setTicks([ticks, []])
        top = max([*report.totals, *(b.y1 for b in self.bars), 1])
        self.item.setXRange(-0.6, count - 0.4, padding=0)
        self.item.setYRange(0, top * 1.1, padding=0)
        self.item.setLabel("left", self._measure_label(report))
        self._update_note(report, series)

    def _measure_label(self, report: Report) -> str:
        if report.query.measure is Measure.REVOKES:
            return self.tr("Revokes")
        return self.tr("Awards")

    def _update_note(self, report: Report, series: list[ChartSeries]) -> None:
        notes = []
        if report.query.split is Split.GROUP and report.overlapping:
            notes.append(
                self.tr(
                    "A member in several groups counts in each of them, so the groups add up to more"
                    " than the total: their bars stand side by side."
                )
            )
        if len(series) < len(report.series):
            notes.append(
                self.tr("The chart shows the %n largest series; the table lists them all.", "", MAX_SERIES)
            )
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))

    # --- hover ----------------------------------------------------------------------

    def text_at(self, x: float, y: float) -> str:
        """What hovering the point (x, y) of the chart's data coordinates shows; empty over nothing."""
        report = self.report
        if report is None:
            return ""
        # The total's point first: it sits on the top edge of its period's stack.
        index = round(x)
        if 0 <= index < len(report.totals) and abs(x - index) <= 0.15:
            total = report.totals[index]
            top = max(1.0, float(self.item.viewRange()[1][1]))
            if abs(y - total) <= top * 0.03:
                return self.tr("Total · {period}: {value}").format(
                    period=period_name(report.periods[index]), value=format_number(total)
                )
        for bar in self.bars:
            if bar.x0 <= x <= bar.x1 and bar.y0 <= y <= bar.y1:
                return self.tr("{series} · {period}: {value}").format(
                    series=bar.series,
                    period=period_name(report.periods[bar.period]),
                    value=format_number(bar.value),
                )
        return ""

    def scene_position(self, x: float, y: float) -> QPointF:
        """Where the data point (x, y) is in the plot's scene (tests hover there)."""
        point: QPointF = self.item.getViewBox().mapViewToScene(QPointF(x, y))
        return point

    def _mouse_moved(self, position: Any) -> None:
        box = self.item.getViewBox()
        if not box.sceneBoundingRect().contains(position):
            text = ""
        else:
            point = box.mapSceneToView(position)
            text = self.text_at(point.x(), point.y())
        self.hover_text = text
        if text:
            QToolTip.showText(QCursor.pos(), plain_tooltip(text), self.plot)
        else:
            QToolTip.hideText()

    # --- colours --------------------------------------------------------------------

    def _text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = self._text_colour()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        for name in ("left", "bottom"):
            axis = self.item.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)
        self.legend.setBrush(pg.mkBrush(palette.color(QPalette.ColorRole.Base)))
        self.legend.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            self._draw()

    # --- export ---------------------------------------------------------------------

    def export_png(self, path: Path, width: int) -> None:
        """Write the chart as a PNG ``width`` pixels wide (the height keeps the chart's shape)."""
        exporter = ImageExporter(self.plot.ci)
        exporter.parameters()["width"] = int(width)
        exporter.parameters()["background"] = self.palette().color(QPalette.ColorRole.Base)
        image: QImage = exporter.export(toBytes=True)
        _write_whole(path, lambda part: QImageWriter(str(part), QByteArray(b"png")).write(image))

    def export_svg(self, path: Path) -> None:
        """Write the chart as an SVG drawing, the size it is on screen.

        Drawn by Qt's SVG generator: pyqtgraph's own SVG exporter fails on the
        paths Qt 6 writes (pyqtgraph/pyqtgraph#3485).
        """
        source = self.plot.ci.sceneBoundingRect()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(source.size().toSize())
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle(self.tr("BadgeDesk report"))
        painter = QPainter(generator)
        try:
            painter.fillRect(QRectF(0, 0, source.width(), source.height()), self.palette().base())
            self.plot.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
        finally:
            painter.end()
        data = bytes(buffer.data().data())

        def write(part: Path) -> bool:
            part.write_bytes(data)
            return True

        _write_whole(path, write)


def _write_whole(path: Path, write: Callable[[Path], bool]) -> None:
    """Write ``path`` through a ``.part`` file, so it appears only when complete."""
    part = path.with_name(path.name + ".part")
    try:
        if not write(part):
            raise OSError(f"could not write {path}")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
