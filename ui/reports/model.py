"""The report as a table: a row per period, a column per series and one for the total, a total row.

A thin adapter over :class:`desktop.reports.Report`: the figures are the
core's; this only says how they read (the period in the user's locale, counts
with digit grouping). :data:`VALUE_ROLE` gives the raw count of a cell.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from desktop.reports import Period, Report, Span
from ui.i18n import SHOWS_DATA_ROLE, format_date, format_number

#: The raw count of a cell (an int), or the period's index in the report for the period column.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


def period_name(span: Span) -> str:
    """The calendar period as the user reads it: "Q3 2025", "Mar 2025", "Week 9, 2025"."""
    start = span.period_start
    if span.kind is Period.QUARTER:
        return QCoreApplication.translate("ReportTableModel", "Q{quarter} {year}").format(
            quarter=(start.month - 1) // 3 + 1, year=start.year
        )
    if span.kind is Period.MONTH:
        month = QLocale().standaloneMonthName(start.month, QLocale.FormatType.ShortFormat)
        return QCoreApplication.translate("ReportTableModel", "{month} {year}").format(
            month=month, year=start.year
        )
    iso = start.isocalendar()
    return QCoreApplication.translate("ReportTableModel", "Week {week}, {year}").format(
        week=iso.week, year=iso.year
    )


def period_days(span: Span) -> str:
    """The days a period counts, for a tooltip; says so when the range cuts the period."""
    first, last = format_date(span.start), format_date(span.last_day)
    if span.complete:
        return QCoreApplication.translate("ReportTableModel", "{first} to {last}").format(
            first=first, last=last
        )
    return QCoreApplication.translate(
        "ReportTableModel", "{first} to {last} (only these days of the period are in the range)"
    ).format(first=first, last=last)


class ReportTableModel(QAbstractTableModel):
    """GUI thread only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None

    def set_report(self, report: Report | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    # --- shape ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | Any = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.report is None:
            return 0
        return len(self.report.periods) + 1

    def columnCount(self, parent: QModelIndex | Any = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return 2 + (len(self.report.series) if self.report is not None else 0)

    def is_total_row(self, row: int) -> bool:
        return self.report is not None and row == len(self.report.periods)

    def value(self, row: int, column: int) -> int | None:
        """The count shown at (row, column); None for the period column."""
        report = self.report
        if report is None or column == 0:
            return None
        total_row = row == len(report.periods)
        if column == len(report.series) + 1:
            return report.total if total_row else report.totals[row]
        series = report.series[column - 1]
        return series.total if total_row else series.values[row]

    # --- data -----------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return self.tr("Period")
            if self.report is not None and section <= len(self.report.series):
                return self.report.series[section - 1].name
            return self.tr("Total")
        if role == SHOWS_DATA_ROLE:
            # A series named after a badge, group or moderator; "In no group" is ours.
            series = self.report.series if self.report is not None else ()
            return 0 < section <= len(series) and series[section - 1].key is not None
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        report = self.report
        if report is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        total_row = self.is_total_row(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.tr("Total") if total_row else period_name(report.periods[row])
            value = self.value(row, column)
            return format_number(value) if value is not None else None
        if role == VALUE_ROLE:
            return row if column == 0 else self.value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            if total_row:
                return period_days_of_range(report)
            return period_days(report.periods[row])
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (total_row or column == len(report.series) + 1):
            font = QFont()
            font.setBold(True)
            return font
        return None


def period_days_of_range(report: Report) -> str:
    """The days of the whole report, for the total row's tooltip."""
    return QCoreApplication.translate("ReportTableModel", "{first} to {last}").format(
        first=format_date(report.query.first_day), last=format_date(report.query.last_day)
    )
