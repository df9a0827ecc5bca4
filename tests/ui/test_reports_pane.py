"""The Reports pane on the demo community: the quarterly report as a table and a chart, and its exports.

The demo's award dates are generated (and may move with today's date), so the
period is chosen from the data: the four quarters that end with the last
quarter holding an award.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import reports
from desktop.cache.database import Cache
from desktop.domain import ChangeSet
from desktop.reports import (
    Measure,
    Period,
    Report,
    ReportQuery,
    ReportSource,
    Series,
    Split,
    build_report,
    periods,
)
from tests.ui.conftest import community_of, wait_idle_after_sync, window_of
from tests.ui.test_dark_palette import dark_palette
from ui.reports.chart import ReportChart
from ui.reports.model import VALUE_ROLE
from ui.reports.periods import QuickPick, default_pick, quick_range
from ui.reports.reports_view import ReportsView
from ui.shell.controller import AppController

SVG = "{http://www.w3.org/2000/svg}"


def quarter_range_of_the_data(cache: Cache) -> tuple[date, date]:
    """The four quarters ending with the last one that holds an award."""
    with cache.read() as connection:
        newest = connection.exec_driver_sql("SELECT max(granted_at) FROM awards").scalar_one()
    assert newest is not None, "the demo has no award"
    last_award = datetime.fromtimestamp(int(newest)).date()
    quarter = date(last_award.year, (last_award.month - 1) // 3 * 3 + 1, 1)
    after = quarter.month - 1 + 3
    following = date(quarter.year + after // 12, after % 12 + 1, 1)
    before = quarter.month - 1 - 9
    first = date(quarter.year + before // 12, before % 12 + 1, 1)
    return first, following - timedelta(days=1)


@pytest.fixture()
def demo(qtbot: QtBot, make_controller: Callable[..., AppController]) -> AppController:
    controller = make_controller(demo_members=300)
    wait_idle_after_sync(qtbot, controller)
    return controller


def open_reports(qtbot: QtBot, controller: AppController) -> ReportsView:
    window = window_of(controller)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    view = window.reports
    window.view_actions[window.tabs.indexOf(view)].trigger()  # View ▸ Reports
    assert window.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.idle and view.report is not None, timeout=20_000)
    return view


def show_quarters(qtbot: QtBot, view: ReportsView, cache: Cache) -> ReportQuery:
    first, last = quarter_range_of_the_data(cache)
    view.set_choice(view.unit_box, Period.QUARTER)
    view.set_choice(view.split_box, Split.BADGE)
    view.set_range(first, last)
    qtbot.waitUntil(lambda: view.idle, timeout=20_000)
    assert view.report is not None
    assert view.report.query == ReportQuery(first, last, Period.QUARTER, Split.BADGE, Measure.AWARDS)
    return view.report.query


def test_quick_picks() -> None:
    today = date(2026, 2, 10)
    assert quick_range(QuickPick.THIS_QUARTER, today) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quick_range(QuickPick.LAST_QUARTER, today) == (date(2025, 10, 1), date(2025, 12, 31))
    assert quick_range(QuickPick.THIS_YEAR, today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert quick_range(QuickPick.LAST_YEAR, today) == (date(2025, 1, 1), date(2025, 12, 31))
    assert quick_range(QuickPick.LAST_12_MONTHS, today) == (date(2025, 3, 1), date(2026, 2, 28))
    assert quick_range(QuickPick.THIS_QUARTER, date(2026, 12, 6)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quick_range(QuickPick.CUSTOM, today) is None


def test_the_pane_opens_on_a_period_with_data_even_in_january() -> None:
    assert default_pick(date(2027, 1, 1)) is QuickPick.LAST_YEAR
    assert default_pick(date(2027, 1, 31)) is QuickPick.LAST_YEAR
    assert default_pick(date(2027, 2, 1)) is QuickPick.THIS_YEAR
    assert default_pick(date(2026, 12, 6)) is QuickPick.THIS_YEAR


def test_the_quarterly_report_of_the_demo(qtbot: QtBot, demo: AppController, artifacts: Path) -> None:
    cache = community_of(demo).cache
    view = open_reports(qtbot, demo)
    query = show_quarters(qtbot, view, cache)
    expected = build_report(cache, query)
    report = view.report
    assert report is not None
    assert report.totals == expected.totals and report.series == expected.series
    assert expected.total > 0, "the demo has no award in the chosen quarters"

    # The table: a row per quarter and a total row; a column per badge and a total column.
    model = view.model
    assert model.rowCount() == len(expected.periods) + 1 == 5
    assert model.columnCount() == len(expected.series) + 2
    total_column = model.columnCount() - 1
    for row, total in enumerate(expected.totals):
        assert model.index(row, total_column).data(VALUE_ROLE) == total
        split = sum(model.index(row, c).data(VALUE_ROLE) for c in range(1, total_column))
        assert split == total  # by badge, every award is in one series
    assert model.index(4, total_column).data(VALUE_ROLE) == expected.total
    assert model.index(4, 0).data() == "Total"
    assert model.headerData(1, Qt.Orientation.Horizontal) == expected.series[0].name
    last = expected.periods[-1].period_start
    assert model.index(3, 0).data() == f"Q{(last.month - 1) // 3 + 1} {last.year}"
    assert "award" in view.summary.text()

    # The chart: stacked bars (as many as non-zero cells, "others" summed), a total line.
    chart = view.chart
    assert chart.bars
    for index, total in enumerate(expected.totals):
        stacked = [b for b in chart.bars if b.period == index]
        assert sum(b.value for b in stacked) == total
        if stacked:
            assert max(b.y1 for b in stacked) == total

    # Hover: the figure under the pointer, in a tooltip.
    bar = max(chart.bars, key=lambda b: b.value)
    x, y = (bar.x0 + bar.x1) / 2, (bar.y0 + bar.y1) / 2
    text = chart.text_at(x, y)
    quarter = model.index(bar.period, 0).data()
    assert text == f"{bar.series} · {quarter}: {bar.value:,}"
    qtbot.mouseMove(chart.plot, chart.plot_position(x, y))
    qtbot.waitUntil(lambda: chart.hover_text == text, timeout=3_000)
    total_index = expected.totals.index(max(expected.totals))
    assert chart.text_at(total_index, expected.totals[total_index]).startswith("Total · ")
    assert chart.text_at(-0.55, 0.5) == ""

    view.window().grab().save(str(artifacts / "report_light.png"))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    previous = app.palette()
    app.setPalette(dark_palette())
    try:
        qtbot.wait(50)
        view.window().grab().save(str(artifacts / "report_dark.png"))
    finally:
        app.setPalette(previous)


def test_switching_split_and_unit_counts_again(qtbot: QtBot, demo: AppController, artifacts: Path) -> None:
    cache = community_of(demo).cache
    view = open_reports(qtbot, demo)
    query = show_quarters(qtbot, view, cache)

    view.set_choice(view.split_box, Split.GROUP)
    qtbot.waitUntil(lambda: view.idle and view.report is not None and view.report.query.split is Split.GROUP)
    assert view.report is not None
    grouped = build_report(cache, ReportQuery(query.first_day, query.last_day, Period.QUARTER, Split.GROUP))
    assert view.report.totals == grouped.totals
    assert view.chart.note.isVisible() == grouped.overlapping
    view.window().grab().save(str(artifacts / "report_by_group.png"))
    if grouped.overlapping:
        assert "several groups" in view.chart.note.text()

    view.set_choice(view.unit_box, Period.MONTH)
    qtbot.waitUntil(
        lambda: view.idle and view.report is not None and view.report.query.period is Period.MONTH
    )
    assert view.report is not None
    assert len(view.report.periods) == 12
    assert view.model.rowCount() == 13
    assert sum(view.report.totals) == grouped.total

    view.set_choice(view.split_box, Split.MODERATOR)
    view.set_choice(view.measure_box, Measure.REVOKES)
    qtbot.waitUntil(
        lambda: view.idle and view.report is not None and view.report.query.measure is Measure.REVOKES
    )
    assert view.report is not None and view.report.total == 0  # nothing revoked from this machine
    assert "this machine" in view.summary.text()


def test_the_three_exports_are_written_and_read_back(
    qtbot: QtBot, demo: AppController, tmp_path: Path, artifacts: Path
) -> None:
    cache = community_of(demo).cache
    view = open_reports(qtbot, demo)
    show_quarters(qtbot, view, cache)
    report = view.report
    assert report is not None
    messages: list[str] = []
    view.message.connect(messages.append)
    asked: list[str] = []

    def answer(title: str, suggested: str, pattern: str) -> Path:
        asked.append(suggested)
        return tmp_path / Path(suggested).stem  # no suffix: the view adds the right one

    view.ask_path = answer
    view.csv_action.trigger()
    qtbot.waitUntil(lambda: view.idle, timeout=10_000)
    csv_path = tmp_path / Path(asked[0])
    assert asked[0].endswith(".csv") and csv_path.exists()
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-1] == "Total" and len(rows) == len(report.periods) + 2
    assert [int(r[-1]) for r in rows[1:-1]] == list(report.totals)
    assert int(rows[-1][-1]) == report.total
    assert any(str(csv_path) in m for m in messages)

    view.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window())
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    png_path = tmp_path / asked[1]
    image = QImage(str(png_path))
    assert not image.isNull(), messages
    assert image.width() == 1600
    plot = view.chart.plot.size()
    assert abs(image.height() - 1600 * plot.height() / plot.width()) <= 2
    assert any(str(png_path) in m for m in messages)
    image.save(str(artifacts / "report_chart.png"))

    view.table.setFocus()
    qtbot.keyClick(
        view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    svg_path = tmp_path / asked[2]
    assert svg_path.exists(), messages
    root = ET.parse(svg_path).getroot()
    assert root.tag == f"{SVG}svg"
    # The background, and a rectangle per bar drawn.
    assert len(list(root.iter(f"{SVG}rect"))) > len(view.chart.bars)
    (artifacts / "report_chart.svg").write_bytes(svg_path.read_bytes())
    assert any(str(svg_path) in m for m in messages)
    assert not list(tmp_path.glob("*.part"))


def test_a_change_to_the_awards_counts_again_and_a_long_count_can_be_cancelled(
    qtbot: QtBot, demo: AppController, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = community_of(demo).cache
    view = open_reports(qtbot, demo)
    show_quarters(qtbot, view, cache)
    shown = view.report

    # A sync that stored awards: the pane counts again (once, after the burst).
    view.on_changed(ChangeSet(requests=frozenset({1})))
    assert view.idle  # nothing the report counts
    view.on_changed(ChangeSet(awards=True))
    view.on_changed(ChangeSet(awards=True))
    assert not view.idle
    qtbot.waitUntil(lambda: view.idle, timeout=10_000)
    assert view.report is not shown and view.report == shown

    # A count that takes long shows progress and can be cancelled; the report shown stays. The
    # real count, made long: every award counted 200,000 times over (tens of seconds).
    monkeypatch.setitem(
        reports._ROWS,
        Measure.AWARDS,
        "SELECT a.granted_at AS at, a.badge_id, a.granted_by AS who, a.member_id FROM awards a,"
        " (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
        " SELECT i FROM n) k WHERE k.i > 0",
    )
    messages: list[str] = []
    view.message.connect(messages.append)
    shown = view.report
    readers = demo.tasks.readers
    view.set_choice(view.split_box, Split.MODERATOR)
    qtbot.waitUntil(view.progress.isVisible, timeout=5_000)
    assert view.cancel_button.isVisible() and view.summary.text() == "Counting…"
    assert readers.activeThreadCount() >= 1  # counting
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert not view.progress.isVisible() and messages == ["Report cancelled."]
    # The worker stops counting at once: the readers are free well before the count would end.
    qtbot.waitUntil(lambda: readers.activeThreadCount() == 0 and view.idle, timeout=5_000)
    assert view.report is shown  # the cancelled count gave no result
    assert "award" in view.summary.text()
    assert not view.failure.shown  # a cancel is no failure

    # The reader connection that was stopped counts the next report.
    monkeypatch.undo()
    view.set_choice(view.split_box, Split.BADGE)
    qtbot.waitUntil(lambda: view.idle, timeout=10_000)
    assert view.report == shown


def test_the_chart_shows_names_literally_and_groups_side_by_side(qtbot: QtBot) -> None:
    """Without the demo: a member's group named like HTML, a member in two groups."""
    query = ReportQuery(date(2025, 1, 1), date(2025, 6, 30), Period.QUARTER, Split.GROUP)
    report = Report(
        query,
        periods(query),
        (Series("<b>Bold</b>", "<b>Bold</b>", (3, 1)), Series("MVP", "MVP", (2, 0))),
        (4, 1),
        ReportSource.SERVER,
    )
    assert report.overlapping
    chart = ReportChart()
    qtbot.addWidget(chart)
    chart.set_report(report)
    assert chart.legend_labels() == ["<b>Bold</b>", "MVP", "Total"]  # drawn as plain text
    # Side by side: the two groups' bars of a quarter start at 0 and do not overlap.
    first = [b for b in chart.bars if b.period == 0]
    assert [(b.y0, b.y1) for b in first] == [(0, 3), (0, 2)]
    assert first[0].x1 <= first[1].x0
    assert chart.text_at((first[0].x0 + first[0].x1) / 2, 1) == "<b>Bold</b> · Q1 2025: 3"
    assert chart.note.text().startswith("A member in several groups counts in each")
