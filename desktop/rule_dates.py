"""Dates in rules that stay relative: a calendar day, or a distance back from *now*.

Part of :mod:`desktop.rules` (which re-exports every name here). A
:class:`DateSpan` is half-open, ``[since, before)``; its ends are either a
calendar day (:class:`Day`, from its local midnight) or a distance back from
*now* (:class:`Ago`: "90 days", "10 years"), resolved only when a rule is
compiled (:func:`resolve`), against the ``now`` given, in the user's local
time zone.

Thread safety: immutable types and pure functions; any thread.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeAlias


class Unit(enum.StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar day: the period's end starts at its local midnight."""

    day: date


@dataclass(frozen=True, slots=True)
class Ago:
    """``amount`` units before *now*, on the local calendar and wall clock."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError(f"a negative distance back in time: {self.amount}")


Point: TypeAlias = Day | Ago


@dataclass(frozen=True, slots=True)
class DateSpan:
    """From ``since`` (included) to ``before`` (excluded); a missing end does not limit."""

    since: Point | None = None
    before: Point | None = None


def within_last(amount: int, unit: Unit) -> DateSpan:
    """The span "in the last 90 days" (any amount and unit)."""
    return DateSpan(since=Ago(amount, unit))


def more_than_ago(amount: int, unit: Unit) -> DateSpan:
    """The span "more than 10 years ago" (any amount and unit)."""
    return DateSpan(before=Ago(amount, unit))


def between_days(first: date, last: date) -> DateSpan:
    """From the first day to the last day, both whole days included."""
    return DateSpan(since=Day(first), before=Day(last + timedelta(days=1)))


def _months_back(moment: datetime, months: int) -> datetime:
    year, month0 = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def resolve(point: Point, now: datetime, tz: tzinfo | None = None) -> datetime:
    """The moment ``point`` stands for (aware, UTC) when it is ``now``.

    ``tz`` is the time zone of the calendar; ``None``: the system's local time
    zone (as ``TZ`` sets it), the user's.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    try:
        return _resolve(point, now, tz)
    except (OverflowError, ValueError):
        # Further back than the calendar goes ("10,000 years ago"): before every date there is.
        return EARLIEST


#: What a point further back than the calendar reaches resolves to.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)


def _resolve(point: Point, now: datetime, tz: tzinfo | None) -> datetime:
    if isinstance(point, Day):
        wall = datetime.combine(point.day, time())
    else:
        # The local wall clock, moved on the calendar, then back to a moment: across a DST
        # change the UTC offset differs at both ends, which is what makes days calendar days.
        wall = (now.astimezone(tz) if tz is not None else now.astimezone()).replace(tzinfo=None)
        if point.unit is Unit.DAYS:
            wall -= timedelta(days=point.amount)
        elif point.unit is Unit.WEEKS:
            wall -= timedelta(weeks=point.amount)
        elif point.unit is Unit.MONTHS:
            wall = _months_back(wall, point.amount)
        else:
            wall = _months_back(wall, 12 * point.amount)
    if tz is not None:
        return wall.replace(tzinfo=tz).astimezone(UTC)
    # A naive datetime's astimezone() reads it as local time (mktime), DST included.
    return wall.astimezone(UTC)
