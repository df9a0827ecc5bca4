"""The report as a chart: a bar per period stacked by series, a line for the total.

Drawn by Qt itself (:mod:`ui.reports.chart_paint`: QPainter, one code path for
the screen, the PNG and the SVG). The largest series have a colour each
(:data:`ui.widgets.colours.CHART_SERIES`); the rest are drawn as one "Others"
series, so the legend stays readable with sixty badges (the table lists every
series). A split that counts some award in several series (by group: a member
in two groups) is not stacked, which would draw bars taller than the total:
its series stand side by side, and a note under the chart says why.

Hovering a bar (or a point of the total line) shows its exact figure in a
tooltip. The chart exports itself as PNG and SVG (Qt's generator).

GUI thread only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QSizePolicy, QToolTip, QVBoxLayout, QWidget

from desktop.reports import Measure, Report, Split
from ui.i18n import format_number
from ui.reports.chart_paint import Bar, ChartPicture, Layout, LegendEntry, layout, nice_step, paint
from ui.reports.model import period_name
from ui.widgets.colours import series_colour
from ui.widgets.text import plain_label, plain_tooltip

#: Series drawn with a colour of their own; the others are drawn as one.
MAX_SERIES = 9
#: The share of a period's slot its bars take.
BAR_WIDTH = 0.7


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


class ChartCanvas(QWidget):
    """The drawing surface: paints the chart's picture, reports the pointer to the chart."""

    def __init__(self, chart: ReportChart) -> None:
        super().__init__(chart)
        self.chart = chart
        self.setObjectName("reportPlot")
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(480, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.chart.paint_on(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.chart.hover(event.position().toPoint(), event.globalPosition().toPoint())
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.chart.hover(None, None)
        super().leaveEvent(event)


class ReportChart(QWidget):
    """Lives on the GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.report: Report | None = None
        self.bars: list[ChartBar] = []
        #: What is drawn: bars, total line, axes and legend (see :mod:`ui.reports.chart_paint`).
        self.picture = ChartPicture()
        #: The tooltip text shown for the last hover (empty: nothing under the pointer).
        self.hover_text = ""
        # The plot, with its legend beside it (never over the bars).
        self.plot = ChartCanvas(self)
        # The table beside it holds the same figures for the keyboard and screen readers.
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.setAccessibleName(self.tr("Chart of the report"))
        self.note = plain_label(name="reportChartNote", wrap=True)
        self.note.hide()
        layout_ = QVBoxLayout(self)
        layout_.setContentsMargins(0, 0, 0, 0)
        layout_.addWidget(self.plot, 1)
        layout_.addWidget(self.note)
        self._draw()

    # --- drawing --------------------------------------------------------------------

    def set_report(self, report: Report | None) -> None:
        self.report = report
        self._draw()

    def legend_labels(self) -> list[str]:
        """The legend's rows, top to bottom, as drawn (names literally, never as markup)."""
        return [entry.text for entry in self.picture.legend]

    def _draw(self) -> None:
        self.bars = []
        palette = self.palette()
        picture = ChartPicture(
            background=palette.color(QPalette.ColorRole.Base),
            text=self._text_colour(),
            frame=palette.color(QPalette.ColorRole.Mid),
        )
        self.picture = picture
        report = self.report
        if report is None or not report.periods:
            self.note.hide()
            self.plot.update()
            return
        series = chart_series(report)
        count = len(report.periods)
        side_by_side = report.overlapping
        stack = [0.0] * count
        for number, each in enumerate(series):
            colour = series_colour(number)
            width = BAR_WIDTH / max(1, len(series)) if side_by_side else BAR_WIDTH
            for i, value in enumerate(each.values):
                x0 = i - BAR_WIDTH / 2 + (number * width if side_by_side else 0.0)
                y0 = 0.0 if side_by_side else stack[i]
                if value:
                    self.bars.append(ChartBar(x0, x0 + width, y0, y0 + value, each.name, i, value))
                    picture.bars.append(Bar(x0, x0 + width, y0, y0 + value, colour))
                if not side_by_side:
                    stack[i] += value
            picture.legend.append(LegendEntry(each.name, colour))
        picture.legend.append(LegendEntry(self.tr("Total"), self._text_colour(), line=True))
        picture.count = count
        picture.totals = [float(t) for t in report.totals]
        picture.periods = [period_name(span) for span in report.periods]
        picture.top = max([*report.totals, *(b.y1 for b in self.bars), 1]) * 1.1
        y_step = nice_step(picture.top)
        picture.y_ticks = [
            (k * y_step, format_number(int(k * y_step))) for k in range(int(picture.top // y_step) + 1)
        ]
        picture.y_label = self._measure_label(report)
        self._update_note(report, series)
        self.plot.update()

    def paint_on(self, painter: QPainter, rect: QRectF) -> Layout:
        """Draw the chart in ``rect`` (the screen, a PNG or an SVG)."""
        return paint(painter, rect, self.picture, self.plot.font())

    def plot_layout(self) -> Layout:
        """Where the plot, axes and legend are on :attr:`plot` now."""
        return layout(self.picture, QRectF(self.plot.rect()), self.plot.font())

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
            top = max(1.0, self.picture.top)
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

    def plot_position(self, x: float, y: float) -> QPoint:
        """Where the data point (x, y) is on :attr:`plot`, in its pixels (tests hover there)."""
        return self.plot_layout().to_pixel(x, y).toPoint()

    def hover(self, position: QPoint | None, global_position: QPoint | None) -> None:
        """The pointer moved to ``position`` on the plot (None: it left): show the figure under it."""
        text = ""
        if position is not None:
            place = self.plot_layout()
            if place.plot.adjusted(-1, -1, 1, 1).contains(position.toPointF()):
                text = self.text_at(*place.to_data(position.toPointF()))
        self.hover_text = text
        if text and global_position is not None:
            QToolTip.showText(global_position, plain_tooltip(text), self.plot)
        else:
            QToolTip.hideText()

    # --- colours --------------------------------------------------------------------

    def _text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._draw()

    # --- export ---------------------------------------------------------------------

    def _export_size(self) -> QSize:
        """The chart's size on screen (a default shape when it was never shown)."""
        size = self.plot.size()
        if size.width() < 50 or size.height() < 50:
            return self.plot.sizeHint()
        return size

    def export_png(self, path: Path, width: int) -> None:
        """Write the chart as a PNG ``width`` pixels wide (the height keeps the chart's shape)."""
        size = self._export_size()
        scale = width / size.width()
        image = QImage(int(width), max(1, round(size.height() * scale)), QImage.Format.Format_ARGB32)
        image.fill(self.picture.background)
        painter = QPainter(image)
        try:
            # Drawn at the size it is on screen, then scaled: text keeps its share of the chart.
            painter.scale(scale, scale)
            self.paint_on(painter, QRectF(0, 0, size.width(), size.height()))
        finally:
            painter.end()
        _write_whole(path, lambda part: QImageWriter(str(part), QByteArray(b"png")).write(image))

    def export_svg(self, path: Path) -> None:
        """Write the chart as an SVG drawing, the size it is on screen."""
        size = self._export_size()
        area = QRectF(0, 0, size.width(), size.height())
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        # At the screen's dpi the layout measures text with (the generator's own is 72): text keeps its
        # size and its share of the chart, and the drawing its size in mm.
        generator.setResolution(self.plot.logicalDpiX())
        generator.setSize(size)
        generator.setViewBox(area)
        generator.setTitle(self.tr("BadgeDesk report"))
        painter = QPainter(generator)
        try:
            self.paint_on(painter, area)
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
