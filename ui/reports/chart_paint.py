"""Painting the report chart with QPainter: one code path for the screen, a PNG and an SVG.

:class:`ChartPicture` holds what is drawn (bars in data coordinates, the total
line, tick and legend texts, colours); :func:`layout` places it in a rectangle
(axes, plot area, legend beside it, never over the bars) and :func:`paint`
draws it. Coordinates: a period's slot is centred on its index; counts go up
from 0 to :attr:`ChartPicture.top`.

GUI thread only (fonts and painters).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTransform

#: The data range along the bottom axis around the slots 0 … count-1.
X_MARGIN_LEFT = 0.6
X_MARGIN_RIGHT = 0.4
#: Space around the chart and between its parts, in logical pixels.
GAP = 8.0
TICK = 5.0
SWATCH = 14.0
#: The legend takes at most this share of the width (longer names are elided).
LEGEND_SHARE = 0.35
#: At most this many count labels along the left axis.
Y_TICKS = 6
#: At most this many period names along the bottom axis (every n-th period when more, or when
#: the names would not fit side by side).
MAX_TICKS = 12


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar in data coordinates, and its series' colour."""

    x0: float
    x1: float
    y0: float
    y1: float
    colour: QColor


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A row of the legend: a coloured box (a series) or a line with a dot (the total)."""

    text: str
    colour: QColor
    line: bool = False


@dataclass(slots=True)
class ChartPicture:
    """What the chart draws, independent of where."""

    count: int = 0
    top: float = 1.0
    bars: list[Bar] = field(default_factory=list)
    totals: list[float] = field(default_factory=list)
    #: The periods' names, in order (the bottom axis shows those that fit).
    periods: list[str] = field(default_factory=list)
    #: (count, text) along the left axis.
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_label: str = ""
    legend: list[LegendEntry] = field(default_factory=list)
    background: QColor = field(default_factory=lambda: QColor(Qt.GlobalColor.white))
    text: QColor = field(default_factory=lambda: QColor(Qt.GlobalColor.black))
    frame: QColor = field(default_factory=lambda: QColor(Qt.GlobalColor.gray))


def nice_step(top: float, most: int = Y_TICKS) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1): at most ``most`` ticks up to ``top``."""
    rough = max(1.0, top / max(1, most - 1))
    power = 10.0 ** math.floor(math.log10(rough))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * power >= rough:
            return factor * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def period_ticks(picture: ChartPicture, place: Layout, font: QFont) -> list[tuple[int, str]]:
    """The (index, name) of the periods named along the bottom axis: every n-th, so that they fit."""
    count = len(picture.periods)
    if not count:
        return []
    slot = place.plot.width() / (place.x_max - place.x_min)
    widest = max(QFontMetricsF(font).horizontalAdvance(name) for name in picture.periods)
    step = max(1, -(-count // MAX_TICKS), math.ceil((widest + GAP) / max(1.0, slot)))
    return [(i, picture.periods[i]) for i in range(0, count, step)]


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the parts go in a rectangle, and the mapping between data and pixels."""

    area: QRectF
    plot: QRectF
    legend: QRectF
    x_min: float
    x_max: float
    top: float

    def to_pixel(self, x: float, y: float) -> QPointF:
        px = self.plot.left() + (x - self.x_min) / (self.x_max - self.x_min) * self.plot.width()
        py = self.plot.bottom() - y / self.top * self.plot.height()
        return QPointF(px, py)

    def to_data(self, point: QPointF) -> tuple[float, float]:
        x = self.x_min + (point.x() - self.plot.left()) / max(1.0, self.plot.width()) * (
            self.x_max - self.x_min
        )
        y = (self.plot.bottom() - point.y()) / max(1.0, self.plot.height()) * self.top
        return x, y

    def bar_rect(self, bar: Bar) -> QRectF:
        return QRectF(self.to_pixel(bar.x0, bar.y1), self.to_pixel(bar.x1, bar.y0)).normalized()


def layout(picture: ChartPicture, rect: QRectF, font: QFont) -> Layout:
    """Place the axes, the plot area and the legend (top right, beside the plot) in ``rect``."""
    metrics = QFontMetricsF(font)
    line = metrics.height()
    legend_width = 0.0
    if picture.legend:
        widest = max(metrics.horizontalAdvance(entry.text) for entry in picture.legend)
        legend_width = min(widest + SWATCH + 3 * GAP, rect.width() * LEGEND_SHARE)
    legend_height = len(picture.legend) * (line + GAP / 2) + GAP if picture.legend else 0.0
    labels = [text for _value, text in picture.y_ticks] or ["0"]
    left_axis = line + GAP + max(metrics.horizontalAdvance(t) for t in labels) + TICK + GAP / 2
    bottom_axis = TICK + GAP / 2 + line
    plot = QRectF(
        rect.left() + GAP + left_axis,
        rect.top() + GAP + line / 2,
        max(1.0, rect.width() - 3 * GAP - left_axis - legend_width),
        max(1.0, rect.height() - 2 * GAP - line / 2 - bottom_axis),
    )
    legend = QRectF(rect.right() - GAP - legend_width, plot.top(), legend_width, legend_height)
    x_max = max(1, picture.count) - 1 + X_MARGIN_RIGHT
    return Layout(rect, plot, legend, -X_MARGIN_LEFT, x_max, max(1.0, picture.top))


def paint(painter: QPainter, rect: QRectF, picture: ChartPicture, font: QFont) -> Layout:
    """Draw ``picture`` in ``rect`` and return where its parts went."""
    place = layout(picture, rect, font)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(font)
        painter.fillRect(rect, picture.background)
        _paint_grid_and_axes(painter, place, picture, font)
        _paint_bars_and_total(painter, place, picture)
        _paint_legend(painter, place, picture, font)
    finally:
        painter.restore()
    return place


def _paint_grid_and_axes(painter: QPainter, place: Layout, picture: ChartPicture, font: QFont) -> None:
    metrics = QFontMetricsF(font)
    line = metrics.height()
    plot = place.plot
    grid = QColor(picture.text)
    grid.setAlphaF(0.25)
    axis_pen = QPen(picture.text, 1.0)
    for value, text in picture.y_ticks:
        y = place.to_pixel(0, value).y()
        painter.setPen(QPen(grid, 1.0))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(axis_pen)
        painter.drawLine(QPointF(plot.left() - TICK, y), QPointF(plot.left(), y))
        label = QRectF(plot.left() - TICK - GAP / 2 - 400, y - line / 2, 400, line)
        painter.drawText(label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
    painter.setPen(axis_pen)
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    slot = plot.width() / (place.x_max - place.x_min)
    ticks = period_ticks(picture, place, font)
    step = ticks[1][0] - ticks[0][0] if len(ticks) > 1 else 1
    room = slot * step
    for index, text in ticks:
        x = place.to_pixel(index, 0).x()
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + TICK))
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room - 2, 10.0))
        label = QRectF(x - room / 2, plot.bottom() + TICK + GAP / 4, room, line)
        painter.drawText(label, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), shown)
    if picture.y_label:
        painter.save()
        # Moved by a transform (not painter.translate, which reads as a text to translate).
        painter.setTransform(
            QTransform.fromTranslate(place.area.left() + GAP + line / 2, plot.center().y()), True
        )
        painter.rotate(-90)
        painter.drawText(
            QRectF(-plot.height() / 2, -line / 2, plot.height(), line),
            int(Qt.AlignmentFlag.AlignCenter),
            picture.y_label,
        )
        painter.restore()


def _paint_bars_and_total(painter: QPainter, place: Layout, picture: ChartPicture) -> None:
    painter.save()
    painter.setClipRect(place.plot.adjusted(-1, -1, 1, 1))
    for bar in picture.bars:
        painter.setPen(QPen(bar.colour.darker(130), 1.0))
        painter.setBrush(bar.colour)
        painter.drawRect(place.bar_rect(bar))
    if picture.totals:
        points = [place.to_pixel(i, t) for i, t in enumerate(picture.totals)]
        painter.setPen(QPen(picture.text, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(points)
        painter.setBrush(picture.text)
        painter.setPen(QPen(picture.text, 1.0))
        # Smaller dots where the periods stand close together (a year of weeks).
        slot = place.plot.width() / (place.x_max - place.x_min)
        radius = max(1.5, min(3.5, slot / 5))
        for point in points:
            painter.drawEllipse(point, radius, radius)
    painter.restore()


def _paint_legend(painter: QPainter, place: Layout, picture: ChartPicture, font: QFont) -> None:
    if not picture.legend:
        return
    metrics = QFontMetricsF(font)
    line = metrics.height()
    box = place.legend
    painter.setPen(QPen(picture.frame, 1.0))
    painter.setBrush(picture.background)
    painter.drawRect(box)
    text_width = max(10.0, box.width() - SWATCH - 3 * GAP)
    y = box.top() + GAP / 2
    for entry in picture.legend:
        middle = y + line / 2 + GAP / 4
        swatch = QRectF(box.left() + GAP, middle - SWATCH / 2 + 2, SWATCH, SWATCH - 4)
        if entry.line:
            painter.setPen(QPen(entry.colour, 2.0))
            painter.drawLine(QPointF(swatch.left(), middle), QPointF(swatch.right(), middle))
            painter.setBrush(entry.colour)
            painter.drawEllipse(QPointF(swatch.center().x(), middle), 3.5, 3.5)
        else:
            painter.setPen(QPen(entry.colour.darker(130), 1.0))
            painter.setBrush(entry.colour)
            painter.drawRect(swatch)
        painter.setPen(picture.text)
        shown = metrics.elidedText(entry.text, Qt.TextElideMode.ElideRight, text_width)
        label = QRectF(swatch.right() + GAP, middle - line / 2, text_width, line)
        painter.drawText(label, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        y += line + GAP / 2
