"""The report chart drawn by Qt itself: axes, legend, hover, colours, exports, and no NumPy or pyqtgraph."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QColor, QFontInfo, QFontMetricsF, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from desktop.reports import Period, Report, ReportQuery, ReportSource, Series, Split, periods
from tests.ui.test_dark_palette import dark_palette
from ui.reports.chart import ReportChart
from ui.reports.chart_paint import nice_step, period_ticks
from ui.widgets.colours import series_colour

ROOT = Path(__file__).resolve().parents[2]


def thousands() -> Report:
    """Two badges over two quarters, in thousands (stacked: one award is in one series)."""
    query = ReportQuery(date(2025, 1, 1), date(2025, 6, 30), Period.QUARTER, Split.BADGE)
    return Report(
        query,
        periods(query),
        (Series("a", "Welcome", (12_000, 3_000)), Series("b", "Helpful", (8_000, 1_000))),
        (20_000, 4_000),
        ReportSource.SERVER,
    )


def shown_chart(qtbot: QtBot, report: Report) -> ReportChart:
    chart = ReportChart()
    qtbot.addWidget(chart)
    chart.resize(640, 400)
    chart.set_report(report)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def test_the_app_draws_and_exports_the_chart_without_numpy_or_pyqtgraph(tmp_path: Path) -> None:
    # pyqtgraph may still be installed where the tests run: what matters is that nothing imports it.
    # (qtawesome's qtpy tries QtOpenGL too, as optional: the bundle leaves it out, tests/packaging.)
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "import ui.app, ui.shell.main_window, ui.reports.reports_view\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop.reports import Period, Report, ReportQuery, ReportSource, Series, Split, periods\n"
        "from ui.reports.chart import ReportChart\n"
        "app = QApplication([])\n"
        "query = ReportQuery(date(2025, 1, 1), date(2025, 6, 30), Period.QUARTER, Split.BADGE)\n"
        "report = Report(query, periods(query), (Series('a', 'A', (1, 2)),), (1, 2), ReportSource.SERVER)\n"
        "chart = ReportChart()\n"
        "chart.set_report(report)\n"
        "chart.show()\n"
        "chart.grab()\n"
        "chart.export_png(Path(sys.argv[1]) / 'c.png', 400)\n"
        "chart.export_svg(Path(sys.argv[1]) / 'c.svg')\n"
        "heavy = {'numpy', 'pyqtgraph'}\n"
        "print('loaded:', sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded: []"
    assert (tmp_path / "c.png").stat().st_size > 0 and (tmp_path / "c.svg").stat().st_size > 0


@pytest.mark.parametrize(("top", "step"), [(1.1, 1.0), (7.0, 2.0), (55.0, 20.0), (22_000.0, 5_000.0)])
def test_the_count_axis_steps_are_round(top: float, step: float) -> None:
    assert nice_step(top) == step


def test_counts_in_thousands_read_with_grouping_and_hovering_a_bar_shows_its_figure(qtbot: QtBot) -> None:
    chart = shown_chart(qtbot, thousands())
    labels = [text for _value, text in chart.picture.y_ticks]
    assert labels == ["0", "5,000", "10,000", "15,000", "20,000"]
    assert chart.picture.periods == ["Q1 2025", "Q2 2025"]
    assert chart.legend_labels() == ["Welcome", "Helpful", "Total"]
    assert chart.picture.y_label == "Awards"

    welcome = next(b for b in chart.bars if b.series == "Welcome" and b.period == 0)
    qtbot.mouseMove(chart.plot, chart.plot_position((welcome.x0 + welcome.x1) / 2, 6_000))
    qtbot.waitUntil(lambda: chart.hover_text == "Welcome · Q1 2025: 12,000", timeout=3_000)
    assert "12,000" in QToolTip.text()
    # The total's point, on top of the stack.
    qtbot.mouseMove(chart.plot, chart.plot_position(0, 20_000))
    qtbot.waitUntil(lambda: chart.hover_text == "Total · Q1 2025: 20,000", timeout=3_000)
    # Over the legend, beside the plot: nothing.
    qtbot.mouseMove(chart.plot, QPoint(chart.plot.width() - 10, chart.plot.height() // 2))
    qtbot.waitUntil(lambda: chart.hover_text == "", timeout=3_000)


def pixel(image: QImage, point: QPointF) -> QColor:
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_the_chart_takes_the_palette_and_draws_sharp_on_hidpi(
    qtbot: QtBot, artifacts: Path, dark: bool, ratio: float
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    previous = app.palette()
    if dark:
        app.setPalette(dark_palette())
    try:
        chart = shown_chart(qtbot, thousands())
        size = chart.plot.size()
        image = QImage(round(size.width() * ratio), round(size.height() * ratio), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(ratio)
        painter = QPainter(image)
        place = chart.paint_on(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        base = chart.palette().color(QPalette.ColorRole.Base)
        assert base == app.palette().color(QPalette.ColorRole.Base) and (base.lightness() < 128) == dark
        assert pixel(image, QPointF(2, 2)) == base
        welcome = next(b for b in chart.bars if b.series == "Welcome" and b.period == 0)
        assert pixel(image, place.to_pixel((welcome.x0 + welcome.x1) / 2, 6_000)) == series_colour(0)
        helpful = next(b for b in chart.bars if b.series == "Helpful" and b.period == 0)
        assert pixel(image, place.to_pixel((helpful.x0 + helpful.x1) / 2, 16_000)) == series_colour(1)
        # The legend sits beside the plot, never over the bars.
        assert place.legend.left() > place.plot.right()
        if ratio == 2.0:
            image.save(str(artifacts / f"report_chart_{'dark' if dark else 'light'}_hidpi.png"))
    finally:
        app.setPalette(previous)


def test_an_unshown_chart_exports_at_its_usual_shape_and_long_names_are_cut_short(
    qtbot: QtBot, tmp_path: Path
) -> None:
    query = ReportQuery(date(2025, 1, 1), date(2025, 6, 30), Period.QUARTER, Split.BADGE)
    name = "A badge with a name long enough to take the whole chart's width " * 3
    report = Report(query, periods(query), (Series("x", name, (1, 2)),), (1, 2), ReportSource.SERVER)
    chart = ReportChart()
    qtbot.addWidget(chart)
    chart.set_report(report)
    chart.export_png(tmp_path / "chart.png", 960)
    image = QImage(str(tmp_path / "chart.png"))
    assert (image.width(), image.height()) == (960, 600)  # the chart's usual 480 × 300, doubled
    image = QImage(640, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    place = chart.paint_on(painter, QRectF(0, 0, 640, 400))
    painter.end()
    assert place.legend.width() <= 640 * 0.35 and place.plot.width() > 300


def test_a_year_of_weeks_names_only_the_periods_that_fit_side_by_side(qtbot: QtBot, artifacts: Path) -> None:
    query = ReportQuery(date(2025, 1, 1), date(2025, 12, 31), Period.WEEK, Split.BADGE)
    spans = periods(query)
    values = tuple(100 + (i * 37) % 900 for i in range(len(spans)))
    report = Report(query, spans, (Series("a", "Welcome", values),), values, ReportSource.SERVER)
    chart = shown_chart(qtbot, report)
    chart.resize(560, 320)
    qtbot.waitUntil(lambda: chart.plot.width() < 600)
    place = chart.plot_layout()
    ticks = period_ticks(chart.picture, place, chart.plot.font())
    metrics = QFontMetricsF(chart.plot.font())
    assert 2 <= len(ticks) <= 12 and ticks[0] == (0, chart.picture.periods[0])
    for (first, name), (second, _name) in itertools.pairwise(ticks):
        apart = place.to_pixel(second, 0).x() - place.to_pixel(first, 0).x()
        assert apart >= metrics.horizontalAdvance(name), (name, apart)
    chart.grab().save(str(artifacts / "report_chart_weeks.png"))


def test_the_svg_export_keeps_the_text_the_size_it_is_on_screen(qtbot: QtBot, tmp_path: Path) -> None:
    """The layout measures text at the screen's dpi: the SVG is written at that dpi (not its 72)."""
    chart = ReportChart()
    qtbot.addWidget(chart)
    chart.resize(640, 400)
    chart.set_report(thousands())
    chart.show()
    qtbot.waitExposed(chart)
    chart.export_svg(tmp_path / "chart.svg")
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    on_screen = QFontInfo(chart.plot.font()).pixelSize()
    assert set(re.findall(r'font-size="([^"]*)"', svg)) == {str(on_screen)}
    match = re.search(r'<svg width="([0-9.]+)mm".*?viewBox="0 0 ([0-9.]+) ', svg, re.DOTALL)
    assert match is not None
    millimetres, width = float(match.group(1)), float(match.group(2))
    assert millimetres == pytest.approx(width / chart.plot.logicalDpiX() * 25.4, abs=0.01)
