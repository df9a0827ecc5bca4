"""The Reports pane: awards (or revokes) per week, month or quarter, split by badge, group or moderator.

The figures are :func:`desktop.reports.build_report`'s, counted on a reader
connection on a worker; the latest request wins. The table (a row per
period, a column per series, totals) and the chart (:mod:`ui.reports.chart`)
sit side by side in a splitter. The report runs again when what it counts
changes (a sync brought awards, badges were renamed, groups changed, a revoke
was confirmed), once the pane is shown.

Exports: the table as CSV (on a worker), the chart as PNG or SVG; the status
bar says where the file went.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.cancellation import CancelToken
from desktop.domain import ChangeSet
from desktop.reports import Measure, Period, Report, ReportQuery, Split, build_report, export_report_csv
from ui.operations import LatestOnly, Operation, while_alive
from ui.reports.chart import ReportChart
from ui.reports.model import ReportTableModel
from ui.reports.periods import (
    QUICK_PICKS,
    QuickPick,
    date_edit_format,
    default_pick,
    python_date,
    qdate,
    quick_range,
)
from ui.session.app_session import AppSession
from ui.widgets.load_failure import LoadFailure, not_loaded
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label

#: Changing a date waits this long before the report runs (typing a date is several keys).
DATE_DEBOUNCE_MS = 300
#: Changes come in bursts (a sync stores page after page): count once.
CHANGE_DEBOUNCE_MS = 500
#: A report still counting after this long shows a progress bar and a Cancel button.
PROGRESS_AFTER_MS = 300
#: The width of an exported PNG, in pixels (the height keeps the chart's shape).
PNG_WIDTH = 1600


UNITS: tuple[tuple[str, Period], ...] = (
    (str(QT_TRANSLATE_NOOP("ReportsView", "Week")), Period.WEEK),
    (str(QT_TRANSLATE_NOOP("ReportsView", "Month")), Period.MONTH),
    (str(QT_TRANSLATE_NOOP("ReportsView", "Quarter")), Period.QUARTER),
)
SPLITS: tuple[tuple[str, Split], ...] = (
    (str(QT_TRANSLATE_NOOP("ReportsView", "By badge")), Split.BADGE),
    (str(QT_TRANSLATE_NOOP("ReportsView", "By group")), Split.GROUP),
    (str(QT_TRANSLATE_NOOP("ReportsView", "By moderator")), Split.MODERATOR),
)
MEASURES: tuple[tuple[str, Measure], ...] = (
    (str(QT_TRANSLATE_NOOP("ReportsView", "Awards")), Measure.AWARDS),
    (str(QT_TRANSLATE_NOOP("ReportsView", "Revokes")), Measure.REVOKES),
)


class ReportsView(QWidget):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report: Report | None = None
        self._results = LatestOnly(self)
        self._running: Operation | None = None
        self._counting = 0
        self._stale = True
        self._exporting = 0
        #: Today, for the quick picks (tests replace it).
        self.today: Callable[[], date] = date.today
        #: Asks where to save: (title, suggested name, file filter) → a path or None (tests replace it).
        self.ask_path: Callable[[str, str, str], Path | None] = self._ask_path

        self._dates = QTimer(self)
        self._dates.setSingleShot(True)
        self._dates.setInterval(DATE_DEBOUNCE_MS)
        self._dates.timeout.connect(self.reload)
        self._changes = QTimer(self)
        self._changes.setSingleShot(True)
        self._changes.setInterval(CHANGE_DEBOUNCE_MS)
        self._changes.timeout.connect(self.reload)
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(PROGRESS_AFTER_MS)
        self._slow.timeout.connect(self._show_progress)

        # --- controls ---
        self.pick_box = self._combo("reportPick", QUICK_PICKS)
        self.first_edit = self._date_edit("reportFirstDay")
        self.last_edit = self._date_edit("reportLastDay")
        self.unit_box = self._combo("reportUnit", UNITS)
        self.split_box = self._combo("reportSplit", SPLITS)
        self.measure_box = self._combo("reportMeasure", MEASURES)
        self.unit_box.setCurrentIndex(2)
        self.export_button = QPushButton(self.tr("E&xport"))
        self.export_button.setObjectName("reportExport")
        self.export_button.setToolTip(self.tr("Save the table as CSV, or the chart as a PNG image or SVG"))
        menu = QMenu(self.export_button)
        self.csv_action = menu.addAction(self.tr("Table as &CSV…"), self.export_csv)
        self.png_action = menu.addAction(self.tr("Chart as &PNG image…"), self.export_png)
        self.svg_action = menu.addAction(self.tr("Chart as &SVG drawing…"), self.export_svg)
        self.export_button.setMenu(menu)
        # Keys as the badge designer's: Ctrl+E the picture, Ctrl+Shift+E the drawing; Ctrl+Shift+C the
        # table. Only while the pane is shown (the badges pane's Ctrl+E edits a badge).
        for action, keys in (
            (self.png_action, "Ctrl+E"),
            (self.svg_action, "Ctrl+Shift+E"),
            (self.csv_action, "Ctrl+Shift+C"),
        ):
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.export_button.setEnabled(False)
        # Two rows: what is counted over which days, then how it is split (one row is too wide
        # for a small screen in a longer language).
        days = QHBoxLayout()
        self._add_fields(
            days,
            (self.tr("Perio&d:"), self.pick_box),
            (self.tr("First da&y:"), self.first_edit),
            (self.tr("&Last day:"), self.last_edit),
        )
        days.addStretch(1)
        days.addWidget(self.export_button)
        split = QHBoxLayout()
        self._add_fields(
            split,
            (self.tr("Cou&nt:"), self.measure_box),
            (self.tr("&Unit:"), self.unit_box),
            (self.tr("Spli&t:"), self.split_box),
        )
        split.addStretch(1)

        # --- what is counted, and progress ---
        self.summary = plain_label(self.tr("Counting…"), name="reportSummary", wrap=True)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName(self.tr("Counting the report"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("reportCancel")
        self.cancel_button.setToolTip(self.tr("Stop counting this report"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress.hide()
        self.cancel_button.hide()
        status = QHBoxLayout()
        status.addWidget(self.summary, 1)
        status.addWidget(self.progress)
        status.addWidget(self.cancel_button)
        self.failure = LoadFailure(self)
        self.failure.retry.connect(self.reload)

        # --- table and chart ---
        self.model = ReportTableModel(self)
        self.table = row_table("reportTable", self.model, self)
        self.table.setAccessibleName(self.tr("Report table"))
        self.chart = ReportChart()
        self.splitter = QSplitter()
        self.splitter.setObjectName("reportSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([400, 600])

        layout = QVBoxLayout(self)
        layout.addLayout(days)
        layout.addLayout(split)
        layout.addWidget(self.failure)
        layout.addLayout(status)
        layout.addWidget(self.splitter, 1)

        self.pick_box.setCurrentIndex(self._pick_index(default_pick(self.today())))
        self._apply_pick()
        self.pick_box.currentIndexChanged.connect(self._pick_changed)
        self.first_edit.dateChanged.connect(self._date_changed)
        self.last_edit.dateChanged.connect(self._date_changed)
        for box in (self.unit_box, self.split_box, self.measure_box):
            box.currentIndexChanged.connect(lambda _index: self.reload())
        session.changed.connect(self.on_changed)

    @staticmethod
    def _combo(name: str, choices: tuple[tuple[str, Any], ...]) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        for text, value in choices:
            # Plain strings as the data: PySide hands a str enum back as a str.
            box.addItem(QCoreApplication.translate("ReportsView", text), value.value)
        return box

    @staticmethod
    def _add_fields(row: QHBoxLayout, *fields: tuple[str, QWidget]) -> None:
        for text, widget in fields:
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(6)

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_edit_format())
        return edit

    # --- state for tests and the main window ------------------------------------------

    @property
    def idle(self) -> bool:
        """Nothing waiting or counting (tests wait on this)."""
        return (
            not self._dates.isActive()
            and not self._changes.isActive()
            and self._counting == 0
            and self._exporting == 0
        )

    def current_query(self) -> ReportQuery:
        first = python_date(self.first_edit.date())
        last = python_date(self.last_edit.date())
        return ReportQuery(
            first_day=min(first, last),
            last_day=max(first, last),
            period=UNITS[self.unit_box.currentIndex()][1],
            split=SPLITS[self.split_box.currentIndex()][1],
            measure=MEASURES[self.measure_box.currentIndex()][1],
        )

    def set_range(self, first: date, last: date) -> None:
        """Count from ``first`` to ``last`` (both included); runs at once."""
        with QSignalBlocker(self.first_edit), QSignalBlocker(self.last_edit):
            self.first_edit.setDate(qdate(first))
            self.last_edit.setDate(qdate(last))
        self._match_pick()
        self.reload()

    def set_choice(self, box: QComboBox, value: Any) -> None:
        """Choose ``value`` (a Period, Split or Measure) in ``box``; the report runs again."""
        box.setCurrentIndex(box.findData(value.value))

    @property
    def pick(self) -> QuickPick:
        return QUICK_PICKS[self.pick_box.currentIndex()][1]

    # --- period -----------------------------------------------------------------------

    def _pick_index(self, pick: QuickPick) -> int:
        return self.pick_box.findData(pick.value)

    def _apply_pick(self) -> None:
        found = quick_range(self.pick, self.today())
        if found is None:
            return
        with QSignalBlocker(self.first_edit), QSignalBlocker(self.last_edit):
            self.first_edit.setDate(qdate(found[0]))
            self.last_edit.setDate(qdate(found[1]))

    def _pick_changed(self) -> None:
        if self.pick is QuickPick.CUSTOM:
            return
        self._apply_pick()
        self.reload()

    def _date_changed(self) -> None:
        self._match_pick()
        self._dates.start()

    def _match_pick(self) -> None:
        """Show the quick pick the dates are, or "Custom range"."""
        shown = (python_date(self.first_edit.date()), python_date(self.last_edit.date()))
        today = self.today()
        pick = next((p for _text, p in QUICK_PICKS if quick_range(p, today) == shown), QuickPick.CUSTOM)
        with QSignalBlocker(self.pick_box):
            self.pick_box.setCurrentIndex(self._pick_index(pick))

    # --- counting ---------------------------------------------------------------------

    def on_changed(self, changes: ChangeSet) -> None:
        query = self.current_query()
        measure, split = query.measure, query.split
        relevant = (
            changes.reset
            or (measure is Measure.AWARDS and changes.awards)
            or (measure is Measure.REVOKES and changes.outbox)
            or (split is Split.BADGE and bool(changes.badges))
            or (split is Split.GROUP and (changes.groups or bool(changes.members)))
        )
        if not relevant:
            return
        if self.isVisible():
            self._changes.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Count the report the controls show, on a worker; an earlier count still running is dropped."""
        self._dates.stop()
        self._changes.stop()
        self._stale = False
        query = self.current_query()
        cache = self.session.community.cache

        def work(cancel: CancelToken, _report: object) -> Report:
            # Cancelled (by Cancel, or a newer count), the statement stops where it is: a count of
            # a large cache would otherwise hold a reader thread for seconds.
            return build_report(cache, query, cancel=cancel)

        if self._running is not None:
            self._running.cancel()
        bind = self._results.begin()
        finished = while_alive(self, lambda _: self._count_finished())
        op = self.session.tasks.start(
            "build report",
            work,
            on_success=bind(self._show),
            on_failure=bind(self._failed),
            on_finished=lambda: finished(None),
        )
        if op is not None:
            self._counting += 1
            self._running = op
            self._slow.start()

    def _count_finished(self) -> None:
        self._counting -= 1
        if self._counting == 0:
            self._running = None
            self._slow.stop()
            self.progress.hide()
            self.cancel_button.hide()

    def _show_progress(self) -> None:
        if self._counting:
            self.progress.show()
            self.cancel_button.show()
            self.summary.setText(self.tr("Counting…"))

    def cancel(self) -> None:
        """Stop the report being counted (its worker ends within milliseconds); the one shown stays."""
        self._results.begin()  # its result, should it still come, is dropped
        if self._running is not None:
            self._running.cancel()
        self._slow.stop()
        self.progress.hide()
        self.cancel_button.hide()
        self._update_summary()
        self.message.emit(self.tr("Report cancelled."))

    def _show(self, report: Report) -> None:
        self.failure.clear()
        self.report = report
        self.model.set_report(report)
        self.table.resizeColumnsToContents()
        self.chart.set_report(report)
        self.export_button.setEnabled(True)
        self._update_summary()

    def _update_summary(self) -> None:
        report = self.report
        if report is None:
            self.summary.setText("")
            return
        if report.query.measure is Measure.REVOKES:
            count = self.tr("%Ln revoke(s) in this period.", "", report.total)
        else:
            count = self.tr("%Ln award(s) in this period.", "", report.total)
        self.summary.setText(self.tr("{count} {source}").format(count=count, source=report.source.text))

    def _failed(self, error: Exception) -> None:
        self.summary.setText(not_loaded())
        self.failure.show_failure(
            self.session.describe(error, failures.loading(self.tr("the report"))).message
        )

    # --- export -----------------------------------------------------------------------

    def _suggested(self, extension: str) -> str:
        query = self.report.query if self.report is not None else self.current_query()
        # A file name: the dates stay ISO, so the files sort by them.
        return self.tr("report-{first}-to-{last}.{extension}").format(
            first=query.first_day.isoformat(), last=query.last_day.isoformat(), extension=extension
        )

    def _ask_path(self, title: str, suggested: str, pattern: str) -> Path | None:
        name, _chosen = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        return Path(name) if name else None

    def _path(self, title: str, extension: str, pattern: str) -> Path | None:
        path = self.ask_path(title, self._suggested(extension), pattern)
        if path is None:
            return None
        return path if path.suffix else path.with_suffix(f".{extension}")

    def export_csv(self) -> None:
        if self.report is None:
            return
        path = self._path(self.tr("Export the report's table"), "csv", self.tr("CSV files (*.csv)"))
        if path is not None:
            self.export_csv_to(path)

    def export_png(self) -> None:
        if self.report is None:
            return
        path = self._path(self.tr("Save the chart"), "png", self.tr("PNG images (*.png)"))
        if path is not None:
            self.export_png_to(path)

    def export_svg(self) -> None:
        if self.report is None:
            return
        path = self._path(self.tr("Save the chart"), "svg", self.tr("SVG drawings (*.svg)"))
        if path is not None:
            self.export_svg_to(path)

    def export_csv_to(self, path: Path) -> None:
        """Write the table shown to ``path`` as CSV, on a worker."""
        report = self.report
        if report is None:
            return

        def written(rows: int) -> None:
            self.message.emit(
                self.tr("Exported the report (%Ln period(s)) to {path}", "", rows).format(path=path)
            )

        def ended(_result: object) -> None:
            self._exporting -= 1

        op = self.session.tasks.start(
            "export report",
            lambda _cancel, _progress: export_report_csv(report, path),
            on_success=while_alive(self, written),
            on_failure=while_alive(self, self._export_failed),
            on_finished=lambda: while_alive(self, ended)(None),
        )
        if op is not None:
            self._exporting += 1
            self.message.emit(self.tr("Exporting the report to {path}…").format(path=path))

    def export_png_to(self, path: Path, width: int = PNG_WIDTH) -> None:
        """Write the chart to ``path`` as a PNG ``width`` pixels wide."""
        self._save_chart(path, lambda: self.chart.export_png(path, width))

    def export_svg_to(self, path: Path) -> None:
        """Write the chart to ``path`` as SVG."""
        self._save_chart(path, lambda: self.chart.export_svg(path))

    def _save_chart(self, path: Path, write: Callable[[], None]) -> None:
        # Drawing the chart needs the GUI thread; it takes milliseconds.
        if self.report is None:
            return
        try:
            write()
        except Exception as error:
            self._export_failed(error)
            return
        self.message.emit(self.tr("Saved the chart to {path}").format(path=path))

    def _export_failed(self, error: Exception) -> None:
        self.message.emit(self.session.describe(error, failures.file_task(self.tr("export"))).message)
