"""The Reports pane's period: the quick picks ("This quarter", "Last year"…) and the date fields' days.

GUI thread only (the date helpers read the locale).
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QLocale


class QuickPick(enum.Enum):
    CUSTOM = "custom"
    THIS_QUARTER = "this_quarter"
    LAST_QUARTER = "last_quarter"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    LAST_12_MONTHS = "last_12_months"


#: The period's quick picks, in English (shown translated in the ReportsView context).
QUICK_PICKS: tuple[tuple[str, QuickPick], ...] = (
    (str(QT_TRANSLATE_NOOP("ReportsView", "Custom range")), QuickPick.CUSTOM),
    (str(QT_TRANSLATE_NOOP("ReportsView", "This quarter")), QuickPick.THIS_QUARTER),
    (str(QT_TRANSLATE_NOOP("ReportsView", "Last quarter")), QuickPick.LAST_QUARTER),
    (str(QT_TRANSLATE_NOOP("ReportsView", "This year")), QuickPick.THIS_YEAR),
    (str(QT_TRANSLATE_NOOP("ReportsView", "Last year")), QuickPick.LAST_YEAR),
    (str(QT_TRANSLATE_NOOP("ReportsView", "Last 12 months")), QuickPick.LAST_12_MONTHS),
)


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quick_range(pick: QuickPick, today: date) -> tuple[date, date] | None:
    """The days a quick pick stands for on ``today`` (both included); None for a custom range."""
    if pick is QuickPick.THIS_QUARTER:
        start = _quarter_start(today)
        following = _quarter_start(start + timedelta(days=95))
        return start, following - timedelta(days=1)
    if pick is QuickPick.LAST_QUARTER:
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    if pick is QuickPick.THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if pick is QuickPick.LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if pick is QuickPick.LAST_12_MONTHS:
        # Twelve whole months: this one and the eleven before it.
        month = today.month - 1 - 11
        start = date(today.year + month // 12, month % 12 + 1, 1)
        following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return start, following - timedelta(days=1)
    return None


def default_pick(today: date) -> QuickPick:
    """The period the pane opens on: this year, but last year in January, when this year
    has hardly begun (a report opened on New Year's Day would be empty)."""
    return QuickPick.LAST_YEAR if today.month == 1 else QuickPick.THIS_YEAR


def date_edit_format() -> str:
    """The locale's short date with four-digit years ("M/d/yyyy"): "yy" would mean 19yy."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def python_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
